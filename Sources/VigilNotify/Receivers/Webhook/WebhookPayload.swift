import VigilCore

/// Alertmanager's webhook message, version 4, in Alertmanager's field order.
public enum WebhookPayload {
    /// Go's zero time, sent as `endsAt` of firing alerts.
    public static let zeroTime = "0001-01-01T00:00:00Z"

    /// The JSON body for `notification`, keeping the first `maxAlerts` alerts (0: all) and counting the rest in
    /// `truncatedAlerts`.
    public static func encode(_ notification: GroupNotification, maxAlerts: Int) -> [UInt8] {
        var alerts = notification.alerts
        var truncated = 0
        if maxAlerts > 0 && alerts.count > maxAlerts {
            truncated = alerts.count - maxAlerts
            alerts = Array(alerts.prefix(maxAlerts))
        }
        let now = notification.now
        let status = alerts.contains { !$0.isResolved(at: now) } ? "firing" : "resolved"

        var out = "{"
        out += "\"receiver\":\(JSON.quote(notification.receiver)),"
        out += "\"status\":\"\(status)\","
        out += "\"alerts\":["
        out += alerts.map { alert(of: $0, now: now) }.joined(separator: ",")
        out += "],"
        out += "\"groupLabels\":\(object(notification.groupLabels)),"
        out += "\"commonLabels\":\(object(common(alerts.map(\.labels)))),"
        out += "\"commonAnnotations\":\(object(common(alerts.map(\.annotations)))),"
        out += "\"externalURL\":\(JSON.quote(notification.externalURL)),"
        out += "\"version\":\"4\","
        out += "\"groupKey\":\(JSON.quote(notification.groupKey)),"
        out += "\"truncatedAlerts\":\(truncated)"
        out += "}"
        return Array(out.utf8)
    }

    private static func alert(of a: NotifyAlert, now: Int64) -> String {
        let resolved = a.isResolved(at: now)
        var out = "{"
        out += "\"status\":\"\(resolved ? "resolved" : "firing")\","
        out += "\"labels\":\(object(a.labels)),"
        out += "\"annotations\":\(object(a.annotations)),"
        out += "\"startsAt\":\"\(Timestamp.rfc3339(a.startsAt))\","
        out += "\"endsAt\":\"\(resolved ? Timestamp.rfc3339(a.endsAt!) : zeroTime)\","
        out += "\"generatorURL\":\(JSON.quote(a.generatorURL)),"
        out += "\"fingerprint\":\"\(a.fingerprintHex)\""
        return out + "}"
    }

    private static func object(_ labels: Labels) -> String {
        "{" + labels.pairs.map { "\(JSON.quote($0.name)):\(JSON.quote($0.value))" }.joined(separator: ",") + "}"
    }

    /// The pairs that every set has with the same value.
    static func common(_ sets: [Labels]) -> Labels {
        guard var result = sets.first else { return Labels() }
        for s in sets.dropFirst() {
            result = Labels(sortedUnchecked: result.pairs.filter { s.get($0.name) == $0.value })
        }
        return result
    }
}
