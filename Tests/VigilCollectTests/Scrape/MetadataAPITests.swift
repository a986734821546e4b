import Testing
import VigilCore
import VigilTesting

@testable import VigilCollect

struct MetadataAPITests {
    @Test func rendersPrometheusShapeWithFilters() {
        let entries = [
            MetricMetadata(family: "up_time", type: .gauge, help: "Up \"time\"."),
            MetricMetadata(family: "a_total", type: .counter, help: "A.", unit: ""),
            MetricMetadata(family: "a_total", type: .counter, help: "Another A."),
        ]
        #expect(MetadataAPI.json(entries) == #"""
            {"a_total":[{"type":"counter","help":"A.","unit":""},{"type":"counter","help":"Another A.","unit":""}],\#
            "up_time":[{"type":"gauge","help":"Up \"time\".","unit":""}]}
            """#)
        #expect(MetadataAPI.json(entries, metric: "up_time") == #"{"up_time":[{"type":"gauge","help":"Up \"time\".","unit":""}]}"#)
        #expect(MetadataAPI.json(entries, limit: 1, limitPerMetric: 1)
            == #"{"a_total":[{"type":"counter","help":"A.","unit":""}]}"#)
        #expect(MetadataAPI.json([]) == "{}")
    }

    @Test func managerReportsScrapedMetadata() async throws {
        let server = try TestHTTPServer { _ in
            TestHTTPResponse(status: 200, contentType: "text/plain; version=0.0.4",
                             body: "# HELP m Some m.\n# TYPE m counter\nm 1\n# TYPE u untyped\nu 2\n")
        }
        let manager = ScrapeManager(appender: ScrapeRecordingAppender(), logger: .disabled)
        manager.apply(configs: [ScrapeConfig(jobName: "x", scrapeInterval: 100, scrapeTimeout: 100,
                                             staticConfigs: [TargetGroup(targets: ["127.0.0.1:\(server.port)"])])])
        #expect(await eventuallyTrue { !manager.metadata().isEmpty })
        let md = manager.metadata()
        await manager.stopAndWait()
        #expect(md == [MetricMetadata(family: "m", type: .counter, help: "Some m."),
                       MetricMetadata(family: "u", type: .unknown)])
    }
}
