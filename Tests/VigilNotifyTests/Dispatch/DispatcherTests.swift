import Foundation
import Testing
import VigilCore
import VigilTesting
@testable import VigilNotify

struct DispatcherTests {
    static let config = """
        route: {receiver: hook, group_by: [alertname], group_wait: 30s, group_interval: 5m, repeat_interval: 10m}
        receivers: [{name: hook}]
        """

    @Test func groupWaitBatchesAlertsOfANewGroup() async throws {
        let h = try DispatchHarness(Self.config)
        h.dispatcher.receive([h.alert(["alertname": "A", "instance": "1"])])
        await h.run(until: 10)
        h.dispatcher.receive([h.alert(["alertname": "A", "instance": "2"], startedAt: 10)])
        h.dispatcher.receive([h.alert(["alertname": "B"], startedAt: 10)])
        await h.run(until: 29)
        #expect(h.recorders["hook"]!.sent.isEmpty)
        await h.run(until: 40)
        let sent = h.recorders["hook"]!.sent
        #expect(h.recorders["hook"]!.times(since: h.start) == [30, 40])
        #expect(sent[0].notification.alerts.map { $0.labels["instance"] } == ["1", "2"])
        #expect(sent[0].notification.groupKey == "{}:{alertname=\"A\"}")
        #expect(sent[1].notification.groupKey == "{}:{alertname=\"B\"}")
    }

    @Test func groupIntervalThenRepeatInterval() async throws {
        let h = try DispatchHarness(Self.config)
        // Explicit far ends: without them the alerts would resolve after resolve_timeout (5m).
        h.dispatcher.receive([h.alert(["alertname": "A", "instance": "1"], endedAt: 100_000)])
        await h.run(until: 60)
        h.dispatcher.receive([h.alert(["alertname": "A", "instance": "2"], startedAt: 60, endedAt: 100_000)])
        await h.run(until: 1_000)
        // 30s first; 5m30s because the group changed; unchanged at 10m30s (5m < repeat 10m); repeat at 15m30s.
        #expect(h.recorders["hook"]!.times(since: h.start) == [30, 330, 930])
        #expect(h.recorders["hook"]!.sent[1].notification.alerts.count == 2)
    }

    @Test func resolvedAlertIsNotifiedOnceThenDropped() async throws {
        let h = try DispatchHarness(Self.config)
        h.dispatcher.receive([h.alert(["alertname": "A"])])
        await h.run(until: 60)
        h.dispatcher.receive([h.alert(["alertname": "A"], endedAt: 60)])
        await h.run(until: 2_000)
        let sent = h.recorders["hook"]!.sent
        #expect(h.recorders["hook"]!.times(since: h.start) == [30, 330])
        let resolved = try #require(sent.last?.notification)
        #expect(resolved.status == .resolved)
        #expect(resolved.alerts.first?.endsAt == h.at(60))
        #expect(sent[0].notification.alerts.first?.endsAt == nil)
        #expect(h.dispatcher.groupCount == 0)
    }

    @Test func resolutionWithoutSendResolvedIsNotSent() async throws {
        let h = try DispatchHarness(Self.config, sendResolved: false)
        h.dispatcher.receive([h.alert(["alertname": "A"], endedAt: 100_000), h.alert(["alertname": "A", "x": "2"])])
        await h.run(until: 60)
        h.dispatcher.receive([h.alert(["alertname": "A", "x": "2"], endedAt: 60)])
        await h.run(until: 700)
        // The firing set shrank: no notification for the resolution; the repeat at 10m30s carries only the firing one.
        #expect(h.recorders["hook"]!.times(since: h.start) == [30, 630])
        #expect(h.recorders["hook"]!.sent.last?.notification.alerts.count == 1)
    }

    @Test func fireResolveFireInOneGroup() async throws {
        let h = try DispatchHarness(Self.config)
        h.dispatcher.receive([h.alert(["alertname": "A"])])
        await h.run(until: 60)
        h.dispatcher.receive([h.alert(["alertname": "A"], endedAt: 60)])
        await h.run(until: 360)
        h.dispatcher.receive([h.alert(["alertname": "A"], startedAt: 360)])
        await h.run(until: 700)
        let sent = h.recorders["hook"]!.sent
        #expect(h.recorders["hook"]!.times(since: h.start) == [30, 330, 630])
        #expect(sent.map { $0.notification.status } == [.firing, .resolved, .firing])
        #expect(sent[2].notification.alerts.first?.startsAt == h.at(360))
        #expect(sent[2].notification.alerts.first?.endsAt == nil)
    }

    @Test func resolvedBeforeFirstFlushIsNeverSent() async throws {
        let h = try DispatchHarness(Self.config)
        h.dispatcher.receive([h.alert(["alertname": "A"])])
        await h.run(until: 10)
        h.dispatcher.receive([h.alert(["alertname": "A"], endedAt: 10)])
        await h.run(until: 1_000)
        #expect(h.recorders["hook"]!.sent.isEmpty)
    }

    @Test func updatesOfTheSameAlertMerge() async throws {
        let h = try DispatchHarness(Self.config)
        h.dispatcher.receive([h.alert(["alertname": "A"], startedAt: 0)])
        await h.run(until: 20)
        // A re-send with a later start (as a source that lost its state would send) keeps the earliest start.
        h.dispatcher.receive([h.alert(["alertname": "A"], startedAt: 20)])
        await h.run(until: 40)
        let alerts = try #require(h.recorders["hook"]!.sent.first?.notification.alerts)
        #expect(alerts.count == 1)
        #expect(alerts.first?.startsAt == h.at(0))
    }

    @Test func alertsWithoutEndResolveAfterResolveTimeout() async throws {
        let h = try DispatchHarness("""
            global: {resolve_timeout: 1m}
            route: {receiver: hook, group_wait: 10s, group_interval: 1m, repeat_interval: 1h}
            receivers: [{name: hook}]
            """)
        h.dispatcher.receive([h.alert(["alertname": "A"])])
        await h.run(until: 200)
        let sent = h.recorders["hook"]!.sent
        #expect(h.recorders["hook"]!.times(since: h.start) == [10, 70])
        #expect(sent.last?.notification.status == .resolved)
        #expect(sent.last?.notification.alerts.first?.endsAt == h.at(60))
    }

    @Test func continueSendsToSeveralReceiversInSeparateGroups() async throws {
        let h = try DispatchHarness("""
            route:
              receiver: default
              group_wait: 10s
              routes:
                - {matchers: [team="db"], receiver: db, continue: true, group_wait: 20s}
                - {matchers: [severity="critical"], receiver: pager}
            receivers: [{name: default}, {name: db}, {name: pager}]
            """)
        h.dispatcher.receive([h.alert(["alertname": "A", "team": "db", "severity": "critical"])])
        h.dispatcher.receive([h.alert(["alertname": "B"])])
        await h.run(until: 60)
        #expect(h.recorders["db"]!.times(since: h.start) == [20])
        #expect(h.recorders["pager"]!.times(since: h.start) == [10])
        #expect(h.recorders["default"]!.times(since: h.start) == [10])
        #expect(h.recorders["db"]!.sent.first?.notification.groupKey == "{}/{team=\"db\"}:{}")
        #expect(h.recorders["pager"]!.sent.first?.notification.receiver == "pager")
    }

    @Test func oldAlertInNewGroupFlushesWithoutGroupWait() async throws {
        let h = try DispatchHarness(Self.config)
        await h.run(until: 100)
        h.dispatcher.receive([h.alert(["alertname": "A"], startedAt: 0)])
        await h.run(until: 100)
        #expect(h.recorders["hook"]!.times(since: h.start) == [100])
    }

    /// Case C13: repeats happen only on group_interval ticks, so the effective repeat is
    /// group_interval × ceil(repeat_interval / group_interval), and an interval equal to repeat_interval repeats.
    @Test(arguments: [
        ("alertmanager-a.yml", [Int64](stride(from: 5, through: 1_800, by: 60))),
        ("alertmanager-b.yml", [30, 330, 630, 930, 1_230, 1_530]),
        ("alertmanager-c.yml", [30, 390, 750, 1_110, 1_470]),
    ])
    func caseC13GroupIntervalVersusRepeatInterval(_ file: String, _ expected: [Int64]) async throws {
        let yaml: String
        if let url = SharedFixtures.path("cases/C13/\(file)"),
           let text = try? String(contentsOf: url, encoding: .utf8) {
            yaml = text
        } else {
            let fallback = [
                "alertmanager-a.yml": "{group_wait: 5s, group_interval: 1m, repeat_interval: 15s}",
                "alertmanager-b.yml": "{group_wait: 30s, group_interval: 5m, repeat_interval: 5m}",
                "alertmanager-c.yml": "{group_wait: 30s, group_interval: 3m, repeat_interval: 5m}",
            ]
            yaml = "route: \(fallback[file]!.dropLast()), receiver: hook}\n"
                + "receivers: [{name: hook, webhook_configs: [{url: \"http://127.0.0.1:9099/hook\"}]}]\n"
        }
        let h = try DispatchHarness(yaml)
        let labels: Labels = ["alertname": "MemHigh", "instance": "host-a"]
        for t in stride(from: Int64(0), to: 1_800, by: 30) {
            await h.run(until: t)
            h.dispatcher.receive([h.alert(labels, startedAt: 0)])
        }
        await h.run(until: 1_800)
        #expect(h.recorders["hook"]!.times(since: h.start) == expected)
    }
}

struct DispatcherMutingTests {
    struct MuteInstance: AlertMuter {
        let instance: String
        func mutes(_ alert: NotifyAlert, at now: Int64) -> Bool { alert.labels["instance"] == instance }
    }

    @Test func mutedAlertsAreLeftOutOfNotifications() async throws {
        let (config, _) = try NotifyConfiguration.parse(text: """
            route: {receiver: hook, group_wait: 10s}
            receivers: [{name: hook}]
            """, file: "am.yml")
        let clock = ManualNotifyClock(start: 0)
        let recorder = RecordingIntegration(clock: clock)
        let dispatcher = Dispatcher(configuration: config, clock: clock, logger: .disabled,
                                    muters: [MuteInstance(instance: "b")]) { _ in [recorder] }
        dispatcher.receive([NotifyAlert(labels: ["alertname": "A", "instance": "a"], startsAt: 0),
                            NotifyAlert(labels: ["alertname": "A", "instance": "b"], startsAt: 0)])
        clock.advance(to: 10_000)
        await dispatcher.settle()
        #expect(recorder.sent.map { $0.notification.alerts.map { $0.labels["instance"] } } == [["a"]])
        #expect(dispatcher.alertsSnapshot().count == 2)
    }

    @Test func logOnlyDefaultRoutesEverythingToTheLog() {
        let config = NotifyConfiguration.logOnly()
        #expect(config.route.match(["alertname": "X"]).map(\.options.receiver) == ["log"])
        #expect(config.route.options.groupBy == ["alertname"])
    }
}
