import VigilCore

/// Grouping and timing settings of a route, after inheritance from its parents.
public struct RouteOptions: Sendable, Hashable {
    /// The receiver that notifications of this route go to.
    public var receiver: String
    /// Labels that alerts are grouped by, sorted; ignored when `groupByAll`.
    public var groupBy: [String]
    /// `group_by: ['...']`: every label groups.
    public var groupByAll: Bool
    /// Wait before the first notification of a new group, in milliseconds.
    public var groupWait: Int64
    /// Wait between notifications of a changed group, in milliseconds.
    public var groupInterval: Int64
    /// Wait before re-sending an unchanged firing group, in milliseconds.
    public var repeatInterval: Int64

    /// Alertmanager's defaults: 30s, 5m, 4h, no grouping.
    public static func defaults(receiver: String) -> RouteOptions {
        RouteOptions(receiver: receiver, groupBy: [], groupByAll: false, groupWait: 30_000,
                     groupInterval: 300_000, repeatInterval: 4 * 3_600_000)
    }

    /// The labels of `alert` that name its group on this route.
    public func groupLabels(of labels: Labels) -> Labels {
        if groupByAll { return labels }
        return labels.keeping(Set(groupBy))
    }
}

/// A node of the routing tree: matchers, options, children, evaluated depth-first as Alertmanager does.
public final class NotifyRoute: Sendable, CustomStringConvertible {
    /// The matchers of this node, sorted as Alertmanager sorts them.
    public let matchers: [LabelMatcher]
    /// `continue`: keep matching siblings after this node matched.
    public let continueMatching: Bool
    /// Effective options of this node.
    public let options: RouteOptions
    /// Child routes, in configuration order.
    public let routes: [NotifyRoute]
    /// Alertmanager's route key: the parent's key, `/`, then this node's matchers (`{}/{env="prod"}`).
    public let key: String
    /// Names of time intervals that mute this route (parsed; not applied yet).
    public let muteTimeIntervals: [String]
    /// Names of time intervals outside which this route is muted (parsed; not applied yet).
    public let activeTimeIntervals: [String]

    /// Builds a node; `parentKey` is nil for the root.
    public init(matchers: [LabelMatcher], continueMatching: Bool, options: RouteOptions, routes: [NotifyRoute],
                parentKey: String?, muteTimeIntervals: [String] = [], activeTimeIntervals: [String] = []) {
        let sorted = NotifyRoute.sortMatchers(matchers)
        self.matchers = sorted
        self.continueMatching = continueMatching
        self.options = options
        self.routes = routes
        let own = "{" + sorted.map(NotifyRoute.matcherString).joined(separator: ",") + "}"
        self.key = parentKey.map { $0 + "/" + own } ?? own
        self.muteTimeIntervals = muteTimeIntervals
        self.activeTimeIntervals = activeTimeIntervals
    }

    /// The routes an alert with `labels` goes to: depth-first, first matching child unless it continues,
    /// this node itself when no child matches; empty when this node does not match.
    public func match(_ labels: Labels) -> [NotifyRoute] {
        guard matchers.matches(labels) else { return [] }
        var all: [NotifyRoute] = []
        for child in routes {
            let found = child.match(labels)
            all.append(contentsOf: found)
            if !found.isEmpty && !child.continueMatching { break }
        }
        if all.isEmpty { all.append(self) }
        return all
    }

    /// The whole subtree in one line (key, options, continue, children), so two trees compare by their text.
    public var description: String {
        let o = options
        let by = o.groupByAll ? "..." : o.groupBy.joined(separator: ",")
        return "route(\(key) receiver=\(o.receiver) group_by=[\(by)] group_wait=\(o.groupWait)ms "
            + "group_interval=\(o.groupInterval)ms repeat_interval=\(o.repeatInterval)ms "
            + "continue=\(continueMatching) mute=\(muteTimeIntervals) active=\(activeTimeIntervals) "
            + "routes=[\(routes.map(\.description).joined(separator: ", "))])"
    }

    /// Every node of the tree, depth-first, this one first.
    public var allRoutes: [NotifyRoute] { [self] + routes.flatMap(\.allRoutes) }

    /// Alertmanager's matcher order: by name, then value, then kind.
    static func sortMatchers(_ ms: [LabelMatcher]) -> [LabelMatcher] {
        func rank(_ k: LabelMatcher.Kind) -> Int {
            switch k {
            case .equal: 0
            case .notEqual: 1
            case .regexMatch: 2
            case .regexNoMatch: 3
            }
        }
        return ms.sorted {
            if $0.name != $1.name { return $0.name < $1.name }
            if $0.value != $1.value { return $0.value < $1.value }
            return rank($0.kind) < rank($1.kind)
        }
    }

    /// Alertmanager's `Matcher.String()`: `name="value"`, the name quoted when it holds reserved characters.
    static func matcherString(_ m: LabelMatcher) -> String {
        let reserved = m.name.unicodeScalars.contains { c in
            c == " " || c == "\t" || c == "\n" || "{}!=~,\\\"'`".unicodeScalars.contains(c)
        }
        let name = reserved ? GoString.quote(m.name) : m.name
        return "\(name)\(m.kind.rawValue)\"\(Labels.escape(m.value))\""
    }
}


extension Labels {
    /// Prometheus's `LabelSet.String()`: `{a="1", b="2"}` with Go-quoted values, as group keys spell them.
    var goLabelSet: String {
        "{" + pairs.map { "\($0.name)=\(GoString.quote($0.value))" }.joined(separator: ", ") + "}"
    }
}
