import VigilCollect
import VigilCore
import VigilNotify

/// Walks a configuration document section by section, collecting every error (one per section at most) and
/// the warnings for keys whose feature is not built yet.
struct ConfigParser {
    let reader: YAMLReader
    var errors: [ConfigError] = []
    var warnings: [ConfigWarning] = []
    /// Sections that need the global defaults, parsed after the walk.
    private var scrapeNode: YAMLNode?
    private var hostNode: YAMLNode?

    init(file: String) { reader = YAMLReader(file: file) }

    mutating func parse(_ root: YAMLNode, into config: inout VigilConfiguration) {
        let entries: [(key: String, keyMark: SourceMark, value: YAMLNode)]
        do {
            entries = try reader.mapping(root, "config")
        } catch {
            errors.append(error)
            return
        }
        var globalNode: YAMLNode?
        for e in entries {
            guard ConfigKeys.topLevel.contains(e.key) else {
                errors.append(ConfigError(file: reader.file, mark: e.keyMark,
                                          message: "field \(e.key) not found in config"))
                continue
            }
            do throws(ConfigError) {
                try section(e.key, e.keyMark, e.value, &config)
                if e.key == "global" { globalNode = e.value }
            } catch {
                errors.append(error)
            }
        }
        config.globalNode = globalNode
        finish(&config)
        if config.global.scrapeTimeout > config.global.scrapeInterval {
            if globalNode?["scrape_timeout"] == nil {
                config.global.scrapeTimeout = config.global.scrapeInterval
            } else {
                errors.append(reader.error(globalNode?["scrape_timeout"],
                                           "global scrape timeout greater than scrape interval"))
            }
        }
    }

    private mutating func section(_ key: String, _ mark: SourceMark, _ node: YAMLNode,
                                  _ config: inout VigilConfiguration) throws(ConfigError) {
        switch key {
        case "global": config.global = try global(node)
        case "scrape_configs":
            try checkJobNames(node)
            scrapeNode = node
        case "rule_files": config.ruleFilePatterns = try reader.strings(node, "rule_files")
        case "rule_packs": config.rulePacks = try rulePacks(node)
        case "storage": config.storage = try storage(node)
        case "query": config.query = try query(node)
        case "collectors":
            config.collectors = try collectors(node)
            hostNode = node["host"]
        case "notify":
            let (notify, notifyWarnings) = try NotifyConfiguration.parse(node, reader: reader)
            config.notify = notify
            warnings += notifyWarnings
        case "alerting":
            try alerting(node)
            warn(mark, "alerting: sending to external Alertmanagers is not supported yet; ignored")
        case "remote_write":
            try eachItem(node, "remote_write", ConfigKeys.remoteWrite)
            warn(mark, "remote_write is not supported yet; ignored")
        case "remote_read":
            try eachItem(node, "remote_read", ConfigKeys.remoteRead)
            warn(mark, "remote_read is not supported yet; ignored")
        case "tracing":
            _ = try reader.mapping(node, "tracing", allowed: ConfigKeys.tracing)
            warn(mark, "tracing is not supported yet; ignored")
        case "otlp":
            _ = try reader.mapping(node, "otlp", allowed: ConfigKeys.otlp)
            warn(mark, "otlp is not supported yet; ignored")
        case "runtime":
            _ = try reader.mapping(node, "runtime", allowed: ConfigKeys.runtime)
            warn(mark, "runtime is not supported yet; ignored")
        case "scrape_config_files":
            _ = try reader.strings(node, "scrape_config_files")
            warn(mark, "scrape_config_files is not supported yet; ignored")
        default:
            // logs, anomaly, remediation: sections of later issues.
            warn(mark, "\(key) is not supported yet; ignored")
        }
    }

    mutating func warn(_ mark: SourceMark?, _ message: String) {
        warnings.append(ConfigWarning(file: reader.file, mark: mark, message: message))
    }

    private mutating func global(_ node: YAMLNode) throws(ConfigError) -> GlobalConfiguration {
        var g = GlobalConfiguration()
        for e in try reader.mapping(node, "global", allowed: ConfigKeys.global) {
            let what = "global.\(e.key)"
            switch e.key {
            case "scrape_interval": g.scrapeInterval = try positiveDuration(e.value, what)
            case "scrape_timeout": g.scrapeTimeout = try positiveDuration(e.value, what)
            case "evaluation_interval": g.evaluationInterval = try positiveDuration(e.value, what)
            case "external_labels": g.externalLabels = try reader.stringMap(e.value, what)
            case "query_log_file":
                g.queryLogFile = try reader.string(e.value, what)
                warn(e.keyMark, "\(what): the query log is not supported yet; ignored")
            case "rule_query_offset": g.ruleQueryOffset = try reader.duration(e.value, what)
            default:
                warn(e.keyMark, "\(what) is not supported yet; ignored")
            }
        }
        return g
    }

    private func positiveDuration(_ node: YAMLNode, _ what: String) throws(ConfigError) -> Int64 {
        let ms = try reader.duration(node, what)
        if ms <= 0 { throw reader.error(node, "\(what): must be greater than 0, got \"\(node.scalar ?? "")\"") }
        return ms
    }

    /// Parses the sections whose defaults come from `global`, wherever `global` stands in the file.
    private mutating func finish(_ config: inout VigilConfiguration) {
        let defaults = ScrapeDefaults(scrapeInterval: config.global.scrapeInterval,
                                      scrapeTimeout: config.global.scrapeTimeout)
        if let scrapeNode {
            for item in scrapeNode.items ?? [] {
                do {
                    let (scrape, scrapeWarnings) = try ScrapeConfig.parse(item, reader: reader, defaults: defaults)
                    config.scrapeConfigs.append(scrape)
                    warnings += scrapeWarnings
                } catch {
                    errors.append(error)
                }
            }
        }
        do {
            config.collectors.host = try HostCollector.Configuration.parse(
                hostNode, reader: reader, defaultInterval: config.global.scrapeInterval)
        } catch {
            errors.append(error)
        }
    }

    /// Checks that job names are unique across `scrape_configs`.
    private func checkJobNames(_ node: YAMLNode) throws(ConfigError) {
        let items = try reader.sequence(node, "scrape_configs")
        var names: Set<String> = []
        for item in items {
            _ = try reader.mapping(item, "scrape_configs item")
            guard let nameNode = item["job_name"] else { throw reader.error(item, "job_name is empty") }
            let name = try reader.string(nameNode, "job_name")
            if name.isEmpty { throw reader.error(nameNode, "job_name is empty") }
            if !names.insert(name).inserted {
                throw reader.error(nameNode, "found multiple scrape configs with job name \"\(name)\"")
            }
        }
    }

    private func rulePacks(_ node: YAMLNode) throws(ConfigError) -> [String] {
        var out: [String] = []
        for item in try reader.sequence(node, "rule_packs") {
            let name = try reader.string(item, "rule_packs")
            guard EmbeddedResources.rulePackNames.contains(name) else {
                throw reader.error(item, "rule_packs: unknown rule pack \"\(name)\" (built in: "
                    + EmbeddedResources.rulePackNames.joined(separator: ", ") + ")")
            }
            if !out.contains(name) { out.append(name) }
        }
        return out
    }

    private func alerting(_ node: YAMLNode) throws(ConfigError) {
        for e in try reader.mapping(node, "alerting", allowed: ConfigKeys.alerting) where e.key == "alertmanagers" {
            try eachItem(e.value, "alerting.alertmanagers", ConfigKeys.alertmanager)
        }
    }

    /// Checks the keys of each mapping in a list; `*_sd_configs` keys are always accepted.
    private func eachItem(_ node: YAMLNode, _ what: String, _ allowed: Set<String>) throws(ConfigError) {
        for item in try reader.sequence(node, what) {
            for e in try reader.mapping(item, what) where !allowed.contains(e.key) && !e.key.hasSuffix("_sd_configs") {
                throw ConfigError(file: reader.file, mark: e.keyMark, message: "field \(e.key) not found in \(what)")
            }
        }
    }
}
