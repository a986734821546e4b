import Testing
import VigilCore

@testable import VigilCollect

struct OpenMetricsParserTests {
    @Test func parsesMetadataTimestampsAndDropsExemplars() throws {
        let r = try parseExposition(#"""
            # TYPE foo_seconds counter
            # UNIT foo_seconds seconds
            # HELP foo_seconds Time "spent" \\ in\nfoo.
            foo_seconds_total{a="b"} 17.0 1520879607.789 # {trace_id="KOO5S4vxi0o"} 0.67 1520879606.1
            foo_seconds_total{a="c"} 1 # {} 2
            foo_seconds_created{a="b"} 1520430000.123
            # TYPE s stateset
            s{s="a"} 1
            # EOF
            """#, .openMetrics)
        #expect(r.metadata == [
            MetricMetadata(family: "foo_seconds", type: .counter, help: "Time \"spent\" \\ in\nfoo.", unit: "seconds"),
            MetricMetadata(family: "s", type: .stateset),
        ])
        #expect(r.samples.count == 4)
        #expect(r.samples[0] == ParsedSample(labels: ["__name__": "foo_seconds_total", "a": "b"], value: 17,
                                             timestamp: 1_520_879_607_789))
        #expect(r.samples[1].timestamp == nil && r.samples[1].value == 1)
        #expect(r.samples[2].value == 1_520_430_000.123)
        #expect(r.metadata(forMetric: "foo_seconds_created")?.type == .counter)
    }

    @Test func eofMayEndWithoutLineBreak() throws {
        #expect(try parseExposition("a 1\n# EOF", .openMetrics).samples.count == 1)
        #expect(try parseExposition("# EOF\n", .openMetrics).samples.isEmpty)
    }

    @Test(arguments: [
        ("a 1\n", 1, 4, ##"unexpected end of input: OpenMetrics data must end with "# EOF""##),
        ("a 1\nb 2", 2, 4, ##"unexpected end of input: OpenMetrics data must end with "# EOF""##),
        ("a 1\n# EOF\nb 2\n", 3, 1, ##"unexpected data after "# EOF": "b""##),
        ("a  1\n# EOF\n", 1, 3, "expected value after a single space, got more blanks"),
        ("a\t1\n# EOF\n", 1, 2, #"expected a space before value, got "\t""#),
        ("a 1\n\n# EOF\n", 2, 1, "empty line is not allowed in OpenMetrics"),
        ("# a comment\n# EOF\n", 1, 3, ##"invalid comment "#": OpenMetrics allows only HELP, TYPE, UNIT and EOF"##),
        ("# TYPE a untyped\n# EOF\n", 1, 10, #"invalid metric type "untyped""#),
        ("# UNIT a_bytes seconds\n# EOF\n", 1, 16, #"unit "seconds" is not a suffix of metric name "a_bytes""#),
        ("a 1 # {x=\"y\"} z\n# EOF\n", 1, 15, #"invalid exemplar value "z""#),
        ("a 1 # x\n# EOF\n", 1, 7, #"expected exemplar label set, got "x""#),
        ("a 1 1.5e400\n# EOF\n", 1, 5, #"invalid timestamp "1.5e400": want seconds"#),
        ("a{b=\"c\"}1\n# EOF\n", 1, 9, #"expected a space before value, got "1""#),
    ] as [(String, Int, Int, String)])
    func reportsStrictErrors(text: String, line: Int, column: Int, message: String) throws {
        let e = try #require(expositionError(text, .openMetrics))
        #expect(e == ExpositionError(line: line, column: column, message: message))
    }

    @Test func contentTypeSelectsFormat() {
        #expect(ExpositionFormat.from(contentType: "application/openmetrics-text; version=1.0.0; charset=utf-8")
            == .openMetrics)
        #expect(ExpositionFormat.from(contentType: "text/plain; version=0.0.4; charset=utf-8") == .prometheusText)
        #expect(ExpositionFormat.from(contentType: "Text/Plain") == .prometheusText)
        #expect(ExpositionFormat.from(contentType: "application/json") == nil)
        #expect(ExpositionFormat.from(contentType: nil) == nil)
    }
}
