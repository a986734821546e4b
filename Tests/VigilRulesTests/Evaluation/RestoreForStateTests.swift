import Foundation
import Testing
import VigilCore
import VigilQuery
import VigilStorage

@testable import VigilRules

private let minute: Int64 = 60_000

// Expected activeAt values worked by hand from Prometheus's rules/group.go RestoreForState.
@Suite struct RestoreForStateTests {
    private func run(_ storage: MemoryStorage, from: Int64, to: Int64, hold: String, restore: Bool) throws
        -> RuleManager
    {
        let yaml = "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    for: \(hold)\n"
        let always: RuleEvaluationContext.QueryFunction = { _, t in
            .vector([VectorElement(labels: ["__name__": "up", "instance": "a"], t: t, v: 0)])
        }
        let mgr = RuleManager(context: RuleEvaluationContext(query: always), appender: storage, sender: { _ in },
                              logger: .disabled, restoreFrom: restore ? storage : nil)
        mgr.update(groups: try RuleFileLoader.parse(text: yaml, file: "r.yml").groups)
        var t = from
        while t <= to {
            mgr.evaluateAll(at: t)
            t += minute
        }
        return mgr
    }

    @Test func pendingTimeServedBeforeARestartCounts() throws {
        let storage = MemoryStorage()
        _ = try run(storage, from: 0, to: 10 * minute, hold: "30m", restore: true)
        // Down from 10m to 20m: 10m of the 30m served, so activeAt moves forward by the outage to 10m.
        let restarted = try run(storage, from: 20 * minute, to: 20 * minute, hold: "30m", restore: true)
        #expect(restarted.activeAlerts().map(\.activeAt) == [10 * minute])
        let forState = storage.select([try LabelMatcher(.equal, "__name__", "ALERTS_FOR_STATE")],
                                      mint: 20 * minute, maxt: 20 * minute)
        #expect(forState.first?.samples.map(\.v) == [600])
        restarted.evaluateAll(at: 39 * minute)
        #expect(restarted.activeAlerts().map(\.state) == [.pending])
        restarted.evaluateAll(at: 40 * minute)
        #expect(restarted.activeAlerts().map(\.state) == [.firing])
    }

    @Test func almostDoneAlertsWaitTheGracePeriod() throws {
        let storage = MemoryStorage()
        _ = try run(storage, from: 0, to: 25 * minute, hold: "30m", restore: true)
        // 5m left is under the 10m grace period: activeAt = 30m + 10m - 30m.
        let restarted = try run(storage, from: 30 * minute, to: 30 * minute, hold: "30m", restore: true)
        #expect(restarted.activeAlerts().map(\.activeAt) == [10 * minute])
    }

    @Test func shortForAndDisabledRestoreStartOver() throws {
        let storage = MemoryStorage()
        _ = try run(storage, from: 0, to: 3 * minute, hold: "5m", restore: true)
        let short = try run(storage, from: 4 * minute, to: 4 * minute, hold: "5m", restore: true)
        #expect(short.activeAlerts().map(\.activeAt) == [4 * minute])

        let other = MemoryStorage()
        _ = try run(other, from: 0, to: 10 * minute, hold: "30m", restore: false)
        let fresh = try run(other, from: 20 * minute, to: 20 * minute, hold: "30m", restore: false)
        #expect(fresh.activeAlerts().map(\.activeAt) == [20 * minute])
    }
}
