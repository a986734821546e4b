import Foundation
import Testing
import VigilCore
import VigilQuery
import VigilStorage
import VigilTesting

@testable import VigilRules

private let minute: Int64 = 60_000

/// Loads the `load <step>` block of a promtest file (plain values and `_` only, which is all C07 uses).
private func loadPromtest(_ text: String, into storage: MemoryStorage) throws {
    var step: Int64 = 60_000
    var batch: [LabeledSample] = []
    for raw in text.split(separator: "\n") {
        let line = raw.trimmingCharacters(in: .whitespaces)
        if line.isEmpty || line.hasPrefix("#") { continue }
        if line.hasPrefix("load ") {
            step = try PromDuration.parse(String(line.dropFirst(5)))
            continue
        }
        guard let close = line.lastIndex(of: "}") else { continue }
        let selector = String(line[...close])
        let values = line[line.index(after: close)...].split(separator: " ")
        guard case .vectorSelector(let vs) = try QueryEngine.parse(selector) else { continue }
        var labels = Labels()
        for m in vs.matchers { labels.set(m.name, m.value) }
        for (i, v) in values.enumerated() where v != "_" {
            batch.append(LabeledSample(labels, t: Int64(i) * step, v: try #require(Double(String(v)))))
        }
    }
    try storage.append(batch)
}

// Expected behaviour from shared/cases/C07/expected.md.
@Suite struct CaseC07Tests {
    @Test(.enabled(if: SharedFixtures.available, "needs ../shared"))
    func valueInLabelsKeepsAlertPendingWhileStableRuleFires() throws {
        let dir = try #require(SharedFixtures.path("cases/C07")).path
        let storage = MemoryStorage()
        try loadPromtest(try String(contentsOfFile: dir + "/input.promtest", encoding: .utf8), into: storage)
        let engine = QueryEngine(storage: storage)
        let file = try RuleFileLoader.load(path: dir + "/rules.yml")
        #expect(file.warnings.count == 1)
        let sender = RecordingSender()
        let mgr = RuleManager(
            context: .using(engine),
            appender: storage, sender: sender.send, logger: .disabled)
        mgr.update(groups: file.groups)

        for m in Int64(0)...10 {
            mgr.evaluateAll(at: m * minute)
            let alerts = mgr.activeAlerts()
            let unstable = alerts.filter { $0.labels["alertname"] == "BizErrorsHigh" }
            #expect(unstable.count == 1, "at \(m)m")
            #expect(unstable.first?.state == .pending, "at \(m)m")
            #expect(unstable.first?.labels["current_value"] == String(61 + m), "at \(m)m")
            let stable = try #require(alerts.first { $0.labels["alertname"] == "BizErrorsHighStable" })
            #expect(stable.activeAt == 0)
            #expect(stable.state == (m >= 5 ? .firing : .pending), "at \(m)m")
            if m == 5 { #expect(stable.annotations["summary"] == "code E42 at 66") }
            if m == 10 { #expect(stable.annotations["summary"] == "code E42 at 71") }
        }
        let sentNames = Set(sender.batches.flatMap { $0 }.map { $0.labels["alertname"] })
        #expect(sentNames == ["BizErrorsHighStable"])
        #expect(sender.batches.first?.first?.firedAt == 5 * minute)
    }

    /// The same expectations as a promtool unit test; /usr/bin/promtool 2.42 passes this file too.
    @Test(.enabled(if: SharedFixtures.available, "needs ../shared"))
    func caseC07AsPromtoolUnitTest() throws {
        let rules = try #require(SharedFixtures.path("cases/C07/rules.yml")).path
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-c07-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: rules, toPath: dir + "/rules.yml")
        try unitTest.write(toFile: dir + "/test.yml", atomically: true, encoding: .utf8)
        let r = RuleUnitTester.run(files: [dir + "/test.yml"])
        #expect(r.ok, "\(r.output)")
    }
}

private let unitTest = """
rule_files: [rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'biz_errors_window{code="E42"}'
        values: '61 62 63 64 65 66 67 68 69 70 71'
    alert_rule_test:
      - eval_time: 4m
        alertname: BizErrorsHighStable
      - eval_time: 5m
        alertname: BizErrorsHighStable
        exp_alerts:
          - exp_labels: {severity: warning, code: E42}
            exp_annotations: {summary: "code E42 at 66"}
      - eval_time: 10m
        alertname: BizErrorsHighStable
        exp_alerts:
          - exp_labels: {severity: warning, code: E42}
            exp_annotations: {summary: "code E42 at 71"}
      - eval_time: 5m
        alertname: BizErrorsHigh
      - eval_time: 10m
        alertname: BizErrorsHigh
"""
