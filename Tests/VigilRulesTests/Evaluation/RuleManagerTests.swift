import Foundation
import Testing
import VigilCore
import VigilQuery

@testable import VigilRules

private let minute: Int64 = 60_000

private let downRule = """
    groups:
    - name: g
      interval: 1m
      rules:
      - alert: Down
        expr: up == 0
        for: 2m
        labels:
          severity: page
        annotations:
          summary: "{{ $labels.instance }} is down ({{ $value }})"
    """

private let upZero = [VectorElement(labels: ["__name__": "up", "instance": "a", "job": "j"], t: 0, v: 0)]

// Expected series, states and send times worked by hand from Prometheus's rules/alerting.go and manager.go.
@Suite struct RuleManagerTests {
    @Test func alertGoesPendingFiringResolvedWithAlertsSeries() throws {
        let q = FakeQuery()
        let app = RecordingAppender()
        let sender = RecordingSender()
        for m in 0..<5 { q.set(Int64(m) * minute, upZero) }
        let mgr = try makeManager(downRule, query: q, appender: app, sender: sender)

        let labels = "alertname=\"Down\", instance=\"a\", job=\"j\", severity=\"page\""
        mgr.evaluateAll(at: 0)
        #expect(app.lines(at: 0) == [
            "ALERTS_FOR_STATE{\(labels)} 0",
            "ALERTS{\(labels.replacingOccurrences(of: ", instance", with: ", alertstate=\"pending\", instance"))} 1",
        ])
        #expect(sender.batches.isEmpty)
        #expect(mgr.activeAlerts().map(\.state) == [.pending])

        mgr.evaluateAll(at: minute)
        mgr.evaluateAll(at: 2 * minute)
        #expect(app.lines(at: 2 * minute) == [
            "ALERTS_FOR_STATE{\(labels)} 0",
            "ALERTS{alertname=\"Down\", alertstate=\"firing\", instance=\"a\", job=\"j\", severity=\"page\"} 1",
            "ALERTS{alertname=\"Down\", alertstate=\"pending\", instance=\"a\", job=\"j\", severity=\"page\"} stale",
        ])
        let sent = try #require(sender.batches.last?.first)
        #expect(sender.batches.count == 1)
        #expect(sent.state == .firing && sent.firedAt == 2 * minute && sent.activeAt == 0)
        #expect(sent.endsAt == 2 * minute + 4 * minute)
        #expect(sent.labels == ["alertname": "Down", "instance": "a", "job": "j", "severity": "page"])
        #expect(sent.annotations == ["summary": "a is down (0)"])
        #expect(sent.generatorURL == "/graph?g0.expr=up+%3D%3D+0&g0.tab=1")

        mgr.evaluateAll(at: 3 * minute)
        #expect(sender.batches.count == 1, "resend waits for the 1m resend delay to pass")
        mgr.evaluateAll(at: 4 * minute)
        #expect(sender.batches.count == 2)

        mgr.evaluateAll(at: 5 * minute)
        #expect(app.lines(at: 5 * minute) == [
            "ALERTS_FOR_STATE{\(labels)} stale",
            "ALERTS{alertname=\"Down\", alertstate=\"firing\", instance=\"a\", job=\"j\", severity=\"page\"} stale",
        ])
        let resolved = try #require(sender.batches.last?.first)
        #expect(sender.batches.count == 3)
        #expect(resolved.state == .inactive && resolved.resolvedAt == 5 * minute && resolved.endsAt == 5 * minute)
        #expect(mgr.activeAlerts().isEmpty)
        #expect(mgr.alertsJSON() == "{\"alerts\":[]}")
    }

    @Test func reloadKeepsStateOfRulesThatStillExist() throws {
        let q = FakeQuery()
        let app = RecordingAppender()
        let sender = RecordingSender()
        for m in 0..<5 { q.set(Int64(m) * minute, upZero) }
        let mgr = try makeManager(downRule, query: q, appender: app, sender: sender)
        mgr.evaluateAll(at: 0)
        mgr.evaluateAll(at: minute)
        let changed = downRule.replacingOccurrences(of: "is down", with: "is unreachable")
        mgr.update(groups: try RuleFileLoader.parse(text: changed, file: "r.yml").groups)
        mgr.evaluateAll(at: 2 * minute)
        let a = try #require(mgr.activeAlerts().first)
        #expect(a.state == .firing && a.activeAt == 0)
        #expect(a.annotations == ["summary": "a is unreachable (0)"])
    }

    @Test func limitExceededClearsAlertsAndRecordsTheError() throws {
        let q = FakeQuery()
        q.set(0, [VectorElement(labels: ["instance": "a"], t: 0, v: 1),
                  VectorElement(labels: ["instance": "b"], t: 0, v: 1)])
        let yaml = "groups:\n- name: g\n  limit: 1\n  rules:\n  - alert: A\n    expr: up\n"
        let mgr = try makeManager(yaml, query: q, appender: RecordingAppender(), sender: RecordingSender())
        mgr.evaluateAll(at: 0)
        #expect(mgr.activeAlerts().isEmpty)
        let json = mgr.rulesJSON()
        #expect(json.contains("\"health\":\"err\",\"lastError\":\"exceeded limit of 1 with 2 alerts\""), "\(json)")
    }

    @Test func sentAlertsCarryExternalLabelsButTheAPIDoesNot() throws {
        let q = FakeQuery()
        q.set(0, [VectorElement(labels: ["instance": "a", "region": "mine"], t: 0, v: 1)])
        let sender = RecordingSender()
        let file = try RuleFileLoader.parse(text: "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n",
                                            file: "r.yml")
        let context = RuleEvaluationContext(query: q.function, externalLabels: ["region": "eu", "dc": "x"])
        let mgr = RuleManager(context: context, appender: RecordingAppender(), sender: sender.send,
                              logger: .disabled)
        mgr.update(groups: file.groups)
        mgr.evaluateAll(at: 0)
        #expect(sender.batches.first?.first?.labels == ["alertname": "A", "dc": "x", "instance": "a", "region": "mine"])
        #expect(mgr.activeAlerts().first?.labels == ["alertname": "A", "instance": "a", "region": "mine"])
    }

    @Test func evaluationsAndFailuresAreCounted() throws {
        let metrics = MetricsRegistry()
        let failing: RuleEvaluationContext.QueryFunction = { _, _ in throw QueryError(.execution, "boom") }
        let file = try RuleFileLoader.parse(
            text: "groups:\n- name: g\n  rules:\n  - record: r\n    expr: up\n  - alert: A\n    expr: up\n",
            file: "r.yml")
        let mgr = RuleManager(context: RuleEvaluationContext(query: failing), appender: RecordingAppender(),
                              sender: { _ in }, logger: .disabled, metrics: metrics)
        mgr.update(groups: file.groups)
        mgr.evaluateAll(at: 0)
        let g: Labels = ["rule_group": "r.yml;g"]
        #expect(metrics.value("vigil_rule_evaluations_total", g) == 2)
        #expect(metrics.value("vigil_rule_evaluation_failures_total", g) == 2)
        #expect(mgr.rulesJSON().contains("\"health\":\"err\",\"lastError\":\"boom\""))
    }

    @Test func recordingRuleWritesSeriesAndStaleMarkers() throws {
        let q = FakeQuery()
        q.set(0, [VectorElement(labels: ["job": "a"], t: 0, v: 3), VectorElement(labels: ["job": "b"], t: 0, v: 4)])
        q.set(minute, [VectorElement(labels: ["job": "a"], t: minute, v: 5)])
        let yaml = "groups:\n- name: g\n  rules:\n  - record: job:up:sum\n    expr: sum by (job) (up)\n"
            + "    labels:\n      tier: x\n"
        let app = RecordingAppender()
        let mgr = try makeManager(yaml, query: q, appender: app, sender: RecordingSender())
        mgr.evaluateAll(at: 0)
        mgr.evaluateAll(at: minute)
        #expect(app.lines(at: 0) == ["job:up:sum{job=\"a\", tier=\"x\"} 3", "job:up:sum{job=\"b\", tier=\"x\"} 4"])
        #expect(app.lines(at: minute)
            == ["job:up:sum{job=\"a\", tier=\"x\"} 5", "job:up:sum{job=\"b\", tier=\"x\"} stale"])
    }

    @Test func templateExecutionErrorsRenderAsPrometheusDoes() throws {
        let q = FakeQuery()
        q.set(0, [VectorElement(labels: ["instance": "a"], t: 0, v: 1)])
        let yaml = "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    annotations:\n"
            + "      s: '{{ humanize \"x\" }}'\n"
        let mgr = try makeManager(yaml, query: q, appender: RecordingAppender(), sender: RecordingSender())
        mgr.evaluateAll(at: 0)
        let a = try #require(mgr.activeAlerts().first)
        // Go reports the 0-based byte column on the line, after Prometheus's 112 bytes of definitions: 112 + 3.
        #expect(a.annotations["s"] == "<error expanding template: template: __alert_A:1:115: executing "
            + "\"__alert_A\" at <humanize \"x\">: error calling humanize: strconv.ParseFloat: parsing \"x\": "
            + "invalid syntax>")
    }

    @Test func groupsRunOnTheirOwnSchedule() async throws {
        let q = FakeQuery()
        let app = RecordingAppender()
        let file = try RuleFileLoader.parse(
            text: "groups:\n- name: g\n  interval: 100ms\n  rules:\n  - record: r\n    expr: vector(1)\n",
            file: "r.yml")
        let always: RuleEvaluationContext.QueryFunction = { _, t in .vector([VectorElement(labels: [:], t: t, v: 1)]) }
        _ = q
        let mgr = RuleManager(context: RuleEvaluationContext(query: always), appender: app, sender: { _ in },
                              logger: .disabled)
        mgr.update(groups: file.groups)
        mgr.start()
        try await Task.sleep(nanoseconds: 800_000_000)
        mgr.stop()
        let times = Set(app.samples.map(\.t)).sorted()
        // Slots are 100ms apart at a fixed offset; a loaded machine may skip a slot, never shift one.
        #expect(times.count >= 2, "\(times)")
        for (a, b) in zip(times, times.dropFirst()) { #expect((b - a) % 100 == 0, "\(times)") }
    }
}

@Suite struct RuleManagerReloadTests {
    @Test func reloadMarksSeriesOfRemovedRulesAndGroupsStale() throws {
        let q = FakeQuery()
        q.set(0, [VectorElement(labels: ["job": "a"], t: 0, v: 1)])
        let two = "groups:\n- name: g\n  rules:\n  - record: r1\n    expr: up\n  - record: r2\n    expr: up\n"
            + "- name: h\n  rules:\n  - record: r3\n    expr: up\n"
        let app = RecordingAppender()
        let clock = 5 * 60_000 as Int64
        let file = try RuleFileLoader.parse(text: two, file: "r.yml")
        let mgr = RuleManager(context: RuleEvaluationContext(query: q.function), appender: app, sender: { _ in },
                              logger: .disabled, now: { clock })
        mgr.update(groups: file.groups)
        mgr.evaluateAll(at: 0)
        let one = "groups:\n- name: g\n  rules:\n  - record: r1\n    expr: up\n"
        mgr.update(groups: try RuleFileLoader.parse(text: one, file: "r.yml").groups)
        #expect(app.lines(at: clock) == ["r3{job=\"a\"} stale"])
        q.set(60_000, [VectorElement(labels: ["job": "a"], t: 60_000, v: 2)])
        mgr.evaluateAll(at: 60_000)
        #expect(app.lines(at: 60_000) == ["r1{job=\"a\"} 2", "r2{job=\"a\"} stale"])
    }
}
