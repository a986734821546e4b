import Foundation
import Testing
import VigilCore
import VigilTesting
@testable import VigilNotify

struct NotifyRouteTests {
    private func tree(_ yaml: String, file: String = "routes.yml") throws -> NotifyRoute {
        let node = try YAMLParser.parse(yaml, file: file)
        var warnings: [ConfigWarning] = []
        return try NotifyConfiguration.parseRootRoute(node, reader: YAMLReader(file: file), warnings: &warnings).root
    }

    @Test func firstMatchingChildWinsUnlessItContinues() throws {
        let root = try tree("""
            receiver: default
            routes:
              - matchers: [team="db"]
                receiver: db
                continue: true
              - matchers: [severity="critical"]
                receiver: pager
                routes:
                  - matchers: [env="prod"]
                    receiver: prod-pager
              - matchers: [severity=~"crit.*"]
                receiver: never
            """)
        func receivers(_ labels: Labels) -> [String] { root.match(labels).map(\.options.receiver) }
        #expect(receivers(["team": "db"]) == ["db"])
        #expect(receivers(["team": "db", "severity": "critical"]) == ["db", "pager"])
        #expect(receivers(["severity": "critical", "env": "prod"]) == ["prod-pager"])
        #expect(receivers(["severity": "critical", "env": "dev"]) == ["pager"])
        #expect(receivers(["severity": "critic"]) == ["never"])
        #expect(receivers(["x": "y"]) == ["default"])
    }

    @Test func childrenInheritUnsetOptions() throws {
        let root = try tree("""
            receiver: default
            group_by: [alertname]
            group_wait: 5s
            repeat_interval: 1h
            routes:
              - matchers: [team="db"]
                receiver: ""
                group_interval: 1m
                routes:
                  - {matchers: [env="prod"], receiver: db-prod, group_by: [cluster]}
            """)
        let leaf = try #require(root.match(["team": "db", "env": "prod"]).first)
        #expect(leaf.options == RouteOptions(receiver: "db-prod", groupBy: ["cluster"], groupByAll: false,
                                             groupWait: 5_000, groupInterval: 60_000, repeatInterval: 3_600_000))
        #expect(root.match(["team": "db"]).first?.options.receiver == "default")
    }

    @Test func negativeMatchersMatchMissingLabels() throws {
        let root = try tree("""
            receiver: default
            routes:
              - matchers: ['env!="prod"', 'team!~"a|b"']
                receiver: nonprod
            """)
        #expect(root.match(["alertname": "X"]).map(\.options.receiver) == ["nonprod"])
        #expect(root.match(["env": "prod"]).map(\.options.receiver) == ["default"])
        #expect(root.match(["team": "a"]).map(\.options.receiver) == ["default"])
    }

    struct RouteCase: Sendable, CustomTestStringConvertible {
        var labels: [String: String]
        var matches: [[String: any Sendable]]
        var testDescription: String { "\(labels.sorted { $0.key < $1.key })" }
    }

    static func upstreamCases() -> [RouteCase] {
        guard let url = SharedFixtures.path("corpus/alertmanager-config/route-match/expected.json"),
              let data = try? Data(contentsOf: url),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let cases = json["cases"] as? [[String: Any]]
        else { return [] }
        return cases.map { c in
            let matches = (c["matches"] as? [[String: Any]] ?? []).map { m in
                m.mapValues { v -> any Sendable in
                    if let s = v as? String { return s }
                    return (v as? [String]) ?? []
                }
            }
            return RouteCase(labels: c["labels"] as? [String: String] ?? [:], matches: matches)
        }
    }

    /// Upstream's `TestRouteMatch` tree: receivers, inherited options and route keys.
    @Test(.enabled(if: SharedFixtures.available, "needs ../shared"), arguments: upstreamCases())
    func matchesUpstreamRouteTree(_ c: RouteCase) throws {
        let path = try #require(SharedFixtures.path("corpus/alertmanager-config/route-match/route_tree.yml"))
        let root = try tree(String(contentsOf: path, encoding: .utf8), file: path.path)
        let got = root.match(Labels(c.labels))
        #expect(got.count == c.matches.count)
        for (route, want) in zip(got, c.matches) {
            #expect(route.options.receiver == want["receiver"] as? String)
            let groupBy = route.options.groupByAll ? ["..."] : route.options.groupBy
            #expect(groupBy == want["group_by"] as? [String])
            #expect(PromDuration.format(route.options.groupWait) == want["group_wait"] as? String)
            #expect(PromDuration.format(route.options.groupInterval) == want["group_interval"] as? String)
            #expect(PromDuration.format(route.options.repeatInterval) == want["repeat_interval"] as? String)
            #expect(route.key == want["key"] as? String)
        }
    }

    @Test(.enabled(if: SharedFixtures.available, "needs ../shared"), arguments: [
        ("conf.routing.yml", ["test": "1"], ["test1"]),
        ("conf.routing.yml", ["test": "2"], ["test1", "test2"]),
        ("conf.routing-reverted.yml", ["test": "2"], ["test2", "test1"]),
        ("conf.routing.yml", ["test": "volovina"], ["default"]),
    ])
    func amtoolRoutingCases(_ file: String, _ labels: [String: String], _ receivers: [String]) throws {
        let path = try #require(SharedFixtures.path("corpus/alertmanager-config/cli-testdata/\(file)"))
        let (config, _) = try NotifyConfiguration.load(file: path.path)
        #expect(config.route.match(Labels(labels)).map(\.options.receiver) == receivers)
    }

    @Test func groupKeyUsesAlertmanagerFormat() {
        let route = NotifyRoute(matchers: [try! LabelMatcher(.equal, "severity", "critical")], continueMatching: false,
                                options: .defaults(receiver: "r"), routes: [], parentKey: "{}")
        let group = AggregationGroup(route: route, labels: ["alertname": "X", "instance": "a\"b"])
        #expect(group.key == "{}/{severity=\"critical\"}:{alertname=\"X\", instance=\"a\\\"b\"}")
    }
}

struct NotifyRouteDescriptionTests {
    @Test func configurationsWithDifferentTreesDescribeDifferently() throws {
        let a = try NotifyConfiguration.parse(text: "route: {receiver: r, routes: [{matchers: [a=\"1\"]}]}\n"
            + "receivers: [{name: r}]\n", file: "a.yml").0
        let b = try NotifyConfiguration.parse(text: "route: {receiver: r, routes: [{matchers: [a=\"2\"]}]}\n"
            + "receivers: [{name: r}]\n", file: "a.yml").0
        let a2 = try NotifyConfiguration.parse(text: "route: {receiver: r, routes: [{matchers: [a=\"1\"]}]}\n"
            + "receivers: [{name: r}]\n", file: "a.yml").0
        #expect(String(describing: a) != String(describing: b))
        #expect(String(describing: a) == String(describing: a2))
    }
}
