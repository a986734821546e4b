import Foundation
import Testing
import VigilCore
import VigilTesting

@testable import VigilCollect

private let nodeExporter = "/usr/bin/prometheus-node-exporter"

/// Scrapes against real peers: gzip-encoded pages and Debian's node_exporter.
@Suite(.serialized)
struct ScrapeRealPeerTests {
    /// `text` compressed by /bin/gzip.
    static func gzip(_ text: String) throws -> [UInt8] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-c"]
        let input = Pipe()
        let output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Array(data)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/bin/gzip"), "needs /bin/gzip"))
    func gzipEncodedPagesAreDecoded() async throws {
        let body = try Self.gzip("# TYPE zipped gauge\nzipped 42\n")
        let server = try TestHTTPServer { _ in
            var r = TestHTTPResponse(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8",
                                     headers: ["Content-Encoding": "gzip"])
            r.body = body
            return r
        }
        let rec = ScrapeRecordingAppender()
        let manager = ScrapeManager(appender: rec, logger: .disabled)
        manager.apply(configs: [ScrapeConfig(jobName: "gz", scrapeInterval: 100, scrapeTimeout: 100,
                                             staticConfigs: [TargetGroup(targets: ["127.0.0.1:\(server.port)"])])])
        #expect(await eventuallyTrue { rec.last(["__name__": "up"]) != nil })
        let status = try #require(manager.targets().first)
        await manager.stopAndWait()
        #expect(status.lastError == "")
        #expect(rec.series(["__name__": "zipped"]).first?.v == 42)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: nodeExporter), "needs prometheus-node-exporter"))
    func scrapesDebianNodeExporter() async throws {
        let probe = try TestHTTPServer()
        let port = probe.port
        probe.stop()
        let exporter = Process()
        exporter.executableURL = URL(fileURLWithPath: nodeExporter)
        exporter.arguments = ["--web.listen-address=127.0.0.1:\(port)"]
        exporter.standardOutput = FileHandle.nullDevice
        exporter.standardError = FileHandle.nullDevice
        try exporter.run()
        defer {
            exporter.terminate()
            exporter.waitUntilExit()
        }

        let rec = ScrapeRecordingAppender()
        let manager = ScrapeManager(appender: rec, logger: .disabled)
        manager.apply(configs: [ScrapeConfig(jobName: "node", scrapeInterval: 300, scrapeTimeout: 300,
                                             staticConfigs: [TargetGroup(targets: ["127.0.0.1:\(port)"])])])
        #expect(await eventuallyTrue(10) { rec.series(["__name__": "up"]).contains { $0.v == 1 } })
        await manager.stopAndWait()
        let memTotal = try #require(rec.series(["__name__": "node_memory_MemTotal_bytes"]).first)
        #expect(memTotal.labels == ["__name__": "node_memory_MemTotal_bytes", "job": "node",
                                    "instance": "127.0.0.1:\(port)"])
        #expect(memTotal.v > 0)
        let scraped = try #require(rec.series(["__name__": "scrape_samples_scraped"]).first { $0.v > 0 })
        #expect(scraped.v > 100)
    }
}
