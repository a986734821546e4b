import Foundation
import Testing
import VigilCore
@testable import VigilCollect

/// NVIDIA's DCGM exporter Grafana dashboard (`shared/corpus/ai-metrics/dashboard_queries.csv`): every metric its
/// panels and template queries use, except the `DCGM_FI_PROF_*` ones NVML cannot give, is produced by the collector
/// with the labels the expressions filter and group on, and the substituted matchers select series.
struct GPUDashboardTests {
    /// One selector of a dashboard expression: the metric and its label matchers (`name`, op, value).
    struct Selector {
        let panel: String
        let metric: String
        let matchers: [(String, String, String)]
    }

    /// The rows of a CSV file with `"`-quoted fields (RFC 4180).
    static func csvRows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text).makeIterator()
        var pending: Character? = nil
        while let c = pending ?? chars.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let n = chars.next() {
                        if n == "\"" { field.append("\"") } else { quoted = false; pending = n }
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\n" || c == "\r\n" {
                row.append(field); field = ""
                rows.append(row); row = []
            } else if c != "\r" {
                field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    /// The selectors of the DCGM dashboard's expressions, `label_values(metric, label)` counting as `label=~".+"`.
    static func selectors(instance: String, gpu: String) throws -> [Selector] {
        let shared = try #require(GPUFixtures.sharedRoot)
        let text = try String(contentsOfFile: shared + "/corpus/ai-metrics/dashboard_queries.csv", encoding: .utf8)
        var out: [Selector] = []
        for row in csvRows(text).dropFirst() where row.count == 3 && row[0].hasPrefix("dcgm-exporter/") {
            let expr = row[2].replacingOccurrences(of: "$instance", with: instance)
                .replacingOccurrences(of: "$gpu", with: gpu)
            if expr.hasPrefix("label_values(") {
                let args = expr.dropFirst("label_values(".count).dropLast().split(separator: ",")
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                out.append(Selector(panel: row[1], metric: args[0], matchers: [(args[1], "=~", ".+")]))
                continue
            }
            let re = try NSRegularExpression(pattern: #"(DCGM_[A-Z0-9_]+)(\{([^}]*)\})?"#)
            let ns = expr as NSString
            for m in re.matches(in: expr, range: NSRange(location: 0, length: ns.length)) {
                let metric = ns.substring(with: m.range(at: 1))
                var matchers: [(String, String, String)] = []
                if m.range(at: 3).location != NSNotFound {
                    let inner = ns.substring(with: m.range(at: 3))
                    let mre = try NSRegularExpression(pattern: #"([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"([^"]*)""#)
                    let ins = inner as NSString
                    for mm in mre.matches(in: inner, range: NSRange(location: 0, length: ins.length)) {
                        matchers.append((ins.substring(with: mm.range(at: 1)), ins.substring(with: mm.range(at: 2)),
                                         ins.substring(with: mm.range(at: 3))))
                    }
                }
                out.append(Selector(panel: row[1], metric: metric, matchers: matchers))
            }
        }
        return out
    }

    @Test(.enabled(if: GPUFixtures.sharedRoot != nil, "needs ../shared/corpus/ai-metrics"))
    func everyNonProfilingDashboardSelectorFindsSeries() throws {
        let library = try GPUFixtures.buildFakeNVML()
        let collector = GPUCollector(configuration: GPUFixtures.configuration(library: library), logger: .disabled)
        let samples = collector.collect(at: 1)
        let selectors = try GPUDashboardTests.selectors(instance: collector.instance, gpu: "1")
        #expect(selectors.count >= 9)
        var checked = 0
        for s in selectors where !s.metric.hasPrefix("DCGM_FI_PROF_") {
            var matchers = [try LabelMatcher(.equal, "__name__", s.metric)]
            for (name, op, value) in s.matchers {
                let kind: LabelMatcher.Kind = op == "=~" ? .regexMatch : op == "!~" ? .regexNoMatch
                    : op == "!=" ? .notEqual : .equal
                matchers.append(try LabelMatcher(kind, name, value))
            }
            let hits = samples.filter { sample in matchers.allSatisfy { $0.matches(sample.labels) } }
            #expect(!hits.isEmpty, "panel \(s.panel): \(s.metric) \(s.matchers)")
            checked += 1
        }
        #expect(checked >= 8)
        // The instance and gpu variables come from label_values over DCGM_FI_DEV_GPU_TEMP.
        let temps = samples.filter { $0.labels.metricName == "DCGM_FI_DEV_GPU_TEMP" }
        #expect(Set(temps.map { $0.labels["gpu"] }) == ["0", "1"])
        #expect(Set(temps.map { $0.labels["instance"] }) == ["test-host"])
    }

    @Test func csvReaderHandlesQuotedFields() {
        let rows = GPUDashboardTests.csvRows("a,b,c\r\nx,\"p, q\",\"say \"\"hi\"\"\"\n")
        #expect(rows == [["a", "b", "c"], ["x", "p, q", "say \"hi\""]])
    }
}
