import Testing
import VigilCore
import VigilTesting

@testable import VigilCollect

/// Parses `text` as 0.0.4 (or OpenMetrics) and fails the test on error.
func parseExposition(_ text: String, _ format: ExpositionFormat = .prometheusText,
           sourceLocation: SourceLocation = #_sourceLocation) throws -> ExpositionResult {
    do {
        return try ExpositionParser.parse(Array(text.utf8), format: format)
    } catch {
        Issue.record("unexpected error: \(error)", sourceLocation: sourceLocation)
        throw error
    }
}

/// The error `text` fails with.
func expositionError(_ text: String, _ format: ExpositionFormat = .prometheusText,
                sourceLocation: SourceLocation = #_sourceLocation) -> ExpositionError? {
    do {
        let r = try ExpositionParser.parse(Array(text.utf8), format: format)
        Issue.record("expected an error, got \(r.samples.count) samples", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

struct ExpositionParserTests {
    @Test func parsesSamplesWithLabelsAndTimestamps() throws {
        let r = try parseExposition("""
            # HELP http_requests_total The total.
            # TYPE http_requests_total counter
            http_requests_total{method="post",code="200"} 1027 1395066363000
            http_requests_total{method="post",code="400"}    3 -1395066363000
            metric_without_labels 12.47
            \tindented{} 1e3\t

            """)
        #expect(r.samples.count == 4)
        #expect(r.samples[0] == ParsedSample(
            labels: ["__name__": "http_requests_total", "method": "post", "code": "200"], value: 1027,
            timestamp: 1_395_066_363_000))
        #expect(r.samples[1].timestamp == -1_395_066_363_000)
        #expect(r.samples[2] == ParsedSample(labels: ["__name__": "metric_without_labels"], value: 12.47))
        #expect(r.samples[3] == ParsedSample(labels: ["__name__": "indented"], value: 1000))
        #expect(r.metadata == [MetricMetadata(family: "http_requests_total", type: .counter, help: "The total.")])
    }

    @Test(arguments: [
        ("NaN", Double.nan), ("nan", .nan), ("+Inf", .infinity), ("-Inf", -.infinity), ("inf", .infinity),
        ("-infinity", -.infinity), ("Infinity", .infinity), ("1e-3", 0.001), ("-0.5", -0.5), (".5", 0.5),
        ("1.", 1), ("1E+2", 100), ("0x1p-2", 0.25), ("0X1.8P1", 3), ("123456789012345678901234", 1.2345678901234568e23),
        ("0.1", 0.1), ("1.7976931348623157e308", .greatestFiniteMagnitude), ("4.9e-324", 5e-324),
        ("3.14159265358979323846", 3.141592653589793), ("00012", 12),
    ])
    func parsesGoFloatForms(text: String, want: Double) throws {
        let r = try parseExposition("m \(text)\n")
        let v = try #require(r.samples.first?.value)
        if want.isNaN { #expect(v.isNaN) } else { #expect(v == want) }
    }

    @Test(arguments: ["1_000", "0x1", "1e", "e1", "--1", "1.2.3", "nanx", "1e400", "12a", "+"])
    func rejectsValuesGoCannotParse(text: String) throws {
        let e = try #require(expositionError("m \(text)\n"))
        #expect(e.line == 1 && e.column == 3)
        #expect(e.message == "invalid value \"\(text)\"")
    }

    @Test func decodesEscapesInLabelValuesAndHelp() throws {
        let r = try parseExposition(#"""
            # HELP m a \\ back\nslash "quoted" \t
            m{a="x\\y",b="say \"hi\"",c="l1\nl2",d="keep \t"} 1

            """#)
        let labels = try #require(r.samples.first?.labels)
        #expect(labels["a"] == #"x\y"#)
        #expect(labels["b"] == #"say "hi""#)
        #expect(labels["c"] == "l1\nl2")
        #expect(labels["d"] == #"keep \t"#)
        #expect(r.metadata.first?.help == "a \\ back\nslash \"quoted\" \\t")
    }

    @Test func acceptsQuotedUTF8NamesInsideBraces() throws {
        let r = try parseExposition("""
            # TYPE "my.metric" gauge
            {"my.metric", "error.message"="x", le="1"} 2
            {"other.one"} 3
            plain{"quoted.label"="v",} 4

            """)
        #expect(r.samples.map(\.labels) == [
            ["__name__": "my.metric", "error.message": "x", "le": "1"],
            ["__name__": "other.one"],
            ["__name__": "plain", "quoted.label": "v"],
        ])
        #expect(r.metadata.first?.family == "my.metric")
    }

    @Test func dropsEmptyLabelValuesAndSortsLabels() throws {
        let r = try parseExposition("m{z=\"1\",a=\"\",b=\"2\"} 1\n")
        #expect(r.samples[0].labels.pairs == [Label("__name__", "m"), Label("b", "2"), Label("z", "1")])
    }

    @Test func normalizesHistogramAndSummaryBoundsAsPrometheus3() throws {
        let r = try parseExposition("""
            # TYPE h histogram
            h_bucket{le="1"} 0
            h_bucket{le="0.5"} 0
            h_bucket{le="1e6"} 0
            h_bucket{le="100000"} 0
            h_bucket{le="+inf"} 0
            # TYPE s summary
            s{quantile="0"} 1
            # TYPE g gauge
            g{le="1"} 1

            """)
        #expect(r.samples.map { $0.labels["le"] + $0.labels["quantile"] }
            == ["1.0", "0.5", "1e+06", "100000.0", "+Inf", "0.0", "1"])
    }

    @Test func rejectsDuplicateLabelNames() throws {
        let e = try #require(expositionError("m{b=\"1\",a=\"2\",b=\"3\"} 1\n"))
        #expect(e.line == 1 && e.column == 2)
        #expect(e.message == "duplicate label name \"b\"")
    }

    @Test(arguments: [
        ("m 1\nm{a=1} 2\n", 2, 5, #"expected quoted value for label "a", got "1}""#),
        ("m 1\n\n  0bad 1\n", 3, 3, #"expected metric name, got "0bad""#),
        ("m{a=\"x} 1\n", 1, 5, #"label value "\"x}" is not terminated before the end of the line"#),
        ("m{a\"x\"} 1\n", 1, 4, #"expected "=" after label name "a", got "\"x\"}""#),
        ("m 1 2 3\n", 1, 7, #"expected end of line, got "3""#),
        ("m 1 12.5\n", 1, 5, #"invalid timestamp "12.5": want integer milliseconds"#),
        ("# TYPE m countr\n", 1, 10, #"invalid metric type "countr""#),
        ("m\n", 1, 2, #"expected value after metric "m", got end of line"#),
        ("# TYPE m counter\nm 1", 2, 4, "unexpected end of input: the last line has no line break"),
        ("m{x=\"ü\",ä=\"1\"} 1\n", 1, 9, #"expected label name, got "ä=\"1\"}""#),
    ] as [(String, Int, Int, String)])
    func reportsLineColumnAndBadToken(text: String, line: Int, column: Int, message: String) throws {
        let e = try #require(expositionError(text))
        #expect(e == ExpositionError(line: line, column: column, message: message))
    }

    @Test func rejectsInvalidUTF8InLabelValues() throws {
        for escaped in [false, true] {
            var bytes = Array("m{a=\"x".utf8) + [0xFF] + Array((escaped ? "\\n" : "") .utf8)
            bytes += Array("\"} 1\n".utf8)
            let e = try #require(throws: ExpositionError.self) {
                try ExpositionParser.parse(bytes, format: .prometheusText)
            }
            #expect(e == ExpositionError(line: 1, column: 5, message: "invalid UTF-8 in label value"))
        }
    }

    @Test func ignoresPlainCommentsAndUnknownHashWords() throws {
        let r = try parseExposition("# just a comment\n#HELP\n# EOF\nm 1\n")
        #expect(r.samples.count == 1)
    }
}

struct ExpositionNumberTests {
    // Right-hand sides are Go's strconv.FormatFloat(v, 'g', -1, 64), plus Prometheus's ".0" for integers.
    @Test(arguments: [
        (1.0, "1.0"), (0.0, "0.0"), (-1.0, "-1.0"), (10.0, "10.0"), (100000.0, "100000.0"), (1e6, "1e+06"),
        (123456789.0, "1.23456789e+08"), (0.0001, "0.0001"), (0.00001, "1e-05"), (1.5e-7, "1.5e-07"),
        (8.999999999999998, "8.999999999999998"), (-0.00099, "-0.00099"), (2.5, "2.5"), (1e21, "1e+21"),
        (5e-324, "5e-324"), (.infinity, "+Inf"), (-.infinity, "-Inf"), (123.456, "123.456"),
    ] as [(Double, String)])
    func openMetricsFloatMatchesPrometheus(v: Double, want: String) {
        #expect(ExpositionNumber.openMetricsFloat(v) == want)
    }
}
