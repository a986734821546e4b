import Foundation
import Testing
import VigilCore
import VigilTesting
@testable import VigilNotify

struct NotifyConfigurationTests {
    private func parse(_ text: String, file: String = "am.yml") throws -> (NotifyConfiguration, [ConfigWarning]) {
        try NotifyConfiguration.parse(text: text, file: file)
    }

    private func parseError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> ConfigError? {
        do {
            _ = try NotifyConfiguration.parse(text: text, file: "am.yml")
            Issue.record("expected an error", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    @Test func parsesRouteTreeAndWebhookReceivers() throws {
        let (config, warnings) = try parse("""
            global:
              resolve_timeout: 2m
            route:
              receiver: default
              group_by: [alertname, cluster]
              group_wait: 10s
              routes:
                - matchers: ['severity="critical"', team=~"db|web"]
                  receiver: pager
                  group_interval: 1m
                  continue: true
                - match: {env: dev}
                  match_re: {job: "node.*"}
                  receiver: default
                  group_by: ['...']
            receivers:
              - name: default
                webhook_configs:
                  - url: http://127.0.0.1:9099/hook
              - name: pager
                webhook_configs:
                  - url: https://example.org/pager
                    send_resolved: false
                    max_alerts: 3
                    timeout: 5s
                    http_config:
                      basic_auth: {username: u, password: p}
            """)
        #expect(warnings.isEmpty)
        #expect(config.resolveTimeout == 120_000)
        let root = config.route
        #expect(root.options == RouteOptions(receiver: "default", groupBy: ["alertname", "cluster"], groupByAll: false,
                                             groupWait: 10_000, groupInterval: 300_000, repeatInterval: 14_400_000))
        #expect(root.key == "{}")
        #expect(root.routes.count == 2)
        let pager = root.routes[0]
        #expect(pager.continueMatching)
        #expect(pager.options.receiver == "pager")
        #expect(pager.options.groupWait == 10_000)
        #expect(pager.options.groupInterval == 60_000)
        #expect(pager.key == "{}/{severity=\"critical\",team=~\"db|web\"}")
        let dev = root.routes[1]
        #expect(dev.options.groupByAll)
        #expect(dev.key == "{}/{env=\"dev\",job=~\"^(?:node.*)$\"}")

        let hook = try #require(config.receiver(named: "pager")?.webhooks.first)
        #expect(hook.url == "https://example.org/pager")
        #expect(!hook.sendResolved)
        #expect(hook.maxAlerts == 3)
        #expect(hook.timeout == 5_000)
        #expect(try hook.http.authorizationHeader() == "Basic dTpw")
        #expect(config.receiver(named: "default")?.webhooks.first?.sendResolved == true)
    }

    @Test func unknownKeyIsAnErrorWithPosition() throws {
        let err = try #require(parseError("""
            route:
              receiver: a
              group_wiat: 1m
            receivers: [{name: a}]
            """))
        #expect(err.file == "am.yml")
        #expect(err.mark == SourceMark(line: 3, column: 3))
        #expect(err.message.contains("group_wiat"))
        #expect(err.description.hasPrefix("am.yml:3:3: "))
    }

    @Test func unknownWebhookKeyIsAnError() throws {
        let err = try #require(parseError("""
            route: {receiver: a}
            receivers:
              - name: a
                webhook_configs:
                  - url: http://x/
                    urll: http://y/
            """))
        #expect(err.mark == SourceMark(line: 6, column: 9))
    }

    @Test func undefinedReceiverIsAnError() throws {
        let err = try #require(parseError("""
            route:
              receiver: a
              routes:
                - receiver: nobody
            receivers: [{name: a}]
            """))
        #expect(err.message == "undefined receiver \"nobody\" used in route")
        #expect(err.mark == SourceMark(line: 4, column: 17))
    }

    @Test func rootRouteNeedsReceiverAndNoMatchers() throws {
        let noReceiver = try #require(parseError("route: {group_wait: 1s}\nreceivers: [{name: a}]\n"))
        #expect(noReceiver.message == "root route must specify a default receiver")
        let matchers = try #require(parseError("route: {receiver: a, matchers: [x=\"y\"]}\nreceivers: [{name: a}]\n"))
        #expect(matchers.message == "root route must not have any matchers")
        let noRoute = try #require(parseError("receivers: [{name: a}]\n"))
        #expect(noRoute.message == "no route provided in config")
        let cont = try #require(parseError("route: {receiver: a, continue: true}\nreceivers: [{name: a}]\n"))
        #expect(cont.message == "cannot have continue in root route")
    }

    @Test func badValuesAreErrors() throws {
        let dup = try #require(parseError("route: {receiver: a}\nreceivers: [{name: a}, {name: a}]\n"))
        #expect(dup.message == "notification config name \"a\" is not unique")
        let badMatcher = try #require(parseError("route: {receiver: a, routes: [{matchers: ['a=~\"(\"']}]}\n"
            + "receivers: [{name: a}]\n"))
        #expect(badMatcher.mark == SourceMark(line: 1, column: 43))
        let badDuration = try #require(parseError("route: {receiver: a, group_wait: 5x}\nreceivers: [{name: a}]\n"))
        #expect(badDuration.message.contains("\"5x\""))
        let noURL = try #require(parseError("route: {receiver: a}\nreceivers: [{name: a, webhook_configs: [{}]}]\n"))
        #expect(noURL.message == "one of url or url_file must be configured")
        let wildcard = try #require(parseError("route: {receiver: a, group_by: ['...', x]}\nreceivers: [{name: a}]\n"))
        #expect(wildcard.message.contains("wildcard"))
    }

    @Test func unimplementedKeysWarnWithKeyAndLine() throws {
        let (config, warnings) = try parse("""
            global:
              smtp_from: a@example.org
            templates: ['/etc/am/*.tmpl']
            route:
              receiver: team
              routes:
                - receiver: team
                  mute_time_intervals: [offhours]
            receivers:
              - name: team
                slack_configs:
                  - api_url: https://hooks.slack.com/x
                webhook_configs:
                  - url: http://127.0.0.1:1/
            inhibit_rules:
              - source_matchers: [severity="critical"]
                target_matchers: [severity="warning"]
                equal: [alertname]
            time_intervals:
              - name: offhours
                time_intervals: [{times: [{start_time: "18:00", end_time: "24:00"}]}]
            """)
        #expect(config.receivers.first?.unsupportedKinds == ["slack_configs"])
        func warning(_ key: String) -> ConfigWarning? { warnings.first { $0.message.hasPrefix(key) } }
        #expect(warning("global.smtp_from")?.mark?.line == 2)
        #expect(warning("templates")?.mark?.line == 3)
        #expect(warning("mute_time_intervals")?.mark?.line == 8)
        #expect(warning("slack_configs")?.mark?.line == 11)
        #expect(warning("inhibit_rules")?.mark?.line == 15)
        #expect(warning("time_intervals")?.mark?.line == 19)
        #expect(warnings.allSatisfy { $0.message.contains("not supported yet") })
        let rule = try #require(config.inhibitRules.first)
        #expect(rule.sourceMatchers.map(\.description) == ["severity=\"critical\""])
        #expect(rule.targetMatchers.map(\.description) == ["severity=\"warning\""])
        #expect(rule.equal == ["alertname"])
        #expect(config.timeIntervalNames == ["offhours"])
    }

    @Test func repeatIntervalBelowGroupIntervalWarns() throws {
        let (_, warnings) = try parse("""
            route: {receiver: hook, group_wait: 5s, group_interval: 1m, repeat_interval: 15s}
            receivers: [{name: hook, webhook_configs: [{url: "http://127.0.0.1:9099/hook"}]}]
            """)
        #expect(warnings.count == 1)
        #expect(warnings.first?.message.contains("repeat_interval 15s is less than group_interval 1m") == true)
    }

    @Test func notifyFileIsLoadedAndErrorsNameIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-notify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("am.yml")
        try "route: {receiver: a}\nreceivers: [{name: a, webhook_configs: [{url: 'http://h/'}]}]\n"
            .write(to: good, atomically: true, encoding: .utf8)
        let bad = dir.appendingPathComponent("bad.yml")
        try "route: {receiver: a}\nreceivers: [{name: a, webhook_configs: [{url: 'http://h/', x: 1}]}]\n"
            .write(to: bad, atomically: true, encoding: .utf8)

        let main = dir.appendingPathComponent("vigil.yml").path
        let node = try YAMLParser.parse("file: am.yml\n", file: main)
        let (config, _) = try NotifyConfiguration.parse(node, reader: YAMLReader(file: main))
        #expect(config.file == good.path)
        #expect(config.receivers.first?.webhooks.first?.url == "http://h/")

        let badNode = try YAMLParser.parse("file: \(bad.path)\n", file: main)
        #expect {
            try NotifyConfiguration.parse(badNode, reader: YAMLReader(file: main))
        } throws: { error in
            (error as? ConfigError)?.file == bad.path && (error as? ConfigError)?.mark?.line == 2
        }
        let missing = try YAMLParser.parse("file: nope.yml\n", file: main)
        #expect(throws: ConfigError.self) { try NotifyConfiguration.parse(missing, reader: YAMLReader(file: main)) }
    }

    @Test(.enabled(if: SharedFixtures.available, "needs ../shared"),
          arguments: ["examples-ha/alertmanager.yml", "cli-testdata/conf.routing.yml",
                      "config-testdata/conf.group-by-all.yml", "config-testdata/conf.good.yml",
                      "config-testdata/conf.empty-fields.yml", "config-testdata/conf.http-config.good.yml",
                      "doc-examples/simple.yml", "cli-testdata/conf.good.yml"])
    func corpusConfigsLoad(_ name: String) throws {
        let path = try #require(SharedFixtures.path("corpus/alertmanager-config/\(name)")).path
        let (config, _) = try NotifyConfiguration.load(file: path)
        #expect(!config.route.options.receiver.isEmpty)
    }

    @Test(.enabled(if: SharedFixtures.available, "needs ../shared"))
    func corpusWebhookExampleMeansWhatAlertmanagerMeans() throws {
        let path = try #require(SharedFixtures.path("corpus/alertmanager-config/examples-ha/alertmanager.yml")).path
        let (config, warnings) = try NotifyConfiguration.load(file: path)
        #expect(config.route.options == RouteOptions(receiver: "web.hook", groupBy: ["alertname"], groupByAll: false,
                                                     groupWait: 30_000, groupInterval: 300_000,
                                                     repeatInterval: 3_600_000))
        #expect(config.receiver(named: "web.hook")?.webhooks.first?.url == "http://127.0.0.1:5001/")
        #expect(warnings.map { $0.message } == ["inhibit_rules: not supported yet; ignored"])
    }

    @Test(.enabled(if: SharedFixtures.available, "needs ../shared"))
    func corpusNilMatchRegexIsRejected() throws {
        let name = "corpus/alertmanager-config/config-testdata/conf.nil-match_re-route.yml"
        let path = try #require(SharedFixtures.path(name))
        #expect(throws: ConfigError.self) { try NotifyConfiguration.load(file: path.path) }
    }
}
