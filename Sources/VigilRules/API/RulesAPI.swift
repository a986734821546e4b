import VigilCore

/// The filters of `/api/v1/rules`.
public struct RulesFilter: Sendable {
    /// The rule kinds `type=` selects.
    public enum RuleType: String, Sendable {
        case alert, record
    }

    /// `type=alert|record`
    public var type: RuleType?
    /// `rule_name[]`
    public var ruleNames: Set<String>
    /// `rule_group[]`
    public var groupNames: Set<String>
    /// `file[]`
    public var files: Set<String>
    /// `exclude_alerts=true`
    public var excludeAlerts: Bool

    public init(type: RuleType? = nil, ruleNames: Set<String> = [], groupNames: Set<String> = [],
                files: Set<String> = [], excludeAlerts: Bool = false) {
        self.type = type
        self.ruleNames = ruleNames
        self.groupNames = groupNames
        self.files = files
        self.excludeAlerts = excludeAlerts
    }
}

/// JSON for Prometheus's `/api/v1/rules` and `/api/v1/alerts` `data` objects.
public enum RulesJSON {
    /// A float as Go's `encoding/json` writes a float64.
    public static func number(_ v: Double) -> String {
        if v == 0 || v.isNaN || v.isInfinite { return "0" }
        let a = abs(v)
        if a < 1e-6 || a >= 1e21 {
            var s = GoFloat.formatExponent(v)
            // Go's encoder shortens e-07 to e-7.
            if let r = s.range(of: "e-0") { s.replaceSubrange(r, with: "e-") }
            if let r = s.range(of: "e+0") { s.replaceSubrange(r, with: "e+") }
            return s
        }
        return GoFloat.format(v)
    }

    /// A time as Go's `time.Time` marshals (RFC 3339); the zero time for never.
    public static func time(_ ms: Int64?) -> String {
        guard let ms else { return "\"0001-01-01T00:00:00Z\"" }
        return JSON.quote(Timestamp.rfc3339(ms))
    }

    /// One alert object of `/api/v1/alerts` and of a rule's `alerts`.
    public static func alert(_ a: RuleAlert) -> String {
        var s = "{\"labels\":" + JSON.object(a.labels) + ",\"annotations\":" + JSON.object(a.annotations)
        s += ",\"state\":" + JSON.quote(a.state.rawValue)
        s += ",\"activeAt\":" + time(a.activeAt)
        if let k = a.keepFiringSince { s += ",\"keepFiringSince\":" + time(k) }
        s += ",\"value\":" + JSON.quote(GoFloat.formatExponent(a.value)) + "}"
        return s
    }
}

extension RuleManager {
    /// The `data` object of `/api/v1/alerts`: `{"alerts":[…]}`.
    public func alertsJSON() -> String {
        "{\"alerts\":[" + activeAlerts().map(RulesJSON.alert).joined(separator: ",") + "]}"
    }

    /// The `data` object of `/api/v1/rules`: `{"groups":[…]}`; groups left without rules by the filter are omitted.
    public func rulesJSON(filter: RulesFilter = RulesFilter()) -> String {
        var groups: [String] = []
        for rt in sortedRuntimes {
            let g = rt.group
            if !filter.groupNames.isEmpty && !filter.groupNames.contains(g.name) { continue }
            if !filter.files.isEmpty && !filter.files.contains(g.file) { continue }
            let rendered = rt.lock.withLock { () -> String? in
                var rules: [String] = []
                for (i, rule) in g.rules.enumerated() {
                    if !filter.ruleNames.isEmpty && !filter.ruleNames.contains(rule.name) { continue }
                    switch rule {
                    case .alerting(let a):
                        if filter.type == .record { continue }
                        rules.append(alertingRule(a, rt.rules[i], excludeAlerts: filter.excludeAlerts))
                    case .recording(let r):
                        if filter.type == .alert { continue }
                        rules.append(recordingRule(r, rt.rules[i]))
                    }
                }
                guard !rules.isEmpty else { return nil }
                var s = "{\"name\":" + JSON.quote(g.name) + ",\"file\":" + JSON.quote(g.file)
                s += ",\"rules\":[" + rules.joined(separator: ",") + "]"
                s += ",\"interval\":" + RulesJSON.number(Double(rt.interval) / 1000)
                s += ",\"limit\":" + String(g.limit)
                s += ",\"evaluationTime\":" + RulesJSON.number(rt.evaluationTime)
                s += ",\"lastEvaluation\":" + RulesJSON.time(rt.lastEvaluation) + "}"
                return s
            }
            if let rendered { groups.append(rendered) }
        }
        return "{\"groups\":[" + groups.joined(separator: ",") + "]}"
    }

    private func alertingRule(_ a: AlertingRule, _ st: RuleRuntimeState, excludeAlerts: Bool) -> String {
        let alerts = st.alerting.activeSnapshots()
        let state = alerts.map(\.state).max() ?? .inactive
        var s = "{\"state\":" + JSON.quote(state.rawValue) + ",\"name\":" + JSON.quote(a.name)
        s += ",\"query\":" + JSON.quote(a.query)
        s += ",\"duration\":" + RulesJSON.number(Double(a.holdDuration) / 1000)
        s += ",\"keepFiringFor\":" + RulesJSON.number(Double(a.keepFiringFor) / 1000)
        s += ",\"labels\":" + JSON.object(a.rawLabels) + ",\"annotations\":" + JSON.object(a.rawAnnotations)
        if !excludeAlerts { s += ",\"alerts\":[" + alerts.map(RulesJSON.alert).joined(separator: ",") + "]" }
        s += common(st) + ",\"type\":\"alerting\"}"
        return s
    }

    private func recordingRule(_ r: RecordingRule, _ st: RuleRuntimeState) -> String {
        var s = "{\"name\":" + JSON.quote(r.name) + ",\"query\":" + JSON.quote(r.query)
        if !r.labels.isEmpty { s += ",\"labels\":" + JSON.object(r.labels) }
        s += common(st) + ",\"type\":\"recording\"}"
        return s
    }

    private func common(_ st: RuleRuntimeState) -> String {
        var s = ",\"health\":" + JSON.quote(st.health.rawValue)
        if let e = st.lastError { s += ",\"lastError\":" + JSON.quote(e) }
        s += ",\"evaluationTime\":" + RulesJSON.number(st.evaluationTime)
        s += ",\"lastEvaluation\":" + RulesJSON.time(st.lastEvaluation)
        return s
    }
}
