import Testing
@testable import VigilServer

struct APIParametersTests {
    private func request(_ params: [(String, String)]) -> HTTPRequest {
        HTTPRequest(method: "GET", path: "/api/v1/query_range", query: params)
    }

    @Test func timestampsAreUnixSecondsOrRFC3339() throws {
        #expect(try APIParameters.time("1700000000") == 1_700_000_000_000)
        #expect(try APIParameters.time("1700000000.1234") == 1_700_000_000_123)
        #expect(try APIParameters.time("1700000000.1236") == 1_700_000_000_124)
        #expect(try APIParameters.time("2023-11-14T22:13:20Z") == 1_700_000_000_000)
        #expect(try APIParameters.time("2023-11-14T23:13:20.5+01:00") == 1_700_000_000_500)
    }

    @Test func badTimestampIsWordedAsPrometheus() {
        #expect(throws: APIParameters.Invalid("cannot parse \"yesterday\" to a valid timestamp")) {
            try APIParameters.time("yesterday")
        }
    }

    @Test func durationsAreFloatSecondsOrPromDurations() throws {
        #expect(try APIParameters.duration("15") == 15_000)
        #expect(try APIParameters.duration("0.5") == 500)
        #expect(try APIParameters.duration("1m30s") == 90_000)
        #expect(throws: APIParameters.Invalid("cannot parse \"1x\" to a valid duration")) {
            try APIParameters.duration("1x")
        }
    }

    @Test func rangeChecksInPrometheusOrder() {
        #expect(throws: APIParameters.Invalid("invalid parameter \"start\": cannot parse \"\" to a valid timestamp")) {
            try APIParameters.range(request([("end", "1"), ("step", "1")]))
        }
        #expect(throws: APIParameters.Invalid("end timestamp must not be before start time")) {
            try APIParameters.range(request([("start", "10"), ("end", "5"), ("step", "x")]))
        }
        #expect(throws: APIParameters.Invalid("invalid parameter \"step\": cannot parse \"x\" to a valid duration")) {
            try APIParameters.range(request([("start", "1"), ("end", "5"), ("step", "x")]))
        }
        #expect(throws: APIParameters.Invalid(
            "zero or negative query resolution step widths are not accepted. Try a positive integer")) {
            try APIParameters.range(request([("start", "1"), ("end", "5"), ("step", "0")]))
        }
        #expect(throws: APIParameters.Invalid("exceeded maximum resolution of 11,000 points per timeseries. "
            + "Try decreasing the query resolution (?step=XX)")) {
            try APIParameters.range(request([("start", "0"), ("end", "11001"), ("step", "1")]))
        }
    }

    @Test func exactlyElevenThousandPointsIsAllowed() throws {
        let r = try APIParameters.range(request([("start", "0"), ("end", "11000"), ("step", "1s")]))
        #expect(r == APIParameters.Range(start: 0, end: 11_000_000, step: 1000))
    }
}
