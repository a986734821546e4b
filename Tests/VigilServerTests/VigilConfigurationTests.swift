import Testing
import VigilCore
@testable import VigilServer

struct VigilConfigurationTests {
    private func parse(_ text: String) throws(ServerError) -> VigilConfiguration {
        try VigilConfiguration.parse(text: text, file: "/etc/vigil/vigil.yml")
    }

    private func errors(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        do {
            _ = try parse(text)
            Issue.record("expected an error", sourceLocation: sourceLocation)
            return []
        } catch {
            guard case .config(let list) = error else {
                Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
                return []
            }
            return list.map(\.description)
        }
    }

    @Test func emptyFileHasTheDefaults() throws {
        let c = try parse("")
        #expect(c.global.scrapeInterval == 15_000)
        #expect(c.global.evaluationInterval == 15_000)
        #expect(c.global.scrapeTimeout == 10_000)
        #expect(c.storage.retention == 15 * 86_400_000)
        #expect(c.query == QueryConfiguration())
        #expect(c.query.lookbackDelta == 300_000)
        #expect(c.collectors.host.enabled)
        #expect(c.collectors.host.job == "host")
        #expect(c.warnings.isEmpty)
    }

    @Test func prometheusGlobalAndVigilSectionsParse() throws {
        let c = try parse("""
        global:
          scrape_interval: 30s
          evaluation_interval: 1m
          external_labels: {region: eu}
          rule_query_offset: 1m
        rule_files: [rules/*.yml]
        rule_packs: [host]
        query: {max_samples: 1000, timeout: 10s, lookback_delta: 2m}
        collectors:
          host: {enabled: false, job: node, interval: 5s}
        storage:
          retention: 6h
        """)
        #expect(c.global.scrapeInterval == 30_000)
        #expect(c.global.evaluationInterval == 60_000)
        #expect(c.global.externalLabels == ["region": "eu"])
        #expect(c.global.ruleQueryOffset == 60_000)
        #expect(c.ruleFilePatterns == ["rules/*.yml"])
        #expect(c.rulePacks == ["host"])
        #expect(c.query.maxSamples == 1000 && c.query.timeout == 10_000 && c.query.lookbackDelta == 120_000)
        #expect(!c.collectors.host.enabled && c.collectors.host.job == "node" && c.collectors.host.interval == 5000)
        #expect(c.scrapeConfigs.isEmpty)
        #expect(c.storage.retention == 21_600_000)
        #expect(c.baseDirectory == "/etc/vigil")
    }

    @Test func sectionsAfterGlobalGetItsDefaults() throws {
        let c = try parse("""
        scrape_configs:
          - job_name: a
            static_configs: [{targets: ["h:1"]}]
        global: {scrape_interval: 7s}
        """)
        #expect(c.scrapeConfigs.first?.scrapeInterval == 7000)
        #expect(c.collectors.host.interval == 7000)
    }

    @Test func delegatedSectionsReportTheirErrorsWithPositions() {
        #expect(errors("scrape_configs:\n  - job_name: a\n    scrape_intervall: 1s\n").first?
            .hasPrefix("/etc/vigil/vigil.yml:3:5:") == true)
        #expect(errors("collectors:\n  host:\n    disabled: [nope]\n")
            == ["/etc/vigil/vigil.yml:3:16: collectors.host.disabled: unknown host collector \"nope\""])
        #expect(errors("notify:\n  route: {receiver: x}\n  receivers: [{name: y}]\n").first?
            .hasPrefix("/etc/vigil/vigil.yml:") == true)
    }

    @Test func scrapeTimeoutDefaultIsCappedAtTheInterval() throws {
        #expect(try parse("global: {scrape_interval: 5s}").global.scrapeTimeout == 5000)
        #expect(errors("global: {scrape_interval: 5s, scrape_timeout: 6s}")
            == ["/etc/vigil/vigil.yml:1:47: global scrape timeout greater than scrape interval"])
    }

    @Test func unbuiltFeaturesWarnWithTheirLine() throws {
        let c = try parse("""
        global:
          scrape_interval: 15s
          query_log_file: /tmp/q.log
          sample_limit: 10
        remote_write:
          - url: http://mimir/api/v1/push
            queue_config: {capacity: 100}
        alerting:
          alertmanagers:
            - static_configs: [{targets: [am:9093]}]
              kubernetes_sd_configs: []
        storage:
          tsdb:
            out_of_order_time_window: 10m
        anomaly: {enabled: true}
        """)
        #expect(c.warnings.map { "\($0.mark!.line) \($0.message)" } == [
            "3 global.query_log_file: the query log is not supported yet; ignored",
            "4 global.sample_limit is not supported yet; ignored",
            "5 remote_write is not supported yet; ignored",
            "8 alerting: sending to external Alertmanagers is not supported yet; ignored",
            "15 anomaly is not supported yet; ignored",
        ])
        #expect(c.storage.outOfOrderWindow == 600_000)
    }

    @Test func unknownKeysAreErrorsWithFileLineAndColumn() {
        #expect(errors("global:\n  scrape_intervall: 1m\n")
            == ["/etc/vigil/vigil.yml:2:3: field scrape_intervall not found in global"])
        #expect(errors("scrape_interval: 1m\nbogus: 1\n") == [
            "/etc/vigil/vigil.yml:1:1: field scrape_interval not found in config",
            "/etc/vigil/vigil.yml:2:1: field bogus not found in config",
        ])
        #expect(errors("remote_write:\n  - url: x\n    urll: y\n")
            == ["/etc/vigil/vigil.yml:3:5: field urll not found in remote_write"])
    }

    @Test func settingBothStorageAliasesIsAnError() {
        #expect(errors("storage:\n  retention: 1h\n  tsdb:\n    retention:\n      time: 2h\n") == [
            "/etc/vigil/vigil.yml:5:7: storage: storage.tsdb.retention.time and storage.retention set the same "
                + "thing; set only one",
        ])
        #expect(errors("storage:\n  tsdb: {out_of_order_time_window: 1m}\n  out_of_order_window: 2m\n") == [
            "/etc/vigil/vigil.yml:3:3: storage: storage.out_of_order_window and "
                + "storage.tsdb.out_of_order_time_window set the same thing; set only one",
        ])
    }

    @Test func prometheusAliasAloneSetsTheVigilSetting() throws {
        #expect(try parse("storage: {tsdb: {retention: {time: 3h}}}").storage.retention == 10_800_000)
    }

    @Test func wrongTypesAndInvalidDurations() {
        #expect(errors("global: {scrape_interval: 5 minutes}")
            == ["/etc/vigil/vigil.yml:1:27: global.scrape_interval: not a valid duration string: \"5 minutes\""])
        #expect(errors("global: [1]") == ["/etc/vigil/vigil.yml:1:9: global: expected a mapping, got a sequence"])
        #expect(errors("query: {max_samples: lots}")
            == ["/etc/vigil/vigil.yml:1:22: query.max_samples: cannot unmarshal \"lots\" into int"])
        #expect(errors("collectors: {host: {enabled: maybe}}")
            == ["/etc/vigil/vigil.yml:1:30: collectors.host.enabled: cannot unmarshal \"maybe\" into bool"])
        #expect(errors("rule_files: {a: b}")
            == ["/etc/vigil/vigil.yml:1:13: rule_files: expected a list, got a mapping"])
        #expect(errors("storage: {retention: 0s}")
            == ["/etc/vigil/vigil.yml:1:22: storage.retention: must be greater than 0, got \"0s\""])
    }

    @Test func scrapeConfigsNeedUniqueJobNames() {
        #expect(errors("scrape_configs:\n  - job_name: a\n  - job_name: a\n")
            == ["/etc/vigil/vigil.yml:3:15: found multiple scrape configs with job name \"a\""])
    }

    @Test func unknownRulePackIsAnError() {
        #expect(errors("rule_packs: [host, gpu]")
            == ["/etc/vigil/vigil.yml:1:20: rule_packs: unknown rule pack \"gpu\" (built in: host)"])
    }

    @Test func badYAMLIsAnErrorWithPosition() {
        let e = errors("global:\n  scrape_interval: [\n")
        #expect(e.count == 1)
        #expect(e.first?.hasPrefix("/etc/vigil/vigil.yml:3:") == true)
    }

    @Test func embeddedDefaultLoadsAndScrapesItself() throws {
        let c = VigilConfiguration.embeddedDefault(listen: "127.0.0.1:9470")
        #expect(c.warnings.isEmpty)
        #expect(c.rulePacks == ["host"])
        #expect(c.collectors.host.enabled)
        #expect(c.scrapeConfigs.map(\.jobName) == ["vigil"])
        #expect(c.scrapeConfigs.first?.staticConfigs.first?.targets == ["127.0.0.1:9470"])
        #expect(c.scrapeConfigs.first?.scrapeInterval == 15_000)
        #expect(c.collectors.host.interval == 15_000)
        #expect(EmbeddedResources.rulePack("host") != nil)
        #expect(c.file == "<embedded default>")
    }

    @Test func prometheusExampleConfigLoads() throws {
        let c = try parse("""
        global:
          scrape_interval: 15s
          evaluation_interval: 15s
        alerting:
          alertmanagers:
            - static_configs:
                - targets:
        rule_files:
        scrape_configs:
          - job_name: "prometheus"
            static_configs:
              - targets: ["localhost:9090"]
                labels:
                  app: "prometheus"
        """)
        #expect(c.scrapeConfigs.map(\.jobName) == ["prometheus"])
        #expect(c.scrapeConfigs.first?.staticConfigs.first?.labels == Labels(["app": "prometheus"]))
        #expect(c.ruleFilePatterns.isEmpty)
    }
}
