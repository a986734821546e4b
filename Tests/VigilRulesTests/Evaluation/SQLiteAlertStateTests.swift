import Foundation
import Testing
import VigilCore
import VigilQuery
import VigilStorage

@testable import VigilRules

private let minute: Int64 = 60_000

/// `for` progress survives a restart through `state.sqlite` alone: each run gets a fresh, empty series store.
@Suite struct SQLiteAlertStateTests {
    private func run(_ store: SQLiteAlertStateStore, from: Int64, to: Int64) throws -> RuleManager {
        let yaml = "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    for: 30m\n"
        let always: RuleEvaluationContext.QueryFunction = { _, t in
            .vector([VectorElement(labels: ["__name__": "up", "instance": "a"], t: t, v: 0)])
        }
        let mgr = RuleManager(context: RuleEvaluationContext(query: always), appender: MemoryStorage(),
                              sender: { _ in }, logger: .disabled, stateStore: store)
        mgr.update(groups: try RuleFileLoader.parse(text: yaml, file: "r.yml").groups)
        var t = from
        while t <= to {
            mgr.evaluateAll(at: t)
            t += minute
        }
        return mgr
    }

    @Test func pendingTimeSurvivesARestartWithoutTheSeriesStore() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-alertstate-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            let store = try SQLiteAlertStateStore(store: try StateStore(path: dir + "/state.sqlite"))
            _ = try run(store, from: 0, to: 10 * minute)
        }
        // Same hand calculation as Prometheus's RestoreForState: down from 10m to 20m, 10m of 30m served.
        let store = try SQLiteAlertStateStore(store: try StateStore(path: dir + "/state.sqlite"))
        let restarted = try run(store, from: 20 * minute, to: 20 * minute)
        #expect(restarted.activeAlerts().map(\.activeAt) == [10 * minute])
        restarted.evaluateAll(at: 40 * minute)
        #expect(restarted.activeAlerts().map(\.state) == [.firing])
    }

    @Test func resolvedAlertsLeaveTheTable() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-alertstate-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let state = try StateStore(path: dir + "/state.sqlite")
        let store = try SQLiteAlertStateStore(store: state)
        try store.record(group: "r.yml;g", samples: [
            LabeledSample(["__name__": "ALERTS_FOR_STATE", "alertname": "A"], t: 60_000, v: 0),
        ])
        #expect(store.lastForState(["__name__": "ALERTS_FOR_STATE", "alertname": "A"], mint: 0, maxt: 60_000)
            == Sample(t: 60_000, v: 0))
        try store.record(group: "r.yml;g", samples: [])
        #expect(store.lastForState(["__name__": "ALERTS_FOR_STATE", "alertname": "A"], mint: 0, maxt: 60_000) == nil)
    }
}
