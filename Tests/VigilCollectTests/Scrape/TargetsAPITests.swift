import Testing
import VigilCore

@testable import VigilCollect

struct TargetsAPITests {
    static let target = TargetStatus(
        discoveredLabels: ["__address__": "127.0.0.1:9100", "job": "node"],
        labels: ["instance": "127.0.0.1:9100", "job": "node"], scrapePool: "node",
        scrapeURL: "http://127.0.0.1:9100/metrics", globalURL: "http://box:9100/metrics", lastError: "",
        lastScrape: 1_700_000_000_123, lastScrapeDuration: 0.25, health: .up, scrapeInterval: 15_000,
        scrapeTimeout: 10_000)

    @Test func rendersPrometheusShape() {
        let json = TargetsAPI.json([Self.target], pools: ["node", "idle"])
        #expect(json == #"""
            {"activeTargets":[{"discoveredLabels":{"__address__":"127.0.0.1:9100","job":"node"},\#
            "labels":{"instance":"127.0.0.1:9100","job":"node"},"scrapePool":"node",\#
            "scrapeUrl":"http://127.0.0.1:9100/metrics","globalUrl":"http://box:9100/metrics","lastError":"",\#
            "lastScrape":"2023-11-14T22:13:20.123Z","lastScrapeDuration":0.25,"health":"up",\#
            "scrapeInterval":"15s","scrapeTimeout":"10s"}],"droppedTargets":[],\#
            "droppedTargetCounts":{"idle":0,"node":0}}
            """#)
    }

    @Test func filtersByState() {
        #expect(TargetsAPI.json([Self.target], pools: ["node"], state: .dropped)
            == #"{"activeTargets":[],"droppedTargets":[],"droppedTargetCounts":{"node":0}}"#)
        #expect(TargetsAPI.json([Self.target], pools: ["node"], state: .active).hasSuffix(
            #"],"droppedTargets":[],"droppedTargetCounts":null}"#))
        #expect(TargetState(parameter: nil) == .any)
        #expect(TargetState(parameter: "bogus") == nil)
    }

    @Test func neverScrapedTargetIsUnknownWithZeroTime() {
        var t = Self.target
        t.lastScrape = nil
        t.health = .unknown
        t.lastScrapeDuration = 0
        let json = TargetsAPI.targetJSON(t)
        #expect(json.contains(#""lastScrape":"0001-01-01T00:00:00Z","lastScrapeDuration":0,"health":"unknown""#))
    }
}
