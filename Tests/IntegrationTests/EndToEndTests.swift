import Foundation
import Testing
import VigilCore
import VigilTesting

/// `vigil run` against a real node_exporter and a webhook receiver: the slice of issue 2 as a user sees it.
@Suite(.serialized)
struct EndToEndTests {
    static let ready = Integration.vigilBinary != nil && Integration.nodeExporterAvailable

    @Test(.enabled(if: ready, "needs the vigil binary (VIGIL_BIN or .build/debug/vigil) and prometheus-node-exporter"))
    func alertReachesWebhookAndTargetDownFollowsExporterStop() throws {
        let vigil = try #require(Integration.vigilBinary)
        let dir = try Integration.tempDir("e2e")
        defer { try? FileManager.default.removeItem(at: dir) }

        let webhook = try TestHTTPServer { _ in TestHTTPResponse(status: 200, body: "ok") }
        defer { webhook.stop() }

        let exporterPort = Integration.freePort()
        let exporter = try Integration.start(
            Integration.nodeExporter,
            ["--web.listen-address=127.0.0.1:\(exporterPort)", "--collector.disable-defaults", "--collector.meminfo",
             "--collector.loadavg"],
            log: dir.appendingPathComponent("node_exporter.log"))
        defer { Integration.stop(exporter) }

        let rules = """
            groups:
              - name: e2e
                interval: 1s
                rules:
                  - alert: ExporterMemoryKnown
                    expr: node_memory_MemTotal_bytes{job="node"} > 0
                    labels:
                      severity: info
                    annotations:
                      summary: "{{ $labels.instance }} has {{ $value | humanize1024 }}B of memory"
                  - alert: TargetDown
                    expr: up{job="node"} == 0
                    for: 2s
                    labels:
                      severity: critical
                    annotations:
                      summary: "target {{ $labels.instance }} of job {{ $labels.job }} is down"
            """
        try rules.write(to: dir.appendingPathComponent("rules.yml"), atomically: true, encoding: .utf8)
        let listenPort = Integration.freePort()
        let config = """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            collectors:
              host:
                enabled: false
            scrape_configs:
              - job_name: node
                static_configs:
                  - targets: ["127.0.0.1:\(exporterPort)"]
            rule_files: [rules.yml]
            notify:
              route:
                receiver: hook
                group_by: [alertname]
                group_wait: 1s
                group_interval: 1s
              receivers:
                - name: hook
                  webhook_configs:
                    - url: \(webhook.baseURL)/hook
            """
        let configURL = dir.appendingPathComponent("vigil.yml")
        try config.write(to: configURL, atomically: true, encoding: .utf8)

        let server = try Integration.start(
            vigil,
            ["run", "--config", configURL.path, "--data", dir.appendingPathComponent("data").path,
             "--listen", "127.0.0.1:\(listenPort)"],
            log: dir.appendingPathComponent("vigil.log"))
        defer { Integration.stop(server) }
        let base = "http://127.0.0.1:\(listenPort)"

        let ready = Integration.eventually(timeout: 20) { Integration.get(base + "/-/ready")?.status == 200 ? true : nil }
        #expect(ready == true, "vigil did not become ready; log: \(Self.log(dir))")

        // The scraped series is queryable with the exporter's own value.
        let upQuery = base + "/api/v1/query?query=up%7Bjob%3D%22node%22%7D"
        let up = Integration.eventually(timeout: 15) { () -> String? in
            guard let r = Integration.get(upQuery), r.status == 200, r.body.contains("\"value\"") else { return nil }
            return r.body
        }
        #expect(up?.contains("\"1\"") == true, "up{job=\"node\"} should be 1, got \(up ?? "nothing")")

        // The firing alert reaches the webhook with labels and a rendered annotation.
        let firing = Integration.eventually(timeout: 20) { () -> [String: Any]? in
            for r in webhook.requests {
                guard let body = Integration.json(r.bodyString), body["status"] as? String == "firing",
                    let alerts = body["alerts"] as? [[String: Any]],
                    let a = alerts.first(where: { ($0["labels"] as? [String: String])?["alertname"] == "ExporterMemoryKnown" })
                else { continue }
                return a
            }
            return nil
        }
        let alert = try #require(firing, "no firing ExporterMemoryKnown notification; log: \(Self.log(dir))")
        let labels = try #require(alert["labels"] as? [String: String])
        #expect(labels["severity"] == "info")
        #expect(labels["job"] == "node")
        #expect(labels["instance"] == "127.0.0.1:\(exporterPort)")
        #expect(labels["__name__"] == nil)
        let summary = try #require((alert["annotations"] as? [String: String])?["summary"])
        #expect(summary.hasPrefix("127.0.0.1:\(exporterPort) has "))
        #expect(summary.hasSuffix("iB of memory"))
        #expect(webhook.requests.allSatisfy { r in Integration.json(r.bodyString)?["version"] as? String == "4" })

        // Stopping the exporter: up drops to 0 and TargetDown fires.
        Integration.stop(exporter)
        let down = Integration.eventually(timeout: 15) { () -> Bool? in
            guard let r = Integration.get(upQuery), r.body.contains("\"0\"") else { return nil }
            return true
        }
        #expect(down == true, "up{job=\"node\"} never became 0")
        let targetDown = Integration.eventually(timeout: 20) { () -> [String: String]? in
            for r in webhook.requests {
                guard let body = Integration.json(r.bodyString), let alerts = body["alerts"] as? [[String: Any]] else {
                    continue
                }
                for a in alerts where a["status"] as? String == "firing" {
                    if let l = a["labels"] as? [String: String], l["alertname"] == "TargetDown" { return l }
                }
            }
            return nil
        }
        let tdLabels = try #require(targetDown, "no TargetDown notification; log: \(Self.log(dir))")
        #expect(tdLabels["severity"] == "critical")
        #expect(tdLabels["instance"] == "127.0.0.1:\(exporterPort)")

        // The alert is visible in the API too.
        let alertsBody = Integration.get(base + "/api/v1/alerts")?.body ?? ""
        #expect(alertsBody.contains("\"TargetDown\""))

        server.terminate()
        server.waitUntilExit()
        #expect(server.terminationStatus == 0)
    }

    static func log(_ dir: URL) -> String {
        (try? String(contentsOf: dir.appendingPathComponent("vigil.log"), encoding: .utf8)).map { String($0.suffix(3000)) } ?? ""
    }
}
