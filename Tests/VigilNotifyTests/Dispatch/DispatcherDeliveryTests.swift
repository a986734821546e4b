import Foundation
import Testing
import VigilCore
import VigilTesting
@testable import VigilNotify

/// The dispatcher with its real integrations: webhooks over HTTP and the log.
struct DispatcherDeliveryTests {
    @Test func hangingReceiverDoesNotDelayAnother() async throws {
        let gate = HangGate()
        let slow = try TestHTTPServer { _ in
            gate.hang(upTo: 10)
            return TestHTTPResponse(status: 200)
        }
        let fast = try TestHTTPServer()
        defer {
            gate.open()
            fast.stop()
            slow.stop()
        }
        let (config, _) = try NotifyConfiguration.parse(text: """
            route:
              receiver: slow
              group_wait: 1s
              routes:
                - {matchers: [alertname="A"], receiver: slow, continue: true}
                - {matchers: [alertname="A"], receiver: fast}
            receivers:
              - {name: slow, webhook_configs: [{url: "\(slow.baseURL)/"}]}
              - {name: fast, webhook_configs: [{url: "\(fast.baseURL)/"}]}
            """, file: "am.yml")
        let clock = ManualNotifyClock()
        let dispatcher = Dispatcher(configuration: config, clock: clock, logger: .disabled)
        defer { dispatcher.stop() }
        dispatcher.receive([NotifyAlert(labels: ["alertname": "A"], startsAt: clock.now())])
        clock.advance(by: 1_000)

        let started = Date()
        while fast.requests.isEmpty && Date().timeIntervalSince(started) < 5 {
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        #expect(fast.requests.count == 1)
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(dispatcher.groupCount == 2)
    }

    @Test func hangingGroupDoesNotDelayAnotherGroupOfTheSameReceiver() async throws {
        let gate = HangGate()
        let server = try TestHTTPServer { request in
            if request.bodyString.contains("\"alertname\":\"Slow\"") { gate.hang(upTo: 10) }
            return TestHTTPResponse(status: 200)
        }
        defer {
            gate.open()
            server.stop()
        }
        let (config, _) = try NotifyConfiguration.parse(text: """
            route: {receiver: hook, group_by: [alertname], group_wait: 1s}
            receivers: [{name: hook, webhook_configs: [{url: "\(server.baseURL)/"}]}]
            """, file: "am.yml")
        let clock = ManualNotifyClock()
        let dispatcher = Dispatcher(configuration: config, clock: clock, logger: .disabled)
        defer { dispatcher.stop() }
        dispatcher.receive([NotifyAlert(labels: ["alertname": "Slow"], startsAt: clock.now())])
        clock.advance(by: 500)
        dispatcher.receive([NotifyAlert(labels: ["alertname": "Fast"], startsAt: clock.now())])
        clock.advance(by: 500)
        // The slow group's flush is now hanging in its request; the fast group's flush is due next.
        let waiting = Date()
        while server.requests.isEmpty && Date().timeIntervalSince(waiting) < 5 {
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        let started = Date()
        clock.advance(by: 500)
        while Date().timeIntervalSince(started) < 5
            && !server.requests.contains(where: { $0.bodyString.contains("Fast") }) {
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        #expect(server.requests.contains { $0.bodyString.contains("Fast") })
        #expect(Date().timeIntervalSince(started) < 2)
    }

    @Test func logReceiverLogsEveryNotificationWithDottedKeys() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let (config, _) = try NotifyConfiguration.parse(text: """
            route: {receiver: hook, group_wait: 10s, group_interval: 1m, group_by: [alertname]}
            receivers: [{name: hook, webhook_configs: [{url: "\(server.baseURL)/hook"}]}]
            """, file: "am.yml")
        let clock = ManualNotifyClock()
        let sink = MemoryLogSink()
        let metrics = MetricsRegistry()
        let dispatcher = Dispatcher(configuration: config, clock: clock, logger: Logger(sink: sink), metrics: metrics,
                                    externalURL: "http://vigil")
        defer { dispatcher.stop() }
        let alert = NotifyAlert(labels: ["alertname": "HostDown", "instance": "a"], startsAt: clock.now(),
                                endsAt: clock.now() + 30_000)
        dispatcher.receive([alert])
        clock.advance(by: 10_000)
        await dispatcher.settle()
        clock.advance(by: 60_000)
        await dispatcher.settle()

        let lines = sink.lines.filter { $0.contains("msg=notification") }
        #expect(lines.count == 2)
        let fp = alert.fingerprintHex
        #expect(lines[0].contains("receiver=hook") && lines[0].contains("status=firing")
            && lines[0].contains("alert.name=HostDown") && lines[0].contains("alert.fingerprint=\(fp)"))
        #expect(lines[0].contains("level=info"))
        #expect(lines[1].contains("status=resolved"))

        let bodies = server.requests.map { try? JSONSerialization.jsonObject(with: Data($0.body)) as? [String: Any] }
        #expect(bodies.map { $0?["status"] as? String } == ["firing", "resolved"])
        #expect(bodies.first??["groupKey"] as? String == "{}:{alertname=\"HostDown\"}")
        #expect(metrics.value("vigil_notifications_total", ["receiver": "hook"]) == 2)
    }

    @Test func failedDeliveryIsRetriedAtTheNextFlush() async throws {
        let responder = ScriptedResponder([400, 200])
        let server = try TestHTTPServer { _ in responder.next() }
        defer { server.stop() }
        let (config, _) = try NotifyConfiguration.parse(text: """
            route: {receiver: hook, group_wait: 10s, group_interval: 1m, repeat_interval: 1h}
            receivers: [{name: hook, webhook_configs: [{url: "\(server.baseURL)/"}]}]
            """, file: "am.yml")
        let clock = ManualNotifyClock()
        let dispatcher = Dispatcher(configuration: config, clock: clock, logger: .disabled)
        defer { dispatcher.stop() }
        dispatcher.receive([NotifyAlert(labels: ["alertname": "A"], startsAt: clock.now(),
                                        endsAt: clock.now() + 3_600_000)])
        for _ in 0..<3 {
            clock.advance(to: clock.nextDeadline!)
            await dispatcher.settle()
        }
        // 10s: rejected (400, not retried, not logged as notified); 70s: sent again and accepted; 130s: deduplicated.
        #expect(server.requests.count == 2)
    }
}

struct SystemClockDispatchTests {
    @Test func wallClockTimersDeliverAfterGroupWait() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let (config, _) = try NotifyConfiguration.parse(text: """
            route: {receiver: hook, group_wait: 300ms, group_interval: 1h}
            receivers: [{name: hook, webhook_configs: [{url: "\(server.baseURL)/"}]}]
            """, file: "am.yml")
        let dispatcher = Dispatcher(configuration: config, logger: .disabled)
        defer { dispatcher.stop() }
        let start = Date()
        dispatcher.receive([NotifyAlert(labels: ["alertname": "A"], startsAt: Timestamp.nowMillis())])
        while server.requests.isEmpty && Date().timeIntervalSince(start) < 30 {
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        let waited = Date().timeIntervalSince(start)
        #expect(server.requests.count == 1)
        // Never before group_wait; the upper bound only guards against a lost timer (the machine may be busy).
        #expect(waited >= 0.29)
    }
}
