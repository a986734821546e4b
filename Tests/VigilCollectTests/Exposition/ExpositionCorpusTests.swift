import Foundation
import Testing
import VigilCore
import VigilTesting

@testable import VigilCollect

/// The shared corpus files and case C09; counts and values were worked out by reading the files.
struct ExpositionCorpusTests {
    static func load(_ relative: String) throws -> [UInt8] {
        let url = try #require(SharedFixtures.path(relative))
        return Array(try Data(contentsOf: url))
    }

    static func corpus(_ name: String, _ format: ExpositionFormat) throws -> ExpositionResult {
        try ExpositionParser.parse(load("corpus/exposition/textparse/" + name), format: format)
    }

    @Test(.enabled(if: SharedFixtures.available, "needs ../shared"))
    func oneHistogramOpenMetrics() throws {
        let r = try Self.corpus("1histogram.om.txt", .openMetrics)
        #expect(r.samples.count == 42)
        #expect(r.metadata == [MetricMetadata(
            family: "golang_manual_histogram_seconds", type: .histogram,
            help: "This is a histogram with manually selected parameters")])
        let last = try #require(r.samples.last)
        #expect(last == ParsedSample(labels: [
            "__name__": "golang_manual_histogram_seconds_count", "address": "0.0.0.0", "generation": "20",
            "port": "5003",
        ], value: 1))
        #expect(r.samples[10].labels["le"] == "10.0" && r.samples[10].value == 1)
    }

    @Test(.enabled(if: SharedFixtures.available, "needs ../shared"))
    func alltypesWithMetadata() throws {
        let r = try Self.corpus("alltypes.237mfs.prom.txt", .prometheusText)
        #expect(r.samples.count == 1857)
        #expect(r.metadata.count == 237)
        #expect(r.samples.allSatisfy { $0.timestamp == nil })
        // Lines 12-16: the summary's quantiles, normalised as Prometheus 3 stores them.
        let gc = r.samples.filter { $0.labels.metricName == "go_gc_duration_seconds" }
        #expect(gc.map { $0.labels["quantile"] } == ["0.0", "0.25", "0.5", "0.75", "1.0"])
        #expect(gc.map(\.value) == [7.6238e-05, 0.00010188, 0.000135819, 0.000156061, 0.002389378])
        #expect(r.metadata(forMetric: "go_gc_duration_seconds_sum")?.type == .summary)
        let last = try #require(r.samples.last)
        #expect(last == ParsedSample(
            labels: ["__name__": "promhttp_metric_handler_requests_total", "code": "503"], value: 0))
        let spaced = r.samples.first {
            $0.labels.metricName == "prometheus_rule_evaluations_total"
                && $0.labels["rule_group"].hasSuffix("ansible_managed.yml;ansible managed alert rules")
        }
        #expect(spaced?.value == 118090)
    }

    @Test(.enabled(if: SharedFixtures.available, "needs ../shared"))
    func alltypesWithoutMetadata() throws {
        let r = try Self.corpus("alltypes.237mfs.nometa.prom.txt", .prometheusText)
        #expect(r.samples.count == 1857)
        #expect(r.metadata.isEmpty)
        // Without TYPE lines the family is untyped, so bounds keep their written form.
        #expect(r.samples[3].labels == ["__name__": "go_gc_duration_seconds", "quantile": "0"])
    }

    @Test(.enabled(if: SharedFixtures.available, "needs ../shared"))
    func alltypesOpenMetricsWithExemplarsAndCreated() throws {
        let r = try Self.corpus("alltypes.5mfs.om.txt", .openMetrics)
        #expect(r.samples.count == 53)
        #expect(r.metadata.map(\.type) == [.gauge, .counter, .histogram, .summary, .counter])
        #expect(r.samples[0] == ParsedSample(labels: ["__name__": "go_build_info"], value: 1))
        #expect(r.samples[2] == ParsedSample(
            labels: ["__name__": "promhttp_metric_handler_errors_created", "cause": "encoding"],
            value: 1.726839813016397e+09))
        let exemplarLine = r.samples.first { $0.labels["le"] == "-0.0002899999999999998" }
        #expect(exemplarLine?.value == 3)
        #expect(r.samples.filter { $0.labels.metricName.hasSuffix("_created") }.count == 9)
        let dropped = try ExpositionParser.parse(
            Self.load("corpus/exposition/textparse/alltypes.5mfs.om.txt"), format: .openMetrics,
            options: .init(createdAsSeries: false))
        #expect(dropped.samples.count == 44)
    }

    // MARK: - C09

    static func c09(_ name: String) throws -> Result<ExpositionResult, ExpositionError> {
        let bytes = try load("cases/C09/" + name)
        do {
            return .success(try ExpositionParser.parse(bytes, format: .prometheusText))
        } catch {
            return .failure(error)
        }
    }

    @Test(.enabled(if: SharedFixtures.available, "needs ../shared"))
    func c09ColonNamesAndEmptyLabelDropped() throws {
        let r = try Self.c09("a_valid_colon_names.prom").get()
        #expect(r.samples == [
            ParsedSample(labels: ["__name__": ":node_mem_avail:sum", "job": "node"], value: 15_774_576_640,
                         timestamp: 1_697_174_393_576),
            ParsedSample(labels: ["__name__": "job:http_requests:rate5m", "job": "api"], value: 12.5),
        ])
    }

    @Test(.enabled(if: SharedFixtures.available, "needs ../shared"))
    func c09EscapesDecodeAndRoundTrip() throws {
        let r = try Self.c09("b_valid_escapes.prom").get()
        #expect(r.samples.count == 1)
        let labels = r.samples[0].labels
        #expect(labels["payload"] == #"{"wrong"="terrible"}"#)
        #expect(labels["path"] == #"C:\dir"#)
        #expect(labels["note"] == "line1\nline2")
        #expect(Labels.escape(labels["payload"]) == #"{\"wrong\"=\"terrible\"}"#)
        #expect(Labels.escape(labels["path"]) == #"C:\\dir"#)
        #expect(Labels.escape(labels["note"]) == #"line1\nline2"#)
        let source = String(decoding: try Self.load("cases/C09/b_valid_escapes.prom"), as: UTF8.self)
        for l in labels.pairs where l.name != "__name__" {
            #expect(source.contains("\(l.name)=\"\(Labels.escape(l.value))\""))
        }
    }

    @Test(.enabled(if: SharedFixtures.available, "needs ../shared"))
    func c09UnescapedQuoteFailsWholeExpositionAtLine3() throws {
        guard case .failure(let e) = try Self.c09("c_invalid_unescaped_quotes.prom") else {
            Issue.record("expected a parse error")
            return
        }
        #expect(e.line == 3)
        #expect(e.column == 33)
        #expect(e.description.contains("line 3"))
        #expect(e.message.contains("wrong"))
    }

    @Test(.enabled(if: SharedFixtures.available, "needs ../shared"))
    func c09MissingFinalNewlineIsAnErrorAtLine3() throws {
        guard case .failure(let e) = try Self.c09("d_no_final_newline.prom") else {
            Issue.record("expected a parse error")
            return
        }
        #expect(e == ExpositionError(
            line: 3, column: 14, message: "unexpected end of input: the last line has no line break"))
    }
}

/// Vigil's own `/metrics` text must scrape cleanly (the embedded default scrapes itself).
struct SelfMetricsExpositionTests {
    @Test func metricsRegistryOutputParses() throws {
        let registry = MetricsRegistry()
        registry.register("vigil_test_total", .counter, help: "A \\ help\nline.")
        registry.add("vigil_test_total", ["path": "/api/v1/query", "code": "200"], 3)
        registry.set("vigil_test_gauge", ["quote": "say \"hi\""], 1.5, help: "G.")
        let r = try ExpositionParser.parse(Array(registry.render().utf8), format: .prometheusText)
        #expect(r.samples.contains(ParsedSample(
            labels: ["__name__": "vigil_test_total", "path": "/api/v1/query", "code": "200"], value: 3)))
        #expect(r.samples.contains(ParsedSample(
            labels: ["__name__": "vigil_test_gauge", "quote": "say \"hi\""], value: 1.5)))
        #expect(r.metadata.first { $0.family == "vigil_test_total" }?.help == "A \\ help\nline.")
    }
}

/// Parsing with a series cache gives exactly what a cold parse gives, also when metadata changes between parses.
struct ExpositionCacheTests {
    @Test(.enabled(if: SharedFixtures.available, "needs ../shared"), arguments: [
        ("1histogram.om.txt", ExpositionFormat.openMetrics), ("alltypes.5mfs.om.txt", .openMetrics),
        ("alltypes.237mfs.prom.txt", .prometheusText), ("alltypes.237mfs.nometa.prom.txt", .prometheusText),
    ])
    func cachedParsesMatchColdParses(name: String, format: ExpositionFormat) throws {
        let bytes = try ExpositionCorpusTests.load("corpus/exposition/textparse/" + name)
        let cold = try ExpositionParser.parse(bytes, format: format)
        let cache = ExpositionCache()
        for _ in 0..<3 {
            let warm = try ExpositionParser.parse(bytes, format: format, cache: cache)
            #expect(warm.samples == cold.samples)
            #expect(warm.metadata == cold.metadata)
        }
        #expect(cache.count > 0)
    }

    @Test func typeChangeBetweenScrapesIsNotHiddenByTheCache() throws {
        let cache = ExpositionCache()
        let histogram = "# TYPE h histogram\nh_bucket{le=\"1\"} 1\n"
        let untyped = "h_bucket{le=\"1\"} 1\n"
        let a = try ExpositionParser.parse(Array(histogram.utf8), format: .prometheusText, cache: cache)
        let b = try ExpositionParser.parse(Array(untyped.utf8), format: .prometheusText, cache: cache)
        #expect(a.samples[0].labels["le"] == "1.0")
        #expect(b.samples[0].labels["le"] == "1")
        let c = try ExpositionParser.parse(Array(histogram.utf8), format: .prometheusText, cache: cache)
        #expect(c.samples[0].labels["le"] == "1.0")
    }

    @Test func cachedSeriesStillFailOnBadValues() throws {
        let cache = ExpositionCache()
        _ = try ExpositionParser.parse(Array("m{a=\"b\"} 1\n".utf8), format: .prometheusText, cache: cache)
        #expect(throws: ExpositionError(line: 1, column: 10, message: "invalid value \"x\"")) {
            try ExpositionParser.parse(Array("m{a=\"b\"} x\n".utf8), format: .prometheusText, cache: cache)
        }
    }
}
