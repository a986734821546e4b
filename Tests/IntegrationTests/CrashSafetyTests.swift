import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import VigilCore
import VigilTesting

/// kill -9 while pushing through `/api/v1/import/prometheus` at full speed, then restart: every acknowledged sample
/// is there. Repeated with random kill points.
@Suite(.serialized)
struct CrashSafetyTests {
    static let rounds = 20
    static let batch = 100

    @Test(.enabled(if: Integration.vigilBinary != nil, "needs the vigil binary (VIGIL_BIN or .build/debug/vigil)"))
    func acknowledgedSamplesSurviveKillNine() throws {
        let vigil = try #require(Integration.vigilBinary)
        let dir = try Integration.tempDir("crash")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("vigil.yml")
        try "collectors:\n  host:\n    enabled: false\n".write(to: config, atomically: true, encoding: .utf8)
        let base = (Timestamp.nowMillis() - 3_600_000) / 1000 * 1000
        var acked = 0  // batches acknowledged so far, over all rounds
        var rng = SystemRandomNumberGenerator()

        for round in 0...Self.rounds {
            let port = Integration.freePort()
            let server = try Integration.start(
                vigil, ["run", "--config", config.path, "--data", dir.appendingPathComponent("data").path,
                        "--listen", "127.0.0.1:\(port)"],
                log: dir.appendingPathComponent("vigil-\(round).log"))
            let url = "http://127.0.0.1:\(port)"
            let ready = Integration.eventually(timeout: 30) { Integration.get(url + "/-/ready")?.status == 200 ? true : nil }
            try #require(ready == true, "round \(round): not ready; \(Self.log(dir, round))")

            // Everything acknowledged before the last kill is there, without gaps.
            let expected = acked * Self.batch
            if expected > 0 {
                let at = Double(base + Int64(expected) * 10) / 1000 + 1
                let count = Self.scalar(url, "count_over_time(crash_seq[1d])", at: at)
                let maxValue = Self.scalar(url, "max_over_time(crash_seq[1d])", at: at)
                let c = try #require(count, "round \(round): no data; \(Self.log(dir, round))")
                let m = try #require(maxValue)
                #expect(c >= Double(expected), "round \(round): \(c) samples, \(expected) acknowledged")
                #expect(c == m + 1, "round \(round): gaps: \(c) samples up to value \(m)")
            }
            if round == Self.rounds {
                Integration.stop(server)
                break
            }

            // Push batches back to back until the kill lands.
            let killAfter = Double.random(in: 0.1...0.8, using: &rng)
            let killer = Thread {
                usleep(UInt32(killAfter * 1_000_000))
                kill(server.processIdentifier, SIGKILL)
            }
            killer.start()
            while true {
                var body = ""
                for i in 0..<Self.batch {
                    let seq = acked * Self.batch + i
                    body += "crash_seq \(seq) \(base + Int64(seq) * 10)\n"
                }
                guard let r = Integration.post(url + "/api/v1/import/prometheus", body: Array(body.utf8), timeout: 5),
                    r.status / 100 == 2
                else { break }
                acked += 1
            }
            server.waitUntilExit()
        }
    }

    static func scalar(_ url: String, _ query: String, at: Double) -> Double? {
        let q = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
        guard let r = Integration.get("\(url)/api/v1/query?query=\(q)&time=\(at)"), r.status == 200,
            let json = Integration.json(r.body), let data = json["data"] as? [String: Any],
            let result = data["result"] as? [[String: Any]], let value = result.first?["value"] as? [Any],
            let text = value.last as? String
        else { return nil }
        return Double(text)
    }

    static func log(_ dir: URL, _ round: Int) -> String {
        let text = try? String(contentsOf: dir.appendingPathComponent("vigil-\(round).log"), encoding: .utf8)
        return String((text ?? "").suffix(2000))
    }
}

/// The import endpoint answers for what it cannot take.
struct ImportEndpointTests {
    @Test(.enabled(if: Integration.vigilBinary != nil, "needs the vigil binary (VIGIL_BIN or .build/debug/vigil)"))
    func compressedAndMalformedBodiesAreRefused() throws {
        let vigil = try #require(Integration.vigilBinary)
        let dir = try Integration.tempDir("import")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("vigil.yml")
        try "collectors:\n  host: {enabled: false}\n  gpu: {enabled: false}\n".write(to: config, atomically: true,
                                                                                  encoding: .utf8)
        let port = Integration.freePort()
        let server = try Integration.start(vigil, ["run", "--config", config.path, "--data",
                                                   dir.appendingPathComponent("data").path,
                                                   "--listen", "127.0.0.1:\(port)"],
                                           log: dir.appendingPathComponent("vigil.log"))
        defer { Integration.stop(server) }
        let url = "http://127.0.0.1:\(port)"
        let ready = Integration.eventually(timeout: 30) { Integration.get(url + "/-/ready")?.status == 200 ? true : nil }
        try #require(ready == true)

        var request = URLRequest(url: URL(string: url + "/api/v1/import/prometheus")!)
        request.httpMethod = "POST"
        request.setValue("gzip", forHTTPHeaderField: "Content-Encoding")
        request.httpBody = Data("m 1 1700000000000\n".utf8)
        let gz = try #require(Self.send(request))
        #expect(gz == 415)

        let bad = try #require(Integration.post(url + "/api/v1/import/prometheus", body: Array("m{ 1\n".utf8)))
        #expect(bad.status == 400)
        #expect(bad.body.contains("line 1"))
        let good = try #require(Integration.post(url + "/api/v1/import/prometheus",
                                                 body: Array("m 1 1700000000000".utf8)))
        #expect(good.status == 204)
    }

    static func send(_ request: URLRequest) -> Int? {
        let sem = DispatchSemaphore(value: 0)
        final class Box: @unchecked Sendable { var status: Int? }
        let box = Box()
        URLSession.shared.dataTask(with: request) { _, response, _ in
            box.status = (response as? HTTPURLResponse)?.statusCode
            sem.signal()
        }.resume()
        sem.wait()
        return box.status
    }
}
