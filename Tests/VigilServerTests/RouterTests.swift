import Testing
@testable import VigilServer

struct RouterTests {
    private func makeRouter() -> Router {
        var b = Router.Builder()
        b.add("/a", ["GET"]) { _ in .text("a") }
        b.add("/b", ["POST", "PUT"]) { _ in .text("b") }
        b.add("/label/:name/values", ["GET"]) { r in .text(r.pathParameters["name"] ?? "-") }
        return b.build()
    }

    @Test func unknownPathIs404() {
        #expect(makeRouter().handle(HTTPRequest(method: "GET", path: "/nope")).status == 404)
    }

    @Test func wrongMethodIs405WithAllow() {
        let r = makeRouter().handle(HTTPRequest(method: "GET", path: "/b"))
        #expect(r.status == 405)
        #expect(r.header("Allow") == "POST, PUT")
    }

    @Test func getAlsoAnswersHeadWithoutBody() {
        let r = makeRouter().handle(HTTPRequest(method: "HEAD", path: "/a"))
        #expect(r.status == 200)
        #expect(r.body.isEmpty)
    }

    @Test func pathParametersAreCaptured() {
        #expect(makeRouter().handle(HTTPRequest(method: "GET", path: "/label/job/values")).bodyText == "job")
        #expect(makeRouter().handle(HTTPRequest(method: "GET", path: "/label//values")).status == 404)
    }

    @Test func formBodyIsMergedAfterQueryArgumentsKeepingRepeatedKeys() {
        let r = HTTPRequest(method: "POST", path: "/x", query: [("match[]", "a")],
                            headers: ["content-type": "application/x-www-form-urlencoded; charset=UTF-8"],
                            body: Array("match%5B%5D=%7Bjob%3D%22b%22%7D&query=1+%2B+1&match[]=c".utf8))
        #expect(r.parameterValues("match[]") == ["a", "{job=\"b\"}", "c"])
        #expect(r.parameter("query") == "1 + 1")
    }

    @Test func formBodyIsIgnoredForOtherContentTypes() {
        let r = HTTPRequest(method: "POST", path: "/x", headers: ["content-type": "application/json"],
                            body: Array("query=up".utf8))
        #expect(r.parameter("query") == nil)
    }

    @Test(arguments: [
        ("a=1&b=2", [["a", "1"], ["b", "2"]]),
        ("a=%zz&b", [["a", "%zz"], ["b", ""]]),
        ("x=%E2%9C%93", [["x", "✓"]]),
        ("&&a=&", [["a", ""]]),
    ])
    func formDecoding(_ text: String, _ expected: [[String]]) {
        #expect(FormDecoding.decode(text).map { [$0.0, $0.1] } == expected)
    }

    @Test func escapeRoundTrips() {
        let s = "sum(rate(x{a=\"b c\"}[5m])) + 1 / ✓"
        #expect(FormDecoding.decode("q=" + FormDecoding.escape(s)).first?.1 == s)
    }

    @Test func listenAddresses() throws {
        #expect(try ListenAddress(parsing: "127.0.0.1:9470") == ListenAddress(host: "127.0.0.1", port: 9470))
        #expect(try ListenAddress(parsing: ":80") == ListenAddress(host: "", port: 80))
        #expect(try ListenAddress(parsing: "[::1]:9") == ListenAddress(host: "::1", port: 9))
        #expect(try ListenAddress(parsing: "localhost:1").host == "127.0.0.1")
        #expect(throws: ServerError.self) { try ListenAddress(parsing: "9470") }
        #expect(throws: ServerError.self) { try ListenAddress(parsing: "host:99999") }
    }
}
