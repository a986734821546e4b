import Foundation
import Testing
import VigilCore
import VigilTesting

@testable import VigilCollect

private let textType = "text/plain; version=0.0.4; charset=utf-8"

private func page(_ body: String, _ type: String = textType) -> TestHTTPServer.Handler {
    { _ in TestHTTPResponse(status: 200, contentType: type, body: body) }
}

private func config(_ job: String, _ servers: [TestHTTPServer], interval: Int64 = 100,
                    edit: (inout ScrapeConfig) -> Void = { _ in }) -> ScrapeConfig {
    var c = ScrapeConfig(jobName: job, scrapeInterval: interval, scrapeTimeout: min(interval, 2_000),
                         staticConfigs: [TargetGroup(targets: servers.map { "127.0.0.1:\($0.port)" })])
    edit(&c)
    return c
}

private func address(_ s: TestHTTPServer) -> String { "127.0.0.1:\(s.port)" }

@Suite(.serialized)
struct ScrapeManagerTests {
    @Test func scrapesTargetAndWritesSyntheticSeries() async throws {
        let server = try TestHTTPServer(handler: page("# TYPE m gauge\nm{a=\"b\"} 1\nn 2\n"))
        let rec = ScrapeRecordingAppender()
        let manager = ScrapeManager(appender: rec, logger: .disabled)
        manager.apply(configs: [config("test", [server])])
        #expect(await eventuallyTrue { rec.last(["__name__": "up"]) != nil })
        await manager.stopAndWait()

        let target: [String: String] = ["job": "test", "instance": address(server)]
        #expect(rec.series(target.merging(["__name__": "up"]) { a, _ in a }).first?.v == 1)
        #expect(rec.series(["__name__": "scrape_samples_scraped"]).first?.v == 2)
        #expect(rec.series(["__name__": "scrape_samples_post_metric_relabeling"]).first?.v == 2)
        #expect(rec.series(["__name__": "scrape_series_added"]).first?.v == 2)
        let duration = try #require(rec.series(["__name__": "scrape_duration_seconds"]).first?.v)
        #expect(duration > 0 && duration < 2)
        let m = try #require(rec.series(["__name__": "m"]).first)
        #expect(m.labels == ["__name__": "m", "a": "b", "job": "test", "instance": address(server)])
        #expect(m.v == 1)
        // Stopping marks every series stale, report series included.
        #expect(rec.series(["__name__": "m"]).last.map { StaleMarker.isStale($0.v) } == true)
        #expect(rec.series(["__name__": "up"]).last.map { StaleMarker.isStale($0.v) } == true)
    }

    @Test func sendsPrometheusHeadersPathAndParams() async throws {
        let server = try TestHTTPServer(handler: page("m 1\n"))
        let rec = ScrapeRecordingAppender()
        let manager = ScrapeManager(appender: rec, logger: .disabled)
        manager.apply(configs: [config("test", [server], interval: 1_000) {
            $0.metricsPath = "/probe"
            $0.params = ["module": ["http_2xx"], "x": ["a b"]]
            $0.scrapeTimeout = 500
        }])
        #expect(await eventuallyTrue { !server.requests.isEmpty })
        let status = try #require(manager.targets().first)
        await manager.stopAndWait()
        let req = try #require(server.requests.first)
        #expect(req.method == "GET")
        #expect(req.path == "/probe")
        #expect(req.query.map { "\($0.0)=\($0.1)" }.sorted() == ["module=http_2xx", "x=a b"])
        // Prometheus 3's acceptHeader() for its default scrape_protocols with UTF-8 names allowed.
        #expect(req.headers["Accept"] == "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
            + "application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,"
            + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2")
        #expect(req.headers["X-Prometheus-Scrape-Timeout-Seconds"] == "0.5")
        #expect(req.headers["User-Agent"]?.hasPrefix("Vigil/") == true)
        #expect(status.scrapeURL == "http://\(address(server))/probe?module=http_2xx&x=a+b")
    }

    @Test(.enabled(if: SharedFixtures.available, "needs ../shared"))
    func malformedPageMarksOnlyThatTargetDown() async throws {
        let bad = try String(contentsOf: #require(SharedFixtures.path("cases/C09/c_invalid_unescaped_quotes.prom")),
                             encoding: .utf8)
        let badServer = try TestHTTPServer(handler: page(bad))
        let goodServer = try TestHTTPServer(handler: page("svc_count{service=\"a\"} 1\n"))
        let rec = ScrapeRecordingAppender()
        let manager = ScrapeManager(appender: rec, logger: .disabled)
        manager.apply(configs: [config("bad", [badServer]), config("good", [goodServer])])
        #expect(await eventuallyTrue { manager.targets().allSatisfy { $0.health != .unknown } })
        manager.stop()

        let statuses = Dictionary(uniqueKeysWithValues: manager.targets().map { ($0.scrapePool, $0) })
        #expect(statuses.isEmpty)  // stopped managers have no active targets
        #expect(rec.series(["__name__": "up", "job": "bad"]).first?.v == 0)
        #expect(rec.series(["__name__": "scrape_samples_scraped", "job": "bad"]).first?.v == 0)
        #expect(rec.series(["__name__": "svc_count", "job": "bad"]).isEmpty)
        #expect(rec.series(["__name__": "up", "job": "good"]).first?.v == 1)
        #expect(rec.series(["__name__": "svc_count", "job": "good"]).first?.v == 1)
    }

    @Test(.enabled(if: SharedFixtures.available, "needs ../shared"))
    func parseErrorIsTheTargetsLastError() async throws {
        let bad = try String(contentsOf: #require(SharedFixtures.path("cases/C09/c_invalid_unescaped_quotes.prom")),
                             encoding: .utf8)
        let server = try TestHTTPServer(handler: page(bad))
        let manager = ScrapeManager(appender: ScrapeRecordingAppender(), logger: .disabled)
        manager.apply(configs: [config("bad", [server])])
        #expect(await eventuallyTrue { manager.targets().first?.health == .down })
        let status = try #require(manager.targets().first)
        await manager.stopAndWait()
        #expect(status.lastError.hasPrefix("parse error: line 3, column 33: "))
        #expect(status.lastScrape != nil)
    }

    @Test func httpErrorMarksTargetDown() async throws {
        let server = try TestHTTPServer { _ in TestHTTPResponse(status: 500, body: "boom") }
        let manager = ScrapeManager(appender: ScrapeRecordingAppender(), logger: .disabled)
        manager.apply(configs: [config("e", [server])])
        #expect(await eventuallyTrue { manager.targets().first?.health == .down })
        let status = try #require(manager.targets().first)
        await manager.stopAndWait()
        #expect(status.lastError == "server returned HTTP status 500 Internal Server Error")
    }

    @Test func unreachableTargetIsDown() async throws {
        let server = try TestHTTPServer(handler: page("m 1\n"))
        let port = server.port
        server.stop()
        let rec = ScrapeRecordingAppender()
        let manager = ScrapeManager(appender: rec, logger: .disabled)
        manager.apply(configs: [ScrapeConfig(jobName: "gone", scrapeInterval: 100, scrapeTimeout: 100,
                                             staticConfigs: [TargetGroup(targets: ["127.0.0.1:\(port)"])])])
        #expect(await eventuallyTrue { manager.targets().first?.health == .down })
        await manager.stopAndWait()
        #expect(rec.series(["__name__": "up"]).first?.v == 0)
    }

    @Test func sampleLimitFailsTheScrape() async throws {
        let server = try TestHTTPServer(handler: page("a 1\nb 2\nc 3\n"))
        let rec = ScrapeRecordingAppender()
        let manager = ScrapeManager(appender: rec, logger: .disabled)
        manager.apply(configs: [config("limited", [server]) { $0.sampleLimit = 2 }])
        #expect(await eventuallyTrue { manager.targets().first?.health == .down })
        let status = try #require(manager.targets().first)
        await manager.stopAndWait()
        #expect(status.lastError == "sample limit exceeded")
        #expect(rec.series(["__name__": "up"]).first?.v == 0)
        #expect(rec.series(["__name__": "scrape_samples_scraped"]).first?.v == 3)
        #expect(rec.series(["__name__": "a"]).isEmpty)
    }

    @Test(arguments: [false, true])
    func honorLabelsDecidesClashes(honor: Bool) async throws {
        let server = try TestHTTPServer(handler: page("m{job=\"other\",instance=\"x\",exported_job=\"e\"} 1\n"))
        let rec = ScrapeRecordingAppender()
        let manager = ScrapeManager(appender: rec, logger: .disabled)
        manager.apply(configs: [config("test", [server]) { $0.honorLabels = honor }])
        #expect(await eventuallyTrue { !rec.series(["__name__": "m"]).isEmpty })
        await manager.stopAndWait()
        let m = try #require(rec.series(["__name__": "m"]).first)
        if honor {
            #expect(m.labels == ["__name__": "m", "job": "other", "instance": "x", "exported_job": "e"])
        } else {
            #expect(m.labels == [
                "__name__": "m", "job": "test", "instance": address(server), "exported_instance": "x",
                "exported_job": "e", "exported_exported_job": "other",
            ])
        }
    }

    @Test func honorTimestampsAndOpenMetricsTimestamps() async throws {
        let om = "application/openmetrics-text; version=1.0.0; charset=utf-8"
        let server = try TestHTTPServer(handler: page("# TYPE m gauge\nm 1 1700000000.5\n# EOF\n", om))
        let rec = ScrapeRecordingAppender()
        let manager = ScrapeManager(appender: rec, logger: .disabled)
        manager.apply(configs: [config("a", [server]), config("b", [server]) { $0.honorTimestamps = false }])
        #expect(await eventuallyTrue { !rec.series(["__name__": "m", "job": "b"]).isEmpty
            && !rec.series(["__name__": "m", "job": "a"]).isEmpty })
        await manager.stopAndWait()
        #expect(rec.series(["__name__": "m", "job": "a"]).first?.t == 1_700_000_000_500)
        let b = try #require(rec.series(["__name__": "m", "job": "b"]).first)
        #expect(b.t > 1_700_000_000_500)
    }

    @Test func vanishedSeriesGetStaleMarkers() async throws {
        let server = try TestHTTPServer(handler: page("keep 1\ngone 2\n"))
        let rec = ScrapeRecordingAppender()
        let manager = ScrapeManager(appender: rec, logger: .disabled)
        manager.apply(configs: [config("test", [server])])
        #expect(await eventuallyTrue { !rec.series(["__name__": "gone"]).isEmpty })
        server.setHandler(page("keep 1\n"))
        #expect(await eventuallyTrue { rec.series(["__name__": "gone"]).contains { StaleMarker.isStale($0.v) } })
        let keep = rec.series(["__name__": "keep"])
        #expect(!keep.contains { StaleMarker.isStale($0.v) })
        let gone = rec.series(["__name__": "gone"])
        #expect(gone.filter { StaleMarker.isStale($0.v) }.count == 1)
        await manager.stopAndWait()
    }

    @Test func reloadKeepsUnchangedLoopsAndStalesRemovedTargets() async throws {
        let a = try TestHTTPServer(handler: page("from_a 1\n"))
        let b = try TestHTTPServer(handler: page("from_b 1\n"))
        let rec = ScrapeRecordingAppender()
        let manager = ScrapeManager(appender: rec, logger: .disabled)
        manager.apply(configs: [config("a", [a]), config("b", [b])])
        #expect(await eventuallyTrue { manager.targets().allSatisfy { $0.health == .up } })
        let before = try #require(manager.targets().first { $0.scrapePool == "a" })
        manager.apply(configs: [config("a", [a])])
        #expect(await eventuallyTrue { rec.series(["__name__": "from_b"]).contains { StaleMarker.isStale($0.v) } })
        #expect(rec.series(["__name__": "up", "job": "b"]).last.map { StaleMarker.isStale($0.v) } == true)
        let after = try #require(manager.targets().first)
        #expect(manager.targets().count == 1)
        #expect(after.health == .up && after.lastScrape != nil && before.scrapeURL == after.scrapeURL)
        await manager.stopAndWait()
    }

    @Test func fileSDChangesArePickedUp() async throws {
        let a = try TestHTTPServer(handler: page("from_a 1\n"))
        let b = try TestHTTPServer(handler: page("from_b 1\n"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-filesd-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("targets.json")
        try #"[{"targets": ["\#(address(a))"], "labels": {"env": "one"}}]"#.write(to: file, atomically: true,
                                                                                  encoding: .utf8)
        let rec = ScrapeRecordingAppender()
        let manager = ScrapeManager(appender: rec, logger: .disabled, fileSDPollInterval: 100)
        manager.apply(configs: [ScrapeConfig(jobName: "sd", scrapeInterval: 100, scrapeTimeout: 100,
                                             fileSDConfigs: [FileSDConfig(files: [dir.path + "/*.json"])])])
        #expect(await eventuallyTrue { !rec.series(["__name__": "from_a", "env": "one", "job": "sd"]).isEmpty })

        try "- targets: ['\(address(b))']\n  labels: {env: two}\n".write(
            to: dir.appendingPathComponent("more.yml"), atomically: true, encoding: .utf8)
        try "[]".write(to: file, atomically: true, encoding: .utf8)
        // The YAML file is outside the JSON glob: only the emptied JSON file matters.
        #expect(await eventuallyTrue { rec.series(["__name__": "from_a"]).contains { StaleMarker.isStale($0.v) } })
        #expect(manager.targets().isEmpty)

        manager.apply(configs: [ScrapeConfig(jobName: "sd", scrapeInterval: 100, scrapeTimeout: 100,
                                             fileSDConfigs: [FileSDConfig(files: [dir.path + "/*.yml"])])])
        #expect(await eventuallyTrue { !rec.series(["__name__": "from_b", "env": "two"]).isEmpty })
        let status = try #require(manager.targets().first)
        #expect(status.labels == ["job": "sd", "instance": address(b), "env": "two"])
        await manager.stopAndWait()
    }
}
