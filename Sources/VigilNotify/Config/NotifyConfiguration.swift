import Foundation
import VigilCore

/// The `notify` section: an `alertmanager.yml` in Alertmanager's shape, inline or from `{file: path}`.
public struct NotifyConfiguration: Sendable {
    /// The file the configuration came from (for messages).
    public var file: String
    /// `global.resolve_timeout`: the end given to alerts that arrive without one (default 5m), in milliseconds.
    public var resolveTimeout: Int64
    /// The root of the routing tree.
    public var route: NotifyRoute
    /// Receivers by configuration order.
    public var receivers: [ReceiverConfiguration]
    /// `templates` globs (parsed; templates are not applied yet).
    public var templates: [String]
    /// `inhibit_rules` (parsed and checked; inhibition is not applied yet).
    public var inhibitRules: [InhibitRuleConfiguration] = []
    /// Names of `time_intervals` and `mute_time_intervals` (their schedules are checked, not applied yet).
    public var timeIntervalNames: [String] = []

    /// Builds a configuration directly (for the embedded default and tests).
    public init(file: String = "<notify>", resolveTimeout: Int64 = 300_000, route: NotifyRoute,
                receivers: [ReceiverConfiguration], templates: [String] = []) {
        self.file = file
        self.resolveTimeout = resolveTimeout
        self.route = route
        self.receivers = receivers
        self.templates = templates
    }

    /// The configuration used when `notify` is absent: every alert grouped by `alertname` to the receiver `log`,
    /// which only writes notifications to the log.
    public static func logOnly() -> NotifyConfiguration {
        var options = RouteOptions.defaults(receiver: "log")
        options.groupBy = [LabelName.alertName]
        let route = NotifyRoute(matchers: [], continueMatching: false, options: options, routes: [], parentKey: nil)
        return NotifyConfiguration(file: "<default>", route: route, receivers: [ReceiverConfiguration(name: "log")])
    }

    /// The receiver called `name`.
    public func receiver(named name: String) -> ReceiverConfiguration? { receivers.first { $0.name == name } }

    /// Parses a `notify` node: the whole `alertmanager.yml` shape, or `{file: path}` loading that file
    /// (relative to the directory of `reader.file`). Unimplemented keys yield warnings; unknown keys throw.
    public static func parse(_ node: YAMLNode, reader: YAMLReader) throws(ConfigError)
        -> (NotifyConfiguration, [ConfigWarning])
    {
        if let entries = node.entries, entries.count == 1, entries[0].key == "file" {
            let path = try reader.string(entries[0].value, "file")
            let resolved = resolve(path, relativeTo: reader.file)
            guard let data = FileManager.default.contents(atPath: resolved) else {
                throw reader.error(entries[0].value, "cannot read notify file \"\(resolved)\"")
            }
            return try parse(text: String(decoding: data, as: UTF8.self), file: resolved)
        }
        var warnings: [ConfigWarning] = []
        let config = try parseDocument(node, reader: reader, warnings: &warnings)
        return (config, warnings)
    }

    /// Parses the text of an `alertmanager.yml` named `file`.
    public static func parse(text: String, file: String) throws(ConfigError) -> (NotifyConfiguration, [ConfigWarning]) {
        let node = try YAMLParser.parse(text, file: file)
        var warnings: [ConfigWarning] = []
        let config = try parseDocument(node, reader: YAMLReader(file: file), warnings: &warnings)
        return (config, warnings)
    }

    /// Loads and parses an `alertmanager.yml` file.
    public static func load(file: String) throws(ConfigError) -> (NotifyConfiguration, [ConfigWarning]) {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ConfigError(file: file, mark: nil, message: "cannot read file")
        }
        return try parse(text: String(decoding: data, as: UTF8.self), file: file)
    }

    private static func resolve(_ path: String, relativeTo file: String) -> String {
        if path.hasPrefix("/") { return path }
        let dir = (file as NSString).deletingLastPathComponent
        if dir.isEmpty || file.hasPrefix("<") { return path }
        return (dir as NSString).appendingPathComponent(path)
    }

    private static func parseDocument(_ node: YAMLNode, reader r: YAMLReader,
                                      warnings: inout [ConfigWarning]) throws(ConfigError) -> NotifyConfiguration {
        let entries = try r.mapping(node, "notify", allowed: NotifyKeys.topLevel)
        var resolveTimeout: Int64 = 300_000
        var globalHTTP: HTTPClientConfiguration?
        var routeNode: (YAMLNode, SourceMark)?
        var receivers: [ReceiverConfiguration] = []
        var receiverMarks: [String: YAMLNode] = [:]
        var templates: [String] = []
        var inhibitRules: [InhibitRuleConfiguration] = []
        var intervalNames: Set<String> = []

        for e in entries where e.key == "global" {
            for g in try r.mapping(e.value, "global", allowed: NotifyKeys.global) {
                switch g.key {
                case "resolve_timeout": resolveTimeout = try r.duration(g.value, "resolve_timeout")
                case "http_config": globalHTTP = try parseHTTPConfig(g.value, reader: r, warnings: &warnings)
                default:
                    warnings.append(ConfigWarning(file: r.file, mark: g.keyMark,
                                                  message: "global.\(g.key): not supported yet; ignored"))
                }
            }
        }
        for e in entries {
            switch e.key {
            case "global": break
            case "route": routeNode = (e.value, e.keyMark)
            case "receivers":
                for item in try r.sequence(e.value, "receivers") {
                    let rc = try parseReceiver(item, reader: r, global: globalHTTP, warnings: &warnings)
                    if receiverMarks[rc.name] != nil {
                        throw r.error(item, "notification config name \"\(rc.name)\" is not unique")
                    }
                    receiverMarks[rc.name] = item
                    receivers.append(rc)
                }
            case "templates":
                templates = try r.strings(e.value, "templates")
                if !templates.isEmpty { warnings.append(unsupported(e, r)) }
            case "inhibit_rules":
                for item in try r.sequence(e.value, "inhibit_rules") {
                    inhibitRules.append(try parseInhibitRule(item, reader: r))
                }
                if !(e.value.items ?? []).isEmpty { warnings.append(unsupported(e, r)) }
            case "time_intervals", "mute_time_intervals":
                for item in try r.sequence(e.value, e.key) {
                    intervalNames.insert(try checkTimeInterval(item, reader: r, what: e.key))
                }
                if !(e.value.items ?? []).isEmpty { warnings.append(unsupported(e, r)) }
            default:
                if !e.value.isNull { warnings.append(unsupported(e, r)) }
            }
        }

        guard let (rn, rmark) = routeNode, !rn.isNull else {
            throw ConfigError(file: r.file, mark: routeNode?.1, message: "no route provided in config")
        }
        let route = try parseRootRoute(rn, reader: r, warnings: &warnings)
        _ = rmark
        for node in route.all {
            if !node.receiver.isEmpty && receiverMarks[node.receiver] == nil {
                throw r.error(node.receiverNode ?? rn, "undefined receiver \"\(node.receiver)\" used in route")
            }
            let named = node.route.muteTimeIntervals + node.route.activeTimeIntervals
            for name in named where !intervalNames.contains(name) {
                throw r.error(node.node, "undefined time interval \"\(name)\" used in route")
            }
        }
        let used = Set(route.all.map(\.receiver))
        for rc in receivers where !rc.unsupportedKinds.isEmpty && used.contains(rc.name) {
            warnings.append(ConfigWarning(
                file: r.file, mark: receiverMarks[rc.name]?.mark,
                message: "receiver \"\(rc.name)\" uses \(rc.unsupportedKinds.joined(separator: ", ")), "
                    + "not supported yet: those integrations will not be notified"))
        }
        var config = NotifyConfiguration(file: r.file, resolveTimeout: resolveTimeout, route: route.root,
                                         receivers: receivers, templates: templates)
        config.inhibitRules = inhibitRules
        config.timeIntervalNames = intervalNames.sorted()
        return config
    }

    static func unsupported(_ e: (key: String, keyMark: SourceMark, value: YAMLNode), _ r: YAMLReader)
        -> ConfigWarning
    {
        ConfigWarning(file: r.file, mark: e.keyMark, message: "\(e.key): not supported yet; ignored")
    }

    private static func parseInhibitRule(_ node: YAMLNode,
                                         reader r: YAMLReader) throws(ConfigError) -> InhibitRuleConfiguration {
        var rule = InhibitRuleConfiguration()
        for e in try r.mapping(node, "inhibit_rule", allowed: NotifyKeys.inhibitRule) {
            switch e.key {
            case "name": rule.name = try r.string(e.value, "name")
            case "source_matchers": rule.sourceMatchers += try parseMatcherList(e.value, reader: r, what: e.key)
            case "target_matchers": rule.targetMatchers += try parseMatcherList(e.value, reader: r, what: e.key)
            case "source_match", "source_match_re":
                rule.sourceMatchers += try parseMatchMap(e.value, reader: r, regex: e.key.hasSuffix("_re"), what: e.key)
            case "target_match", "target_match_re":
                rule.targetMatchers += try parseMatchMap(e.value, reader: r, regex: e.key.hasSuffix("_re"), what: e.key)
            default:
                for item in try r.sequence(e.value, "equal") {
                    let name = try r.string(item, "equal")
                    if !MatcherParser.isValidLabelName(name) {
                        throw r.error(item, "invalid label name \"\(name)\" in equal list")
                    }
                    rule.equal.append(name)
                }
            }
        }
        rule.sourceMatchers = NotifyRoute.sortMatchers(rule.sourceMatchers)
        rule.targetMatchers = NotifyRoute.sortMatchers(rule.targetMatchers)
        return rule
    }

    private static func checkTimeInterval(_ node: YAMLNode, reader r: YAMLReader,
                                          what: String) throws(ConfigError) -> String {
        var name = ""
        for e in try r.mapping(node, what, allowed: NotifyKeys.timeInterval) {
            if e.key == "name" {
                name = try r.string(e.value, "name")
            } else {
                for spec in try r.sequence(e.value, "time_intervals") {
                    _ = try r.mapping(spec, "time_interval", allowed: NotifyKeys.timeIntervalSpec)
                }
            }
        }
        if name.isEmpty { throw r.error(node, "missing name in time interval") }
        return name
    }
}
