import Testing
@testable import VigilServer

struct QueryOutputTests {
    private func format(_ json: String) throws -> String { try QueryOutput.format(json: Array(json.utf8)) }

    @Test func vectorLinesLookLikePromtool() throws {
        let out = try format("""
        {"status":"success","data":{"resultType":"vector","result":[
          {"metric":{"__name__":"up","job":"y","instance":"x"},"value":[1700000000.123,"1"]},
          {"metric":{},"value":[1700000000,"NaN"]}]}}
        """)
        #expect(out == "up{instance=\"x\", job=\"y\"} => 1 @[1700000000.123]\n{} => NaN @[1700000000]\n")
    }

    @Test func scalarAndMatrix() throws {
        #expect(try format("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[4,\"2\"]}}")
            == "scalar: 2 @[4]\n")
        let out = try format("""
        {"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{"__name__":"up"},"values":[[1,"1"],[2.5,"0"]]},
          {"metric":{"a":"b"},"values":[[1,"+Inf"]]}]}}
        """)
        #expect(out == "up =>\n1 @[1]\n0 @[2.5]\n{a=\"b\"} =>\n+Inf @[1]\n")
    }

    @Test func errorsCarryTypeAndMessage() {
        #expect(throws: QueryOutput.Failure.self) {
            try format("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"boom\"}")
        }
        do {
            _ = try format("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"boom\"}")
        } catch {
            #expect("\(error)" == "bad_data: boom")
        }
    }
}
