import Testing
@testable import VigilCore

struct LabelsTests {
    @Test func emptyValuesAreDropped() {
        let l = Labels(["b": "2", "a": "1", "c": ""])
        #expect(l.pairs == [Label("a", "1"), Label("b", "2")])
        #expect(l.description == "{a=\"1\", b=\"2\"}")
    }

    @Test func regexMatchersAreFullyAnchored() throws {
        let m = try LabelMatcher(.regexMatch, "job", "no.*")
        #expect(m.matches("node"))
        #expect(!m.matches("xnode"))
    }
}

struct DurationTests {
    @Test(arguments: [("1h30m", Int64(5_400_000)), ("5m", 300_000), ("500ms", 500), ("0", 0), ("1d", 86_400_000)])
    func parses(text: String, ms: Int64) throws {
        #expect(try PromDuration.parse(text) == ms)
        #expect(try PromDuration.parse(PromDuration.format(ms)) == ms)
    }

    @Test func rejectsOutOfOrderUnits() {
        #expect(throws: DurationError.self) { try PromDuration.parse("5m1h") }
        #expect(throws: DurationError.self) { try PromDuration.parse("5") }
    }
}

struct GoFloatTests {
    @Test(arguments: [(1.0, "1"), (0.1, "0.1"), (1e21, "1000000000000000000000"), (1e-7, "0.0000001"), (-2.5, "-2.5")])
    func formatsPlain(v: Double, s: String) { #expect(GoFloat.format(v) == s) }

    @Test(arguments: [(1.0, "1e+00"), (1.5e-7, "1.5e-07"), (123456.0, "1.23456e+05")])
    func formatsExponent(v: Double, s: String) { #expect(GoFloat.formatExponent(v) == s) }
}

struct YAMLTests {
    @Test func reportsPositions() throws {
        let doc = try YAMLParser.parse("a:\n  b: 1\n  c: [x, y]\n", file: "f.yml")
        #expect(doc["a"]?["b"]?.scalar == "1")
        #expect(doc["a"]?["b"]?.mark == SourceMark(line: 2, column: 6))
        #expect(doc["a"]?["c"]?.items?.count == 2)
    }

    @Test func syntaxErrorNamesLine() {
        #expect(throws: ConfigError.self) { try YAMLParser.parse("a: [1, 2\nb: c\n", file: "f.yml") }
    }
}
