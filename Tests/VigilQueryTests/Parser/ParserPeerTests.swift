import Foundation
import Testing
import VigilCore
import VigilTesting
@testable import VigilQuery
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Compares the parser with a real Prometheus (Debian's `prometheus`, 2.42) through `/api/v1/format_query`:
/// the pretty form of valid queries, and the `line:column: parse error: …` text of invalid ones.
///
/// Debian's Prometheus is older than the Prometheus 3 syntax Vigil follows, so the queries where the two
/// versions differ are listed in `prometheus3Differences` and skipped.
struct ParserPeerTests {
    static let binary = "/usr/bin/prometheus"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    /// Queries whose Prometheus 3 meaning differs from Prometheus 2.42's, with the reason.
    static let prometheus3Differences: [String: String] = [
        "{\"my.metric\"}": "UTF-8 quoted names are Prometheus 3",
        "{\"my.metric\", \"label.x\"=\"v\"}": "UTF-8 quoted names are Prometheus 3",
        "sum by (\"label.x\") (x)": "UTF-8 quoted names are Prometheus 3",
        "1m": "durations as numbers are Prometheus 3",
        "foo[5mm]": "Prometheus 3 lexes brackets with the number-or-duration lexer",
        "foo[5m1]": "Prometheus 3 lexes brackets with the number-or-duration lexer",
        "foo[\"5m\"]": "Prometheus 3 lexes brackets with the number-or-duration lexer",
        "foo[]": "Prometheus 3 lexes brackets with the number-or-duration lexer",
        "some_metric[5m] OFFSET": "Prometheus 3 offsets take numbers, durations, step() and range()",
        "foo{a=\"b\"} offset start() 5m": "Prometheus 3 offsets take numbers, durations, step() and range()",
        "foo[5m:,]": "Prometheus 3 subquery steps take numbers, durations, step() and range()",
        "foo[": "Prometheus 3 lexes brackets as duration expressions",
        "1_000": "Prometheus 3 number lexing (underscores, one dot)",
        "foo + @ 1": "@ is an operator token in Prometheus 3",
        "0x_1f": "Prometheus 3 number lexing (underscores, one dot)",
        "1.2.3": "Prometheus 3 number lexing (underscores, one dot)",
        "1__0": "Prometheus 3 number lexing (underscores, one dot)",
        "1.5.2": "Prometheus 3 number lexing (underscores, one dot)",
        "1_000.5": "Prometheus 3 number lexing (underscores, one dot)",
        "foo[5m x]": "Prometheus 3 lexes brackets as duration expressions",
        "foo[m]": "Prometheus 3 lexes brackets as duration expressions",
        "left_float[s > 3": "Prometheus 3 lexes brackets as duration expressions",
        "foo[5m] @ 1m": "Prometheus 3 reads a duration after @ as seconds",
        "foo offset 1e10": "Prometheus 3 offsets take numbers",
        // A known limit of Vigil: Swift strings hold valid UTF-8 only, so a `\xff` byte escape becomes U+FFFD.
        "count_values(\"a\\xc5z\", version)": "invalid UTF-8 in a string literal",
        "label_replace(testmetric, \"\\xff\", \"\", \"src\", \"(.*)\")": "invalid UTF-8 in a string literal",
    ]

    /// Peer answers that only mean the peer lacks a Prometheus 3 feature (functions such as `start()`, durations as
    /// numbers).
    static func olderPeerLimitation(_ query: String, _ peerError: String?, vigilParsed: Bool) -> Bool {
        guard let peerError else { return false }
        if peerError.contains("unknown function with name") { return true }
        if peerError.contains("unexpected \"(\""), query.contains("start()") || query.contains("end()") { return true }
        return vigilParsed && ["unexpected duration", "missing unit character", "trailing commas"]
            .contains { peerError.contains($0) }
    }

    private static func freePort() throws -> UInt16 {
        let probe = try TestHTTPServer()
        let port = probe.port
        probe.stop()
        return port
    }

    /// POSTs `query` to `/api/v1/format_query`; returns (formatted, error), or nil when the peer did not answer.
    private static func format(_ base: String, _ query: String) async -> (ok: String?, error: String?)? {
        guard let url = URL(string: base + "/api/v1/format_query") else { return nil }
        var r = URLRequest(url: url)
        r.httpMethod = "POST"
        r.timeoutInterval = 5
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = query.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        r.httpBody = Data("query=\(encoded)".utf8)
        r.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        let data: Data? = await withCheckedContinuation { cont in
            URLSession.shared.dataTask(with: r) { data, _, _ in cont.resume(returning: data) }.resume()
        }
        guard let data, let obj = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return nil }
        if obj["status"] as? String == "success" { return (obj["data"] as? String, nil) }
        var message = obj["error"] as? String ?? ""
        let prefix = "invalid parameter \"query\": "
        if message.hasPrefix(prefix) { message.removeFirst(prefix.count) }
        return (nil, message)
    }

    static func queries() -> [String] {
        var out = ParserPrintTests.cases.map(\.0) + ParserErrorTests.cases.map(\.0)
            + ParserStructureTests.cases.map(\.0)
        for file in ParserCorpusTests.files {
            guard let url = SharedFixtures.path("corpus/promql-tests/\(file).test"),
                  let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            out += ParserCorpusTests.evals(in: text).map(\.expr)
        }
        var seen = Set<String>()
        return out.filter { seen.insert($0).inserted && !$0.contains("\n") }
    }

    @Test(.enabled(if: available, "needs Debian's prometheus"), .timeLimit(.minutes(2)))
    func formatsAndRejectsQueriesLikePrometheus() async throws {
        let port = try Self.freePort()
        let base = "http://127.0.0.1:\(port)"
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-prom-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("prometheus.yml")
        try "global:\n  scrape_interval: 1h\n".write(to: config, atomically: true, encoding: .utf8)

        let prom = Process()
        prom.executableURL = URL(fileURLWithPath: Self.binary)
        prom.arguments = ["--config.file=\(config.path)", "--storage.tsdb.path=\(dir.path)/data",
                          "--web.listen-address=127.0.0.1:\(port)", "--log.level=error"]
        prom.standardOutput = FileHandle.nullDevice
        prom.standardError = FileHandle.nullDevice
        try prom.run()
        defer {
            prom.terminate()
            prom.waitUntilExit()
        }
        let start = Date()
        while await Self.format(base, "1") == nil && Date().timeIntervalSince(start) < 30 {
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        try #require(await Self.format(base, "1") != nil, "prometheus did not start")

        var compared = 0
        for q in Self.queries() where Self.prometheus3Differences[q] == nil {
            guard let peer = await Self.format(base, q) else {
                Issue.record("no answer from prometheus for \(q)")
                continue
            }
            let mine: (ok: String?, error: String?)
            do { mine = (try Parser.parse(q).pretty, nil) } catch { mine = (nil, error.description) }
            if Self.olderPeerLimitation(q, peer.error, vigilParsed: mine.ok != nil) { continue }
            // Prometheus 2 printed numbers with %v (1e+06), Prometheus 3 with 'f' (1000000).
            if let p = peer.ok, p.contains("e+") || p.contains("e-") { continue }
            compared += 1
            #expect(mine.ok == peer.ok && mine.error == peer.error,
                    "\(q): vigil \(mine.ok ?? mine.error ?? ""), prometheus \(peer.ok ?? peer.error ?? "")")
        }
        #expect(compared > 1000)
    }
}
