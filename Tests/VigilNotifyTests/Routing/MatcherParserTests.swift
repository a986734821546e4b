import Testing
import VigilCore
@testable import VigilNotify

struct MatcherParserTests {
    @Test(arguments: [
        ("severity=\"critical\"", [LabelMatcher.Kind.equal], ["severity"], ["critical"]),
        ("severity=critical", [.equal], ["severity"], ["critical"]),
        ("env != dev", [.notEqual], ["env"], ["dev"]),
        ("service=~\"a|b\"", [.regexMatch], ["service"], ["a|b"]),
        ("x!~\"re.*\"", [.regexNoMatch], ["x"], ["re.*"]),
        ("{a=\"1\", b!=\"2\"}", [.equal, .notEqual], ["a", "b"], ["1", "2"]),
        ("msg=\"a, b\"", [.equal], ["msg"], ["a, b"]),
        ("q=\"say \\\"hi\\\"\"", [.equal], ["q"], ["say \"hi\""]),
        ("empty=\"\"", [.equal], ["empty"], [""]),
    ])
    func parsesAlertmanagerMatchers(_ text: String, _ kinds: [LabelMatcher.Kind], _ names: [String],
                                    _ values: [String]) throws {
        let ms = try MatcherParser.parse(text)
        #expect(ms.map(\.kind) == kinds)
        #expect(ms.map(\.name) == names)
        #expect(ms.map(\.value) == values)
    }

    @Test(arguments: ["", "=x", "a", "a~b", "a=\"x", "a=\"x\"y\"", "a=~\"(\"", "1a=b"])
    func rejectsBadMatchers(_ text: String) {
        #expect(throws: NotifyError.self) { try MatcherParser.parse(text) }
    }

    @Test func regexMatchersAreFullyAnchored() throws {
        let m = try #require(try MatcherParser.parse("job=~\"node\"").first)
        #expect(m.matches("node"))
        #expect(!m.matches("node-exporter"))
    }
}
