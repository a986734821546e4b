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

struct TimestampTests {
    @Test(arguments: ["2026-13-03T18:00:00Z", "2026-02-30T00:00:00Z", "2026-12-03T25:61:61Z", "2025-02-29T00:00:00Z",
                      "2026-12-03T10:00:00+24:00"])
    func impossibleDatesAreRejected(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    /// 2024-02-29 is a leap day: 19,782 days after the epoch (hand count: 54 years incl. 13 leap days, + 59 days).
    @Test func leapDayParses() {
        let leapDay: Int64 = 19_782 * 86_400_000
        let parsed = Timestamp.parse("2024-02-29T00:00:00Z")
        let withOffset = Timestamp.parse("2024-02-29T01:00:00.5+01:00")
        #expect(parsed == leapDay)
        #expect(withOffset == leapDay + 500)
    }
}
