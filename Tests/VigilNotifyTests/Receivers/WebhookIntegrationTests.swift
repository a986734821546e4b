import Foundation
import Testing
import VigilCore
import VigilTesting
@testable import VigilNotify

/// Counts requests and answers from a script of statuses (the last one repeats).
final class ScriptedResponder: @unchecked Sendable {
    private let lock = NSLock()
    private var statuses: [Int]
    init(_ statuses: [Int]) { self.statuses = statuses }
    func next() -> TestHTTPResponse {
        let status = lock.withLock { statuses.count > 1 ? statuses.removeFirst() : statuses[0] }
        return TestHTTPResponse(status: status, body: status == 200 ? "ok" : "nope")
    }
}

struct WebhookIntegrationTests {
    private func notification(_ alerts: [NotifyAlert], now: Int64) -> GroupNotification {
        GroupNotification(receiver: "team", groupKey: "{}/{severity=\"critical\"}:{alertname=\"DiskFull\"}",
                          groupLabels: ["alertname": "DiskFull"], alerts: alerts, now: now,
                          externalURL: "http://127.0.0.1:9470")
    }

    private func json(_ body: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
    }

    /// Every field of Alertmanager's webhook message version 4, decoded from what a real server received.
    @Test func postsAlertmanagerWebhookJSONVersion4() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let t0: Int64 = 1_700_000_000_000
        let firing = NotifyAlert(labels: ["alertname": "DiskFull", "severity": "critical", "instance": "a",
                                          "job": "node"],
                                 annotations: ["summary": "disk a full", "runbook": "r"], startsAt: t0,
                                 endsAt: nil, generatorURL: "http://127.0.0.1:9470/graph?g0.expr=x")
        let resolved = NotifyAlert(labels: ["alertname": "DiskFull", "severity": "critical", "instance": "b",
                                            "job": "node"],
                                   annotations: ["summary": "disk b full", "runbook": "r"], startsAt: t0 + 1_500,
                                   endsAt: t0 + 60_000, generatorURL: "")
        let hook = WebhookIntegration(index: 0, configuration: WebhookConfiguration(url: server.baseURL + "/hook"),
                                      client: URLSessionNotifyHTTPClient())
        try await hook.send(notification([firing, resolved], now: t0 + 120_000), timeout: 5_000)

        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/hook")
        #expect(request.headers["Content-Type"] == "application/json")
        let body = try json(request.body)
        #expect(Set(body.keys) == ["version", "groupKey", "truncatedAlerts", "status", "receiver", "groupLabels",
                                   "commonLabels", "commonAnnotations", "externalURL", "alerts"])
        #expect(body["version"] as? String == "4")
        #expect(body["groupKey"] as? String == "{}/{severity=\"critical\"}:{alertname=\"DiskFull\"}")
        #expect(body["truncatedAlerts"] as? Int == 0)
        #expect(body["status"] as? String == "firing")
        #expect(body["receiver"] as? String == "team")
        #expect(body["groupLabels"] as? [String: String] == ["alertname": "DiskFull"])
        #expect(body["commonLabels"] as? [String: String]
            == ["alertname": "DiskFull", "severity": "critical", "job": "node"])
        #expect(body["commonAnnotations"] as? [String: String] == ["runbook": "r"])
        #expect(body["externalURL"] as? String == "http://127.0.0.1:9470")

        let alerts = try #require(body["alerts"] as? [[String: Any]])
        #expect(alerts.count == 2)
        let a = alerts[0]
        #expect(Set(a.keys) == ["status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint"])
        #expect(a["status"] as? String == "firing")
        #expect(a["labels"] as? [String: String]
            == ["alertname": "DiskFull", "severity": "critical", "instance": "a", "job": "node"])
        #expect(a["annotations"] as? [String: String] == ["summary": "disk a full", "runbook": "r"])
        #expect(a["startsAt"] as? String == "2023-11-14T22:13:20Z")
        #expect(a["endsAt"] as? String == "0001-01-01T00:00:00Z")
        #expect(a["generatorURL"] as? String == "http://127.0.0.1:9470/graph?g0.expr=x")
        let fp = try #require(a["fingerprint"] as? String)
        #expect(fp.count == 16 && fp.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(fp == String(format: "%016lx", firing.labels.fingerprint))
        let b = alerts[1]
        #expect(b["status"] as? String == "resolved")
        #expect(b["startsAt"] as? String == "2023-11-14T22:13:21.5Z")
        #expect(b["endsAt"] as? String == "2023-11-14T22:14:20Z")
    }

    @Test func maxAlertsTruncatesAndCounts() throws {
        let alerts = (0..<5).map { NotifyAlert(labels: ["alertname": "A", "i": "\($0)"], startsAt: 0) }
        let body = try json(WebhookPayload.encode(notification(alerts, now: 1), maxAlerts: 2))
        #expect((body["alerts"] as? [[String: Any]])?.count == 2)
        #expect(body["truncatedAlerts"] as? Int == 3)
    }

    @Test func allResolvedMeansResolvedStatus() throws {
        let alerts = [NotifyAlert(labels: ["alertname": "A"], startsAt: 0, endsAt: 10)]
        let body = try json(WebhookPayload.encode(notification(alerts, now: 20), maxAlerts: 0))
        #expect(body["status"] as? String == "resolved")
    }

    @Test func retriesServerErrorsWithBackoffUntilAccepted() async throws {
        let responder = ScriptedResponder([500, 500, 200])
        let server = try TestHTTPServer { _ in responder.next() }
        defer { server.stop() }
        let sink = MemoryLogSink()
        let metrics = MetricsRegistry()
        let stage = RetryStage(clock: SystemNotifyClock(), logger: Logger(sink: sink), metrics: metrics,
                               policy: RetryPolicy(initialBackoff: 20, maxBackoff: 100, requestTimeout: 2_000))
        let hook = WebhookIntegration(index: 0, configuration: WebhookConfiguration(url: server.baseURL),
                                      client: URLSessionNotifyHTTPClient())
        let n = notification([NotifyAlert(labels: ["alertname": "A"], startsAt: 0)], now: Timestamp.nowMillis())
        let ok = await stage.run(hook, n, deadline: Timestamp.nowMillis() + 10_000)
        #expect(ok)
        #expect(server.requests.count == 3)
        let failures = sink.lines.filter { $0.contains("msg=\"notify attempt failed\"") }
        #expect(failures.count == 2)
        #expect(failures.allSatisfy { $0.contains("retry=true") && $0.contains("500") })
        #expect(metrics.value("vigil_notifications_total", ["receiver": "team"]) == 1)
        #expect(metrics.value("vigil_notifications_failed_total", ["receiver": "team"]) == nil)
    }

    @Test func clientErrorIsNotRetried() async throws {
        let server = try TestHTTPServer { _ in TestHTTPResponse(status: 400, body: "bad payload") }
        defer { server.stop() }
        let sink = MemoryLogSink()
        let metrics = MetricsRegistry()
        let stage = RetryStage(clock: SystemNotifyClock(), logger: Logger(sink: sink), metrics: metrics,
                               policy: RetryPolicy(initialBackoff: 20, maxBackoff: 100, requestTimeout: 2_000))
        let hook = WebhookIntegration(index: 0, configuration: WebhookConfiguration(url: server.baseURL),
                                      client: URLSessionNotifyHTTPClient())
        let n = notification([NotifyAlert(labels: ["alertname": "A"], startsAt: 0)], now: Timestamp.nowMillis())
        let ok = await stage.run(hook, n, deadline: Timestamp.nowMillis() + 10_000)
        #expect(!ok)
        #expect(server.requests.count == 1)
        #expect(sink.lines.contains { $0.contains("msg=\"notify failed\"") && $0.contains("retry=false")
            && $0.contains("400") })
        #expect(metrics.value("vigil_notifications_failed_total", ["receiver": "team"]) == 1)
    }

    @Test func tooManyRequestsIsRetried() {
        #expect(NotifyError.httpStatus(url: "u", status: 429, body: "").retryable)
        #expect(!NotifyError.httpStatus(url: "u", status: 404, body: "").retryable)
        #expect(NotifyError.transport(url: "u", message: "refused").retryable)
    }

    @Test func retriesStopAtTheDeadline() async throws {
        let server = try TestHTTPServer { _ in TestHTTPResponse(status: 503) }
        defer { server.stop() }
        let sink = MemoryLogSink()
        let stage = RetryStage(clock: SystemNotifyClock(), logger: Logger(sink: sink), metrics: nil,
                               policy: RetryPolicy(initialBackoff: 200, maxBackoff: 200, requestTimeout: 1_000))
        let hook = WebhookIntegration(index: 0, configuration: WebhookConfiguration(url: server.baseURL),
                                      client: URLSessionNotifyHTTPClient())
        let start = Timestamp.nowMillis()
        let ok = await stage.run(hook, notification([NotifyAlert(labels: ["alertname": "A"], startsAt: 0)], now: start),
                                 deadline: start + 2_000)
        let elapsed = Timestamp.nowMillis() - start
        #expect(!ok)
        #expect(server.requests.count >= 2, "\(sink.lines)")
        // It gives up once the next attempt would start past the deadline, never long after it.
        #expect(elapsed >= 2_000 - 200 - 1_000)
        #expect(elapsed < 2_000 + 1_000 + 1_000)
    }
}

struct WebhookTimeoutTests {
    @Test func hangingRequestTimesOutAndIsRetried() async throws {
        let gate = HangGate()
        let server = try TestHTTPServer { _ in
            gate.hang(upTo: 10)
            return TestHTTPResponse(status: 200)
        }
        defer {
            gate.open()
            server.stop()
        }
        let sink = MemoryLogSink()
        let stage = RetryStage(clock: SystemNotifyClock(), logger: Logger(sink: sink), metrics: nil,
                               policy: RetryPolicy(initialBackoff: 50, maxBackoff: 50, requestTimeout: 200))
        let hook = WebhookIntegration(index: 0, configuration: WebhookConfiguration(url: server.baseURL),
                                      client: URLSessionNotifyHTTPClient())
        let start = Timestamp.nowMillis()
        let n = GroupNotification(receiver: "r", groupKey: "{}:{}", groupLabels: Labels(),
                                  alerts: [NotifyAlert(labels: ["alertname": "A"], startsAt: 0)], now: start,
                                  externalURL: "")
        let ok = await stage.run(hook, n, deadline: start + 1_500)
        #expect(!ok)
        #expect(Timestamp.nowMillis() - start < 4_000)
        let failures = sink.lines.filter { $0.contains("notify attempt failed") }
        #expect(failures.count >= 2)
        #expect(failures.allSatisfy { $0.contains("timed out") && $0.contains("retry=true") })
    }
}

struct WebhookSettingsTests {
    @Test func urlFileAndBearerCredentialsAreReadAtSend() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-hook-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let urlFile = dir.appendingPathComponent("url")
        try "\(server.baseURL)/from-file\n".write(to: urlFile, atomically: true, encoding: .utf8)
        let tokenFile = dir.appendingPathComponent("token")
        try "s3cret\n".write(to: tokenFile, atomically: true, encoding: .utf8)

        let (config, _) = try NotifyConfiguration.parse(text: """
            route: {receiver: r}
            receivers:
              - name: r
                webhook_configs:
                  - url_file: \(urlFile.path)
                    http_config: {bearer_token_file: \(tokenFile.path)}
            """, file: "am.yml")
        let hookConfig = try #require(config.receivers.first?.webhooks.first)
        let hook = WebhookIntegration(index: 0, configuration: hookConfig, client: URLSessionNotifyHTTPClient())
        let n = GroupNotification(receiver: "r", groupKey: "{}:{}", groupLabels: Labels(),
                                  alerts: [NotifyAlert(labels: ["alertname": "A"], startsAt: 0)], now: 1,
                                  externalURL: "")
        try await hook.send(n, timeout: 5_000)
        #expect(server.requests.first?.path == "/from-file")
        #expect(server.requests.first?.headers["Authorization"] == "Bearer s3cret")
    }

    @Test func unsupportedReceiverKindIsReportedWhenUsed() async throws {
        let (config, warnings) = try NotifyConfiguration.parse(text: """
            route: {receiver: chat, group_wait: 1s}
            receivers: [{name: chat, slack_configs: [{api_url: "https://hooks.slack.com/x"}]}]
            """, file: "am.yml")
        #expect(warnings.contains { $0.message.contains("receiver \"chat\" uses slack_configs") })
        let clock = ManualNotifyClock()
        let sink = MemoryLogSink()
        let dispatcher = Dispatcher(configuration: config, clock: clock, logger: Logger(sink: sink))
        defer { dispatcher.stop() }
        dispatcher.receive([NotifyAlert(labels: ["alertname": "A"], startsAt: clock.now())])
        clock.advance(by: 1_000)
        await dispatcher.settle()
        #expect(sink.lines.contains { $0.contains("level=warn")
            && $0.contains("receiver kind not supported yet") && $0.contains("integration=slack_configs") })
        #expect(sink.lines.contains { $0.contains("msg=notification") && $0.contains("receiver=chat") })
    }
}
