import Testing
import VigilCore
@testable import VigilQuery

/// Series descriptions expand as the promql test language and promtool define them (ecosystem.md §4.3).
struct ParserSeriesDescriptionTests {
    /// Compares value lists treating NaNs by bit pattern (so `stale` must be the stale NaN).
    func same(_ a: [Double?], _ b: [Double?]) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            switch (x, y) {
            case (nil, nil): continue
            case (let x?, let y?):
                if x.isNaN || y.isNaN {
                    if x.bitPattern != y.bitPattern { return false }
                } else if x != y {
                    return false
                }
            default: return false
            }
        }
        return true
    }

    static let valueCases: [(String, [Double?])] = [
        ("1", [1]),
        ("1 2 3", [1, 2, 3]),
        ("0+10x3", [0, 10, 20, 30]),
        ("1+1x3", [1, 2, 3, 4]),
        ("0+10x2", [0, 10, 20]),
        ("5-1x2", [5, 4, 3]),
        ("-2-1x4", [-2, -3, -4, -5, -6]),
        ("-2+1x2", [-2, -1, 0]),
        ("7x2", [7, 7, 7]),
        ("_", [nil]),
        ("_x3", [nil, nil, nil]),
        ("1 _ 3", [1, nil, 3]),
        ("Inf -Inf", [.infinity, -.infinity]),
        ("1e3 2.5e-1", [1000, 0.25]),
        ("1e-3+1e-3x1", [0.001, 0.002]),
        ("  0+10x1   _x2 stale 1x1 ", [0, 10, nil, nil, StaleMarker.value, 1, 1]),
    ]

    @Test(arguments: valueCases)
    func expandsValues(text: String, values: [Double?]) throws {
        let got = try SeriesDescription.parseValues(text)
        #expect(same(got, values), "\(text) → \(got)")
    }

    @Test func nanValueIsAnOrdinaryNaNNotStale() throws {
        let got = try SeriesDescription.parseValues("NaN stale")
        #expect(got[0]!.isNaN && !StaleMarker.isStale(got[0]!))
        #expect(StaleMarker.isStale(got[1]!))
    }

    @Test func parsesMetricAndValues() throws {
        let d = try SeriesDescription.parse("http_requests{job=\"api\", instance='a:1'} 0+10x2 _ stale")
        #expect(d.labels == Labels(["__name__": "http_requests", "job": "api", "instance": "a:1"]))
        #expect(same(d.values, [0, 10, 20, nil, StaleMarker.value]))
    }

    @Test func parsesBareNameAndBracesOnly() throws {
        #expect(try SeriesDescription.parse("up 1").labels == Labels(["__name__": "up"]))
        let d = try SeriesDescription.parse("{__name__=\"a.b\", \"x.y\"=\"z}\"} 1x1")
        #expect(d.labels == Labels(["__name__": "a.b", "x.y": "z}"]))
        #expect(same(d.values, [1, 1]))
        #expect(try SeriesDescription.parseLabels("{\"my.metric\", job=\"a\"}")
            == Labels(["__name__": "my.metric", "job": "a"]))
    }

    @Test(arguments: ["1+", "abc", "1x", "_+1x2", "0x1f", "1+2", "{{schema:0 sum:1}}"])
    func rejectsMalformedValues(text: String) {
        #expect(throws: ParseError.self) { try SeriesDescription.parseValues(text) }
    }

    @Test func rejectsNonEqualityLabels() {
        #expect(throws: ParseError.self) { try SeriesDescription.parse("up{job=~\"a\"} 1") }
    }
}
