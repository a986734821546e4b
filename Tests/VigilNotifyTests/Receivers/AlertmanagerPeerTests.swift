import Foundation
import Testing
import VigilCore
import VigilTesting
@testable import VigilNotify
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Compares Vigil's webhook messages with those of a real Alertmanager (Debian's `prometheus-alertmanager`)
/// for the same configuration and alerts.
struct AlertmanagerPeerTests {
    static let binary = "/usr/bin/prometheus-alertmanager"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    private static func freePort() throws -> UInt16 {
        let probe = try TestHTTPServer()
        let port = probe.port
        probe.stop()
        return port
    }

    private static func request(_ method: String, _ url: String, body: String? = nil) async -> Int {
        guard let u = URL(string: url) else { return 0 }
        var r = URLRequest(url: u)
        r.httpMethod = method
        r.timeoutInterval = 2
        if let body {
            r.httpBody = Data(body.utf8)
            r.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        return await withCheckedContinuation { cont in
            URLSession.shared.dataTask(with: r) { _, resp, _ in
                cont.resume(returning: (resp as? HTTPURLResponse)?.statusCode ?? 0)
            }.resume()
        }
    }

    private static func waitFor(_ seconds: Double, _ condition: () -> Bool) async {
        let start = Date()
        while !condition() && Date().timeIntervalSince(start) < seconds {
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
    }

    private static func json(_ r: TestHTTPRequest) -> NSDictionary? {
        (try? JSONSerialization.jsonObject(with: Data(r.body))) as? NSDictionary
    }

    @Test(.enabled(if: available, "needs Debian's prometheus-alertmanager"))
    func webhookMessagesMatchAlertmanager() async throws {
        let hook = try TestHTTPServer()
        defer { hook.stop() }
        let amPort = try Self.freePort()
        let amURL = "http://127.0.0.1:\(amPort)"
        func config(_ path: String) -> String {
            """
            route:
              receiver: hook
              group_by: [alertname]
              group_wait: 1s
              group_interval: 2s
              routes:
                - matchers: ['severity="critical"']
                  receiver: hook
            receivers:
              - name: hook
                webhook_configs: [{url: "\(hook.baseURL)/\(path)"}]
            """
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-am-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let configFile = dir.appendingPathComponent("alertmanager.yml")
        try config("am").write(to: configFile, atomically: true, encoding: .utf8)

        let am = Process()
        am.executableURL = URL(fileURLWithPath: Self.binary)
        am.arguments = ["--config.file=\(configFile.path)", "--storage.path=\(dir.path)/data",
                        "--web.listen-address=127.0.0.1:\(amPort)", "--cluster.listen-address=",
                        "--web.external-url=\(amURL)"]
        am.standardOutput = FileHandle.nullDevice
        am.standardError = FileHandle.nullDevice
        try am.run()
        defer {
            am.terminate()
            am.waitUntilExit()
        }
        var ready = false
        for _ in 0..<100 where !ready {
            ready = await Self.request("GET", "\(amURL)/-/ready") == 200
            if !ready { try await Task.sleep(nanoseconds: 100_000_000) }
        }
        try #require(ready, "alertmanager did not become ready")

        // The same alert to both: firing, then resolved.
        let start = (Timestamp.nowMillis() / 1000) * 1000 + 123
        let labels: Labels = ["alertname": "DiskFull", "severity": "critical", "instance": "a:9100", "job": "node"]
        let annotations: Labels = ["summary": "disk \"a\" is full", "runbook": "https://x/y?z=1&w=2"]
        let generator = "http://127.0.0.1:9470/graph?g0.expr=up%20%3D%3D%200"
        func body(endsAt: Int64?) -> String {
            let l = labels.pairs.map { "\(JSON.quote($0.name)):\(JSON.quote($0.value))" }.joined(separator: ",")
            let a = annotations.pairs.map { "\(JSON.quote($0.name)):\(JSON.quote($0.value))" }.joined(separator: ",")
            let end = endsAt.map { ",\"endsAt\":\"\(Timestamp.rfc3339($0))\"" } ?? ""
            return "[{\"labels\":{\(l)},\"annotations\":{\(a)},\"startsAt\":\"\(Timestamp.rfc3339(start))\""
                + "\(end),\"generatorURL\":\(JSON.quote(generator))}]"
        }
        #expect(await Self.request("POST", "\(amURL)/api/v2/alerts", body: body(endsAt: nil)) == 200)
        await Self.waitFor(10) { hook.requests.count >= 1 }
        let end = Timestamp.nowMillis() / 1000 * 1000 + 7
        #expect(await Self.request("POST", "\(amURL)/api/v2/alerts", body: body(endsAt: end)) == 200)
        await Self.waitFor(10) { hook.requests.count >= 2 }
        let fromAM = hook.requests.filter { $0.path == "/am" }.compactMap(Self.json)
        try #require(fromAM.count == 2)

        let (vigilConfig, _) = try NotifyConfiguration.parse(text: config("vigil"), file: "am.yml")
        let clock = ManualNotifyClock(start: start)
        let dispatcher = Dispatcher(configuration: vigilConfig, clock: clock, logger: .disabled,
                                    externalURL: amURL)
        defer { dispatcher.stop() }
        dispatcher.receive([NotifyAlert(labels: labels, annotations: annotations, startsAt: start,
                                        generatorURL: generator)])
        clock.advance(to: start + 1_000)
        await dispatcher.settle()
        clock.advance(to: end)
        dispatcher.receive([NotifyAlert(labels: labels, annotations: annotations, startsAt: start, endsAt: end,
                                        generatorURL: generator)])
        clock.advance(to: start + 3_000 + max(0, end - start))
        await dispatcher.settle()
        let fromVigil = hook.requests.filter { $0.path == "/vigil" }.compactMap(Self.json)
        try #require(fromVigil.count == 2)

        for (ours, theirs) in zip(fromVigil, fromAM) {
            #expect(ours == theirs, "vigil: \(ours)\nalertmanager: \(theirs)")
        }
    }
}
