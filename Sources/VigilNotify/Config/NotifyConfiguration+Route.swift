import VigilCore

/// The parsed routing tree with the source nodes that checks after parsing point at.
struct ParsedRouteTree {
    struct Node {
        var route: NotifyRoute
        var receiver: String
        var receiverNode: YAMLNode?
        var node: YAMLNode
    }
    var root: NotifyRoute
    var all: [Node]
}

extension NotifyConfiguration {
    static func parseRootRoute(_ node: YAMLNode, reader r: YAMLReader,
                               warnings: inout [ConfigWarning]) throws(ConfigError) -> ParsedRouteTree {
        var all: [ParsedRouteTree.Node] = []
        let root = try parseRoute(node, reader: r, parent: nil, parentKey: nil, warnings: &warnings, all: &all)
        let rootEntries = node.entries ?? []
        if root.options.receiver.isEmpty { throw r.error(node, "root route must specify a default receiver") }
        if !root.matchers.isEmpty { throw r.error(node, "root route must not have any matchers") }
        if root.continueMatching { throw r.error(node, "cannot have continue in root route") }
        if let e = rootEntries.first(where: { $0.key == "mute_time_intervals" }), !root.muteTimeIntervals.isEmpty {
            throw ConfigError(file: r.file, mark: e.keyMark,
                              message: "root route must not have any mute time intervals")
        }
        if let e = rootEntries.first(where: { $0.key == "active_time_intervals" }), !root.activeTimeIntervals.isEmpty {
            throw ConfigError(file: r.file, mark: e.keyMark,
                              message: "root route must not have any active time intervals")
        }
        return ParsedRouteTree(root: root, all: all)
    }

    private static func parseRoute(_ node: YAMLNode, reader r: YAMLReader, parent: RouteOptions?, parentKey: String?,
                                   warnings: inout [ConfigWarning],
                                   all: inout [ParsedRouteTree.Node]) throws(ConfigError) -> NotifyRoute {
        var options = parent ?? RouteOptions.defaults(receiver: "")
        var matchers: [LabelMatcher] = []
        var continueMatching = false
        var childNodes: [YAMLNode] = []
        var receiverNode: YAMLNode?
        var mute: [String] = []
        var active: [String] = []
        var setIntervals = false

        for e in try r.mapping(node, "route", allowed: NotifyKeys.route) {
            switch e.key {
            case "receiver":
                // An empty receiver inherits the parent's, as in Alertmanager.
                let name = try r.string(e.value, "receiver")
                if !name.isEmpty {
                    options.receiver = name
                    receiverNode = e.value
                }
            case "group_by":
                (options.groupBy, options.groupByAll) = try parseGroupBy(e.value, reader: r)
            case "match":
                matchers += try parseMatchMap(e.value, reader: r, regex: false, what: "match")
            case "match_re":
                matchers += try parseMatchMap(e.value, reader: r, regex: true, what: "match_re")
            case "matchers":
                matchers += try parseMatcherList(e.value, reader: r, what: "matchers")
            case "continue":
                continueMatching = try r.bool(e.value, "continue")
            case "routes":
                childNodes = try r.sequence(e.value, "routes")
            case "group_wait":
                options.groupWait = try r.duration(e.value, "group_wait")
            case "group_interval":
                options.groupInterval = try r.duration(e.value, "group_interval")
                if options.groupInterval == 0 { throw r.error(e.value, "group_interval cannot be zero") }
                setIntervals = true
            case "repeat_interval":
                options.repeatInterval = try r.duration(e.value, "repeat_interval")
                if options.repeatInterval == 0 { throw r.error(e.value, "repeat_interval cannot be zero") }
                setIntervals = true
            case "mute_time_intervals":
                mute = try r.strings(e.value, "mute_time_intervals")
                if !mute.isEmpty { warnings.append(unsupported(e, r)) }
            case "active_time_intervals":
                active = try r.strings(e.value, "active_time_intervals")
                if !active.isEmpty { warnings.append(unsupported(e, r)) }
            default:
                if !e.value.isNull { warnings.append(unsupported(e, r)) }
            }
        }
        if setIntervals && options.repeatInterval < options.groupInterval {
            let effective = options.groupInterval
                * ((options.repeatInterval + options.groupInterval - 1) / options.groupInterval)
            warnings.append(ConfigWarning(
                file: r.file, mark: node.mark,
                message: "repeat_interval \(PromDuration.format(options.repeatInterval)) is less than group_interval "
                    + "\(PromDuration.format(options.groupInterval)): notifications repeat only every "
                    + "\(PromDuration.format(effective))"))
        }

        let key = parentKey.map { $0 + "/" } ?? ""
        let ownKey = key + "{" + NotifyRoute.sortMatchers(matchers).map(NotifyRoute.matcherString)
            .joined(separator: ",") + "}"
        var children: [NotifyRoute] = []
        var childAll: [ParsedRouteTree.Node] = []
        for child in childNodes {
            children.append(try parseRoute(child, reader: r, parent: options, parentKey: ownKey,
                                           warnings: &warnings, all: &childAll))
        }
        let route = NotifyRoute(matchers: matchers, continueMatching: continueMatching, options: options,
                                routes: children, parentKey: parentKey, muteTimeIntervals: mute,
                                activeTimeIntervals: active)
        all.append(ParsedRouteTree.Node(route: route, receiver: options.receiver, receiverNode: receiverNode,
                                        node: node))
        all.append(contentsOf: childAll)
        return route
    }

    private static func parseGroupBy(_ node: YAMLNode, reader r: YAMLReader) throws(ConfigError) -> ([String], Bool) {
        var names: [String] = []
        var byAll = false
        for item in try r.sequence(node, "group_by") {
            let name = try r.string(item, "group_by")
            if name == "..." {
                byAll = true
                continue
            }
            if !MatcherParser.isValidLabelName(name) {
                throw r.error(item, "invalid label name \"\(name)\" in group_by list")
            }
            if names.contains(name) { throw r.error(item, "duplicated label \"\(name)\" in group_by") }
            names.append(name)
        }
        if byAll && !names.isEmpty {
            throw r.error(node, "cannot have wildcard group_by (`...`) and other labels at the same time")
        }
        return (names.sorted(), byAll)
    }

    /// `match` / `match_re` maps; `match_re` values are anchored as `^(?:value)$`, as Alertmanager shows them.
    static func parseMatchMap(_ node: YAMLNode, reader r: YAMLReader, regex: Bool,
                              what: String) throws(ConfigError) -> [LabelMatcher] {
        var out: [LabelMatcher] = []
        for e in try r.mapping(node, what) {
            if !MatcherParser.isValidLabelName(e.key) {
                throw ConfigError(file: r.file, mark: e.keyMark, message: "invalid label name \"\(e.key)\"")
            }
            if regex && e.value.isNull {
                throw r.error(e.value, "invalid regexp value for \"\(e.key)\"")
            }
            let value = try r.string(e.value, "\(what).\(e.key)")
            do {
                out.append(regex ? try LabelMatcher(.regexMatch, e.key, "^(?:\(value))$")
                                 : try LabelMatcher(.equal, e.key, value))
            } catch {
                throw r.error(e.value, "\(what).\(e.key): invalid regular expression \"\(value)\": \(error)")
            }
        }
        return out
    }

    /// A `matchers` list of Alertmanager matcher strings.
    static func parseMatcherList(_ node: YAMLNode, reader r: YAMLReader,
                                 what: String) throws(ConfigError) -> [LabelMatcher] {
        var out: [LabelMatcher] = []
        for item in try r.sequence(node, what) {
            let line = try r.string(item, what)
            do {
                out += try MatcherParser.parse(line)
            } catch {
                throw r.error(item, "\(what): \(error.description)")
            }
        }
        return out
    }
}
