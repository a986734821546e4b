import Foundation
import Testing
import VigilCore
import VigilQuery
import VigilStorage
import VigilTesting

/// Runs Prometheus's `promqltest` scripts from `shared/corpus/promql-tests` with the skip list in `promql-skip.txt`.
@Suite struct PromQLTestScriptTests {
    /// Files that need native histograms (not stored) or experimental syntax the parser does not read yet.
    ///
    /// `info.test` and `type_and_unit.test` need feature flags upstream too, but pass here, so they run.
    static let excludedFiles: Set<String> = [
        "native_histograms.test", "extended_vectors.test", "fill-modifier.test", "limit.test",
        "start_timestamps.test", "duration_expression.test",
    ]

    static var files: [String] {
        guard let dir = SharedFixtures.path("corpus/promql-tests"),
              let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path)
        else { return [] }
        // PROMQL_ALL=1 also runs the excluded files, to measure progress on them.
        let all = ProcessInfo.processInfo.environment["PROMQL_ALL"] != nil
        return names.filter { $0.hasSuffix(".test") && (all || !excludedFiles.contains($0)) }.sorted()
    }

    /// `file:line` → reason, from `promql-skip.txt` beside this file.
    static let skips: [String: String] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("promql-skip.txt")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.isEmpty {
            let parts = line.split(separator: " ", maxSplits: 1)
            out[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return out
    }()

    @Test(.enabled(if: SharedFixtures.available, "needs ../shared/corpus/promql-tests"), arguments: files)
    func corpusFilePasses(_ file: String) throws {
        let url = try #require(SharedFixtures.path("corpus/promql-tests/\(file)"))
        let text = try String(contentsOf: url, encoding: .utf8)
        let commands = try PromQLTestScript.parse(text, file: file)
        var runner = PromQLTestRunner()
        let outcomes = runner.run(commands)
        var passed = 0
        var skipped = 0
        var stale: [Int] = []
        var failures: [String] = []
        for o in outcomes {
            let key = "\(file):\(o.line)"
            if Self.skips[key] != nil {
                skipped += 1
                if o.failure == nil { stale.append(o.line) }
                continue
            }
            if let f = o.failure {
                failures.append("\(key) \(o.query): \(f)")
            } else {
                passed += 1
            }
        }
        let annotated = commands.reduce(0) { n, c in
            if case .eval(let e) = c, e.expectsAnnotation { return n + 1 }
            return n
        }
        let nativeLines = commands.reduce(0) { n, c in
            if case .load(_, _, let s) = c { return n + s }
            return n
        }
        print("promql-tests \(file): \(passed) passed, \(skipped) skipped, \(failures.count) failed"
            + " of \(outcomes.count); \(nativeLines) load lines with native-histogram values (their float values load); \(annotated) cases expect"
            + " a warning or info annotation, which the engine does not produce and the runner does not check"
            + (stale.isEmpty ? "" : "; skipped but now passing: \(stale.map(String.init).joined(separator: ","))"))
        if ProcessInfo.processInfo.environment["PROMQL_FAILURES"] != nil {
            for f in failures { print("FAIL \(f)") }
        }
        for f in failures { Issue.record(Comment(rawValue: f)) }
    }
}
