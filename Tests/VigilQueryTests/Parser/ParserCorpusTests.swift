import Foundation
import Testing
import VigilCore
import VigilTesting
@testable import VigilQuery

/// Every `eval` expression of the non-experimental Prometheus test scripts parses.
struct ParserCorpusTests {
    static let files = [
        "aggregators", "collision", "functions", "histograms", "literals", "name_label_dropping", "operators",
        "range_queries", "staleness", "trig_functions",
    ]

    /// Expressions of those files that are expected not to parse, with the reason.
    /// (None at present: the experimental `histogram_quantiles`, `min_of` and `max_of` are in the table.)
    static let knownFailures: [String: String] = [:]

    struct Eval {
        var line: Int
        var expr: String
        /// `eval_fail` or followed by `expect fail`: the script expects an error (parse or runtime).
        var expectFail: Bool
    }

    /// The `eval` statements of a `.test` script with their expressions.
    static func evals(in text: String) -> [Eval] {
        var out: [Eval] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (n, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("eval") else { continue }
            var words = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard words.count == 2 else { continue }
            let command = words[0]
            var rest = words[1]
            if rest.hasPrefix("instant at ") {
                words = rest.split(separator: " ", maxSplits: 3).map(String.init)
                guard words.count == 4 else { continue }
                rest = words[3]
            } else if rest.hasPrefix("range from ") {
                words = rest.split(separator: " ", maxSplits: 7).map(String.init)
                guard words.count == 8 else { continue }
                rest = words[7]
            } else {
                continue
            }
            var fail = command == "eval_fail"
            if n + 1 < lines.count, lines[n + 1].trimmingCharacters(in: .whitespaces).hasPrefix("expect fail") {
                fail = true
            }
            out.append(Eval(line: n + 1, expr: rest, expectFail: fail))
        }
        return out
    }

    @Test(.enabled(if: SharedFixtures.available, "needs ../shared/corpus/promql-tests"), arguments: files)
    func everyEvalExpressionParses(file: String) throws {
        let url = try #require(SharedFixtures.path("corpus/promql-tests/\(file).test"))
        let text = try String(contentsOf: url, encoding: .utf8)
        let evals = Self.evals(in: text)
        #expect(evals.count > 0)
        for e in evals {
            do {
                let expr = try Parser.parse(e.expr)
                // The printed form parses again to the same print.
                let printed = expr.description
                let again = try Parser.parse(printed)
                #expect(again.description == printed, "\(file).test:\(e.line): reprint of \(e.expr)")
            } catch {
                if e.expectFail || Self.knownFailures[e.expr] != nil { continue }
                Issue.record("\(file).test:\(e.line): \(e.expr): \(error)")
            }
        }
    }

    /// The series lines of `load` blocks (native histogram `{{…}}` lines skipped).
    static func loadLines(in text: String) -> [(line: Int, text: String)] {
        var out: [(Int, String)] = []
        var inLoad = false
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            if line.hasPrefix("load") {
                inLoad = true
                continue
            }
            if let first = line.first, first != " " && first != "\t" { inLoad = false }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard inLoad, !trimmed.isEmpty, !trimmed.hasPrefix("#"), !trimmed.contains("{{") else { continue }
            out.append((n + 1, trimmed))
        }
        return out
    }

    /// Every script except `start_timestamps`, whose `metric@st` series and duration values (`-30s-1mx2`) are an
    /// experimental notation SeriesDescription does not read.
    static let allFiles = files + [
        "duration_expression", "extended_vectors", "fill-modifier", "info", "limit", "native_histograms",
        "type_and_unit",
    ]

    @Test(.enabled(if: SharedFixtures.available, "needs ../shared/corpus/promql-tests"), arguments: allFiles)
    func everyFloatLoadLineIsASeriesDescription(file: String) throws {
        let url = try #require(SharedFixtures.path("corpus/promql-tests/\(file).test"))
        let text = try String(contentsOf: url, encoding: .utf8)
        for (line, series) in Self.loadLines(in: text) {
            do {
                let d = try SeriesDescription.parse(series)
                #expect(!d.labels.isEmpty, "\(file).test:\(line)")
            } catch {
                Issue.record("\(file).test:\(line): \(series): \(error)")
            }
        }
    }

    /// `eval` statements followed by `expect fail msg: …` or `expect fail regex: …`.
    static func failExpectations(in text: String) -> [(line: Int, expr: String, msg: String?, regex: String?)] {
        var out: [(Int, String, String?, String?)] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let evals = Dictionary(evals(in: text).map { ($0.line, $0.expr) }, uniquingKeysWith: { a, _ in a })
        for (n, line) in lines.enumerated() {
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix("expect fail"), let expr = evals[n] else { continue }
            let rest = t.dropFirst("expect fail".count).trimmingCharacters(in: .whitespaces)
            if rest.hasPrefix("msg:") {
                out.append((n, expr, rest.dropFirst(4).trimmingCharacters(in: .whitespaces), nil))
            } else if rest.hasPrefix("regex:") {
                out.append((n, expr, nil, rest.dropFirst(6).trimmingCharacters(in: .whitespaces)))
            }
        }
        return out
    }

    /// Where a script expects a failure with a message and the failure is a parse error, the message is
    /// Prometheus's. (In the core scripts every such message is a runtime error, so this guards future files; the
    /// experimental `extended_vectors` checks need the `anchored`/`smoothed` syntax the parser does not read.)
    @Test(.enabled(if: SharedFixtures.available, "needs ../shared/corpus/promql-tests"), arguments: files)
    func expectedFailureMessagesMatchParseErrors(file: String) throws {
        let url = try #require(SharedFixtures.path("corpus/promql-tests/\(file).test"))
        let text = try String(contentsOf: url, encoding: .utf8)
        for f in Self.failExpectations(in: text) {
            do {
                _ = try Parser.parse(f.expr)
            } catch {
                if let msg = f.msg {
                    #expect(error.description == msg || error.message == msg, "\(file).test:\(f.line)")
                } else if let regex = f.regex {
                    let re = try RE2(regex)
                    #expect(re.partialMatch(error.description), "\(file).test:\(f.line)")
                }
            }
        }
    }
}
