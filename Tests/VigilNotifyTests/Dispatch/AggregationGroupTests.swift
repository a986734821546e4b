import Testing
import VigilCore
@testable import VigilNotify

struct AggregationGroupTests {
    private func group() -> AggregationGroup {
        var options = RouteOptions.defaults(receiver: "r")
        options.groupWait = 30_000
        let route = NotifyRoute(matchers: [], continueMatching: false, options: options, routes: [], parentKey: nil)
        return AggregationGroup(route: route, labels: ["alertname": "A"])
    }

    private func alert(_ instance: String, start: Int64, end: Int64? = nil) -> NotifyAlert {
        NotifyAlert(labels: ["alertname": "A", "instance": instance], startsAt: start, endsAt: end)
    }

    @Test func firstInsertSchedulesGroupWaitUnlessTheAlertIsOld() {
        let fresh = group()
        #expect(fresh.insert(alert("a", start: 1_000), now: 1_000) == .scheduleFirstFlush(at: 31_000))
        #expect(fresh.insert(alert("b", start: 2_000), now: 2_000) == .none)
        #expect(fresh.insert(alert("c", start: 0), now: 40_000) == .flushNow)

        let old = group()
        #expect(old.insert(alert("a", start: 0), now: 60_000) == .flushNow)
    }

    @Test func tickDuringDeliveryWaitsThenAsksForAFlush() throws {
        let g = group()
        _ = g.insert(alert("a", start: 0, end: 10_000), now: 0)
        #expect(g.tick() == .flush)
        let plan = try #require(g.beginFlush(at: 30_000))
        #expect(plan.resolved == [alert("a", start: 0).fingerprint])
        g.deliveryStarted()
        #expect(g.tick() == .waitForDelivery)
        #expect(g.flushFinished(plan, succeeded: true))
        #expect(g.isEmpty)
        #expect(g.tick() == .remove)
    }

    @Test func failedFlushKeepsResolvedAlertsAndChangedOnesStay() throws {
        let g = group()
        _ = g.insert(alert("a", start: 0, end: 10_000), now: 0)
        _ = g.insert(alert("b", start: 0, end: 10_000), now: 0)
        let plan = try #require(g.beginFlush(at: 30_000))
        g.deliveryStarted()
        #expect(!g.flushFinished(plan, succeeded: false))
        #expect(g.alerts.count == 2)

        let retry = try #require(g.beginFlush(at: 40_000))
        g.deliveryStarted()
        _ = g.insert(alert("b", start: 35_000), now: 35_000)
        _ = g.flushFinished(retry, succeeded: true)
        #expect(g.alerts.values.map { $0.labels["instance"] } == ["b"])
    }

    @Test func snapshotClearsEndsOfFiringAlertsAndSortsByJobThenInstance() {
        let g = group()
        _ = g.insert(NotifyAlert(labels: ["alertname": "A", "instance": "z"], startsAt: 0, endsAt: 99_000), now: 0)
        _ = g.insert(NotifyAlert(labels: ["alertname": "A", "job": "b", "instance": "x"], startsAt: 0), now: 0)
        _ = g.insert(NotifyAlert(labels: ["alertname": "A", "job": "a", "instance": "y"], startsAt: 0), now: 0)
        let snap = g.snapshot(at: 1_000)
        #expect(snap.map { $0.labels["instance"] } == ["y", "x", "z"])
        #expect(snap.allSatisfy { $0.endsAt == nil })
    }
}
