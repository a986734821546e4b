import VigilCore

/// An alert as the notifier sees it: Alertmanager's alert model, times in milliseconds since the epoch.
public struct NotifyAlert: Sendable, Hashable {
    /// Whether an alert is firing or resolved at some moment.
    public enum Status: String, Sendable, Hashable {
        case firing
        case resolved
    }

    /// Identifying labels; `alertname` names the alert.
    public var labels: Labels
    /// Annotations (summary, description, …).
    public var annotations: Labels
    /// When the alert started firing.
    public var startsAt: Int64
    /// When the alert ends or ended; nil while firing without a known end.
    public var endsAt: Int64?
    /// A link back to the source of the alert (the rule's expression in Vigil's UI).
    public var generatorURL: String
    /// When the alert was last updated by its source; set by the dispatcher on receipt.
    public var updatedAt: Int64
    /// True when `endsAt` was filled in by the dispatcher from `resolve_timeout`, not given by the source.
    public var endsAtIsTimeout: Bool

    /// Builds an alert.
    public init(labels: Labels, annotations: Labels = Labels(), startsAt: Int64, endsAt: Int64? = nil,
                generatorURL: String = "") {
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
        self.updatedAt = 0
        self.endsAtIsTimeout = false
    }

    /// The label set's fingerprint (`Labels.fingerprint`).
    public var fingerprint: UInt64 { labels.fingerprint }

    /// The fingerprint as 16 lower-case hex digits, as in Alertmanager's webhook payload.
    public var fingerprintHex: String { NotifyAlert.hex16(fingerprint) }

    /// The `alertname` label, or "".
    public var name: String { labels[LabelName.alertName] }

    /// True when the alert has ended at or before `now`.
    public func isResolved(at now: Int64) -> Bool {
        guard let endsAt else { return false }
        return endsAt <= now
    }

    /// Firing or resolved at `now`.
    public func status(at now: Int64) -> Status { isResolved(at: now) ? .resolved : .firing }

    /// Alertmanager's merge of an update `newer` into this stored alert (`types.Alert.Merge`), judged at `now`.
    ///
    /// The earliest start wins; a later explicit end of the older alert wins unless it was a timeout.
    public func merged(with newer: NotifyAlert, at now: Int64) -> NotifyAlert {
        if newer.updatedAt < updatedAt { return newer.merged(with: self, at: now) }
        var result = newer
        if startsAt < newer.startsAt { result.startsAt = startsAt }
        let olderEnd = endsAt ?? 0
        let newerEnd = newer.endsAt ?? 0
        if newer.isResolved(at: now) {
            if isResolved(at: now) && olderEnd > newerEnd {
                result.endsAt = endsAt
                result.endsAtIsTimeout = endsAtIsTimeout
            }
        } else if olderEnd > newerEnd && !endsAtIsTimeout {
            result.endsAt = endsAt
            result.endsAtIsTimeout = false
        }
        return result
    }

    static func hex16(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
