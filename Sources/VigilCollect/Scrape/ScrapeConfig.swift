import Foundation
import VigilCore

/// Values a scrape config inherits from `global`.
public struct ScrapeDefaults: Sendable, Equatable {
    /// `global.scrape_interval` in milliseconds (Vigil's default 15s).
    public var scrapeInterval: Int64
    /// `global.scrape_timeout` in milliseconds (default 10s).
    public var scrapeTimeout: Int64

    /// Makes defaults; Prometheus's and Vigil's are 15s and 10s.
    public init(scrapeInterval: Int64 = 15_000, scrapeTimeout: Int64 = 10_000) {
        self.scrapeInterval = scrapeInterval
        self.scrapeTimeout = scrapeTimeout
    }
}

/// A group of targets sharing labels, from `static_configs` or a file_sd file.
public struct TargetGroup: Sendable, Equatable {
    /// `host:port` addresses.
    public var targets: [String]
    /// Labels every target of the group gets.
    public var labels: Labels
    /// Where the group came from (`static:0`, `/etc/sd/a.json:1`), for diagnostics.
    public var source: String

    /// Makes a group.
    public init(targets: [String], labels: Labels = Labels(), source: String = "") {
        self.targets = targets
        self.labels = labels
        self.source = source
    }
}

/// One entry of `file_sd_configs`.
public struct FileSDConfig: Sendable, Equatable {
    /// File paths or globs (`*` only in the last path element), absolute after parsing.
    public var files: [String]
    /// How often the files are re-read even without a change, in milliseconds (default 5m).
    public var refreshInterval: Int64

    /// Makes a file_sd config.
    public init(files: [String], refreshInterval: Int64 = 300_000) {
        self.files = files
        self.refreshInterval = refreshInterval
    }
}

/// One `scrape_configs` item: a job and how to scrape its targets.
public struct ScrapeConfig: Sendable, Equatable {
    /// `job_name`, also the `job` label of every target.
    public var jobName: String
    /// Time between scrapes in milliseconds.
    public var scrapeInterval: Int64
    /// Per-scrape timeout in milliseconds, never above the interval.
    public var scrapeTimeout: Int64
    /// The HTTP path, default `/metrics`.
    public var metricsPath: String
    /// `http` or `https`.
    public var scheme: String
    /// URL query parameters, each possibly repeated.
    public var params: [String: [String]]
    /// Keep scraped labels that clash with target labels (false: rename them `exported_…`).
    public var honorLabels: Bool
    /// Keep timestamps the target exposes (false: use the scrape time).
    public var honorTimestamps: Bool
    /// More samples than this fail the scrape; 0 means no limit.
    public var sampleLimit: Int
    /// Targets listed in the config.
    public var staticConfigs: [TargetGroup]
    /// Files that list more targets.
    public var fileSDConfigs: [FileSDConfig]

    /// Makes a config with Prometheus's defaults for everything but the job name.
    public init(
        jobName: String, scrapeInterval: Int64 = 15_000, scrapeTimeout: Int64 = 10_000,
        metricsPath: String = "/metrics", scheme: String = "http", params: [String: [String]] = [:],
        honorLabels: Bool = false, honorTimestamps: Bool = true, sampleLimit: Int = 0,
        staticConfigs: [TargetGroup] = [], fileSDConfigs: [FileSDConfig] = []
    ) {
        self.jobName = jobName
        self.scrapeInterval = scrapeInterval
        self.scrapeTimeout = scrapeTimeout
        self.metricsPath = metricsPath
        self.scheme = scheme
        self.params = params
        self.honorLabels = honorLabels
        self.honorTimestamps = honorTimestamps
        self.sampleLimit = sampleLimit
        self.staticConfigs = staticConfigs
        self.fileSDConfigs = fileSDConfigs
    }

    /// Keys Vigil implements.
    static let supportedKeys: Set<String> = [
        "job_name", "scrape_interval", "scrape_timeout", "metrics_path", "scheme", "params", "honor_labels",
        "honor_timestamps", "sample_limit", "static_configs", "file_sd_configs",
    ]

    /// Keys of Prometheus 2.42–3.x scrape configs that load with a warning until Vigil implements them.
    static let acceptedKeys: Set<String> = [
        // Scrape behaviour and limits.
        "scrape_protocols", "fallback_scrape_protocol", "scrape_classic_histograms",
        "always_scrape_classic_histograms", "convert_classic_histograms_to_nhcb", "scrape_native_histograms",
        "track_timestamps_staleness", "enable_compression", "body_size_limit", "label_limit",
        "label_name_length_limit", "label_value_length_limit", "target_limit", "keep_dropped_targets",
        "native_histogram_bucket_limit", "native_histogram_min_bucket_factor", "metric_name_validation_scheme",
        "metric_name_escaping_scheme", "scrape_failure_log_file", "relabel_configs", "metric_relabel_configs",
        // HTTP client.
        "basic_auth", "authorization", "oauth2", "bearer_token", "bearer_token_file", "tls_config", "proxy_url",
        "no_proxy", "proxy_from_environment", "proxy_connect_header", "follow_redirects", "enable_http2",
        "http_headers",
        // Service discovery other than static and file.
        "azure_sd_configs", "consul_sd_configs", "digitalocean_sd_configs", "docker_sd_configs",
        "dockerswarm_sd_configs", "dns_sd_configs", "ec2_sd_configs", "eureka_sd_configs", "gce_sd_configs",
        "hetzner_sd_configs", "http_sd_configs", "ionos_sd_configs", "kubernetes_sd_configs", "kuma_sd_configs",
        "lightsail_sd_configs", "linode_sd_configs", "marathon_sd_configs", "nerve_sd_configs",
        "nomad_sd_configs", "openstack_sd_configs", "ovhcloud_sd_configs", "puppetdb_sd_configs",
        "scaleway_sd_configs", "serverset_sd_configs", "stackit_sd_configs", "triton_sd_configs",
        "uyuni_sd_configs", "vultr_sd_configs",
    ]

    /// Parses one `scrape_configs` item; unsupported Prometheus keys come back as warnings.
    ///
    /// Relative `file_sd_configs` paths are resolved against the directory of `reader.file`, as Prometheus does.
    public static func parse(_ node: YAMLNode, reader: YAMLReader, defaults: ScrapeDefaults)
        throws(ConfigError) -> (ScrapeConfig, [ConfigWarning])
    {
        let what = "scrape_config"
        let entries = try reader.mapping(node, what, allowed: supportedKeys.union(acceptedKeys))
        var warnings: [ConfigWarning] = []
        var config = ScrapeConfig(jobName: "", scrapeInterval: defaults.scrapeInterval)
        var timeout: Int64?
        var timeoutNode: YAMLNode?
        for (key, mark, value) in entries {
            switch key {
            case "job_name": config.jobName = try reader.string(value, key)
            case "scrape_interval": config.scrapeInterval = try positiveDuration(value, key, reader)
            case "scrape_timeout":
                timeout = try positiveDuration(value, key, reader)
                timeoutNode = value
            case "metrics_path": config.metricsPath = try reader.string(value, key)
            case "scheme": config.scheme = try reader.string(value, key)
            case "params": config.params = try parseParams(value, reader)
            case "honor_labels": config.honorLabels = try reader.bool(value, key)
            case "honor_timestamps": config.honorTimestamps = try reader.bool(value, key)
            case "sample_limit":
                config.sampleLimit = try reader.int(value, key)
                if config.sampleLimit < 0 { throw reader.error(value, "sample_limit: must not be negative") }
            case "static_configs":
                for (k, item) in try reader.sequence(value, key).enumerated() {
                    config.staticConfigs.append(try staticConfig(item, index: k, reader))
                }
            case "file_sd_configs":
                for item in try reader.sequence(value, key) {
                    config.fileSDConfigs.append(try fileSDConfig(item, reader))
                }
            default:
                warnings.append(ConfigWarning(
                    file: reader.file, mark: mark, message: "scrape_config: \(key) is not supported yet, ignored"))
            }
        }
        try validate(&config, node: node, timeout: timeout, timeoutNode: timeoutNode, defaults: defaults,
                     reader: reader)
        return (config, warnings)
    }

    /// Parses the `scrape_configs` list, rejecting a job name used twice.
    public static func parseList(_ node: YAMLNode, reader: YAMLReader, defaults: ScrapeDefaults)
        throws(ConfigError) -> ([ScrapeConfig], [ConfigWarning])
    {
        var configs: [ScrapeConfig] = []
        var warnings: [ConfigWarning] = []
        var seen: Set<String> = []
        for item in try reader.sequence(node, "scrape_configs") {
            let (config, w) = try parse(item, reader: reader, defaults: defaults)
            guard seen.insert(config.jobName).inserted else {
                throw reader.error(item["job_name"] ?? item,
                                   "found multiple scrape configs with job name \"\(config.jobName)\"")
            }
            configs.append(config)
            warnings += w
        }
        return (configs, warnings)
    }

    private static func validate(
        _ config: inout ScrapeConfig, node: YAMLNode, timeout: Int64?, timeoutNode: YAMLNode?,
        defaults: ScrapeDefaults, reader: YAMLReader
    ) throws(ConfigError) {
        if config.jobName.isEmpty { throw reader.error(node, "scrape_config: job_name is empty") }
        if let timeout {
            if timeout > config.scrapeInterval {
                throw reader.error(timeoutNode, "scrape timeout greater than scrape interval for scrape config "
                    + "with job name \"\(config.jobName)\"")
            }
            config.scrapeTimeout = timeout
        } else {
            config.scrapeTimeout = min(defaults.scrapeTimeout, config.scrapeInterval)
        }
        guard config.scheme == "http" || config.scheme == "https" else {
            throw reader.error(node["scheme"], "unknown scrape config scheme \"\(config.scheme)\"")
        }
        if !config.metricsPath.hasPrefix("/") { config.metricsPath = "/" + config.metricsPath }
    }

    private static func positiveDuration(_ node: YAMLNode, _ what: String, _ reader: YAMLReader)
        throws(ConfigError) -> Int64
    {
        let d = try reader.duration(node, what)
        if d <= 0 { throw reader.error(node, "\(what): must be greater than zero, got \"\(node.scalar ?? "")\"") }
        return d
    }

    private static func parseParams(_ node: YAMLNode, _ reader: YAMLReader) throws(ConfigError) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for (key, _, value) in try reader.mapping(node, "params") {
            if value.items != nil {
                out[key] = try reader.strings(value, "params.\(key)")
            } else {
                out[key] = [try reader.string(value, "params.\(key)")]
            }
        }
        return out
    }

    private static func staticConfig(_ node: YAMLNode, index: Int, _ reader: YAMLReader)
        throws(ConfigError) -> TargetGroup
    {
        var group = TargetGroup(targets: [], source: "static:\(index)")
        for (key, _, value) in try reader.mapping(node, "static_config", allowed: ["targets", "labels"]) {
            if key == "targets" {
                for item in try reader.sequence(value, "targets") {
                    let target = try reader.string(item, "targets")
                    if let problem = TargetGroup.problem(target: target) { throw reader.error(item, problem) }
                    group.targets.append(target)
                }
            } else {
                var labels: [Label] = []
                for (name, mark, v) in try reader.mapping(value, "labels") {
                    guard TargetGroup.isValidLabelName(name) else {
                        throw ConfigError(
                            file: reader.file, mark: mark, message: "\"\(name)\" is not a valid label name")
                    }
                    labels.append(Label(name, try reader.string(v, "labels.\(name)")))
                }
                group.labels = Labels(labels)
            }
        }
        return group
    }

    private static func fileSDConfig(_ node: YAMLNode, _ reader: YAMLReader) throws(ConfigError) -> FileSDConfig {
        var config = FileSDConfig(files: [])
        let base = URL(fileURLWithPath: reader.file).deletingLastPathComponent().path
        for (key, _, value) in try reader.mapping(node, "file_sd_config", allowed: ["files", "refresh_interval"]) {
            if key == "refresh_interval" {
                config.refreshInterval = try positiveDuration(value, key, reader)
                continue
            }
            for item in try reader.sequence(value, "files") {
                var path = try reader.string(item, "files")
                let ext = (path as NSString).pathExtension
                guard ["json", "yml", "yaml"].contains(ext) else {
                    throw reader.error(
                        item, "file_sd_config: file \"\(path)\" must have a .json, .yml or .yaml extension")
                }
                if !path.hasPrefix("/") { path = base + "/" + path }
                config.files.append(path)
            }
        }
        if config.files.isEmpty { throw reader.error(node, "file_sd_config: files must not be empty") }
        return config
    }
}
