import Testing
import VigilCore

@testable import VigilCollect

private func parseConfig(_ yaml: String, defaults: ScrapeDefaults = ScrapeDefaults(),
                         file: String = "/etc/vigil/vigil.yml") throws -> (ScrapeConfig, [ConfigWarning]) {
    let node = try YAMLParser.parse(yaml, file: file)
    return try ScrapeConfig.parse(node, reader: YAMLReader(file: file), defaults: defaults)
}

private func configError(_ yaml: String, defaults: ScrapeDefaults = ScrapeDefaults()) -> ConfigError? {
    do {
        _ = try parseConfig(yaml, defaults: defaults)
        return nil
    } catch let e as ConfigError {
        return e
    } catch {
        return nil
    }
}

struct ScrapeConfigTests {
    @Test func parsesEverySupportedKey() throws {
        let (c, warnings) = try parseConfig("""
            job_name: node
            scrape_interval: 30s
            scrape_timeout: 5s
            metrics_path: /probe
            scheme: https
            params:
              module: [http_2xx, tcp]
              target: example.com
            honor_labels: true
            honor_timestamps: false
            sample_limit: 1000
            static_configs:
              - targets: ['localhost:9100', 'db:9100']
                labels: {env: prod, team: ""}
            file_sd_configs:
              - files: [targets/*.json, /abs/more.yml]
                refresh_interval: 1m
            """)
        #expect(warnings.isEmpty)
        #expect(c == ScrapeConfig(
            jobName: "node", scrapeInterval: 30_000, scrapeTimeout: 5_000, metricsPath: "/probe", scheme: "https",
            params: ["module": ["http_2xx", "tcp"], "target": ["example.com"]], honorLabels: true,
            honorTimestamps: false, sampleLimit: 1000,
            staticConfigs: [TargetGroup(targets: ["localhost:9100", "db:9100"], labels: ["env": "prod"],
                                        source: "static:0")],
            fileSDConfigs: [FileSDConfig(files: ["/etc/vigil/targets/*.json", "/abs/more.yml"],
                                         refreshInterval: 60_000)]))
    }

    @Test func inheritsGlobalsWithTimeoutCappedByInterval() throws {
        let defaults = ScrapeDefaults(scrapeInterval: 60_000, scrapeTimeout: 20_000)
        let (a, _) = try parseConfig("job_name: a", defaults: defaults)
        #expect(a.scrapeInterval == 60_000 && a.scrapeTimeout == 20_000)
        let (b, _) = try parseConfig("job_name: b\nscrape_interval: 5s", defaults: defaults)
        #expect(b.scrapeInterval == 5_000 && b.scrapeTimeout == 5_000)
        let (c, _) = try parseConfig("job_name: c")
        #expect(c.scrapeInterval == 15_000 && c.scrapeTimeout == 10_000)
        #expect(c.metricsPath == "/metrics" && c.scheme == "http" && c.honorTimestamps && !c.honorLabels)
    }

    @Test func unsupportedPrometheusKeysWarnWithTheirLine() throws {
        let (c, warnings) = try parseConfig("""
            job_name: k8s
            relabel_configs:
              - source_labels: [__address__]
                target_label: instance
            basic_auth: {username: u, password: p}
            kubernetes_sd_configs: [{role: pod}]
            metric_relabel_configs: []
            tls_config: {insecure_skip_verify: true}
            """)
        #expect(c.jobName == "k8s")
        #expect(warnings.map(\.description) == [
            "/etc/vigil/vigil.yml:2:1: scrape_config: relabel_configs is not supported yet, ignored",
            "/etc/vigil/vigil.yml:5:1: scrape_config: basic_auth is not supported yet, ignored",
            "/etc/vigil/vigil.yml:6:1: scrape_config: kubernetes_sd_configs is not supported yet, ignored",
            "/etc/vigil/vigil.yml:7:1: scrape_config: metric_relabel_configs is not supported yet, ignored",
            "/etc/vigil/vigil.yml:8:1: scrape_config: tls_config is not supported yet, ignored",
        ])
    }

    @Test(arguments: [
        ("job_name: x\nscrape_intervall: 5s", "/etc/vigil/vigil.yml:2:1: field scrape_intervall not found in scrape_config"),
        ("job_name: x\nscrape_interval: 5s\nscrape_timeout: 10s",
         "/etc/vigil/vigil.yml:3:17: scrape timeout greater than scrape interval for scrape config with job name \"x\""),
        ("job_name: x\nscrape_interval: 5 s", "/etc/vigil/vigil.yml:2:18: scrape_interval: not a valid duration string: \"5 s\""),
        ("job_name: x\nscheme: ftp", "/etc/vigil/vigil.yml:2:9: unknown scrape config scheme \"ftp\""),
        ("scrape_interval: 5s", "/etc/vigil/vigil.yml:1:1: scrape_config: job_name is empty"),
        ("job_name: x\nhonor_labels: maybe", "/etc/vigil/vigil.yml:2:15: honor_labels: cannot unmarshal \"maybe\" into bool"),
        ("job_name: x\nstatic_configs:\n  - targets: ['http://a:1/metrics']",
         "/etc/vigil/vigil.yml:3:15: \"http://a:1/metrics\" is not a valid hostname"),
        ("job_name: x\nstatic_configs:\n  - target: ['a:1']", "/etc/vigil/vigil.yml:3:5: field target not found in static_config"),
        ("job_name: x\nfile_sd_configs:\n  - files: [a.txt]",
         "/etc/vigil/vigil.yml:3:13: file_sd_config: file \"a.txt\" must have a .json, .yml or .yaml extension"),
        ("job_name: x\nsample_limit: ten", "/etc/vigil/vigil.yml:2:15: sample_limit: cannot unmarshal \"ten\" into int"),
    ] as [(String, String)])
    func badConfigsNameFileLineAndColumn(yaml: String, message: String) throws {
        let e = try #require(configError(yaml))
        #expect(e.description == message)
    }

    @Test func fileSDFilesParseInJSONAndYAML() throws {
        let json = try TargetGroup.parseFile("/x/a.json", contents: #"""
            [{"targets": ["a:1", "b:2"], "labels": {"env": "prod"}}, {"targets": ["c:3"]}]
            """#)
        #expect(json == [
            TargetGroup(targets: ["a:1", "b:2"], labels: ["env": "prod"], source: "/x/a.json:0"),
            TargetGroup(targets: ["c:3"], source: "/x/a.json:1"),
        ])
        let yaml = try TargetGroup.parseFile("/x/a.yml", contents: "- targets: [d:4]\n  labels:\n    rack: r1\n")
        #expect(yaml == [TargetGroup(targets: ["d:4"], labels: ["rack": "r1"], source: "/x/a.yml:0")])
        #expect(throws: ConfigError.self) { try TargetGroup.parseFile("/x/b.yml", contents: "- targets: [d:4]\n  lables: {}\n") }
    }

    @Test func targetLabelsAndURLFollowPrometheus() {
        let config = ScrapeConfig(jobName: "node", params: ["module": ["a"]])
        let t = ScrapeTarget(address: "localhost:9100", group: TargetGroup(targets: [], labels: ["env": "p"]),
                             config: config)
        #expect(t.labels == ["job": "node", "instance": "localhost:9100", "env": "p"])
        #expect(t.url == "http://localhost:9100/metrics?module=a")
        #expect(t.discoveredLabels == [
            "__address__": "localhost:9100", "__scheme__": "http", "__metrics_path__": "/metrics",
            "__scrape_interval__": "15s", "__scrape_timeout__": "10s", "__param_module": "a", "job": "node",
            "env": "p",
        ])
        let own = ScrapeTarget(address: "h:1", group: TargetGroup(targets: [], labels: ["instance": "mine"]),
                               config: config)
        #expect(own.labels["instance"] == "mine")
    }
}

struct ScrapeConfigListTests {
    @Test func duplicateJobNamesAreRejected() throws {
        let yaml = "- job_name: a\n- job_name: b\n  relabel_configs: []\n- job_name: a\n"
        let node = try YAMLParser.parse(yaml, file: "p.yml")
        let reader = YAMLReader(file: "p.yml")
        #expect(throws: ConfigError(file: "p.yml", mark: SourceMark(line: 4, column: 13),
                                    message: "found multiple scrape configs with job name \"a\"")) {
            try ScrapeConfig.parseList(node, reader: reader, defaults: ScrapeDefaults())
        }
        let ok = try YAMLParser.parse("- job_name: a\n- job_name: b\n  relabel_configs: []\n", file: "p.yml")
        let (configs, warnings) = try ScrapeConfig.parseList(ok, reader: reader, defaults: ScrapeDefaults())
        #expect(configs.map(\.jobName) == ["a", "b"])
        #expect(warnings.map(\.description) == ["p.yml:3:3: scrape_config: relabel_configs is not supported yet, ignored"])
    }
}
