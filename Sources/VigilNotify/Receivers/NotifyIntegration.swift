import VigilCore

/// What one integration is asked to deliver for one aggregation group at one flush.
public struct GroupNotification: Sendable {
    /// The receiver's name.
    public var receiver: String
    /// Alertmanager's group key: `<route key>:<group labels>`.
    public var groupKey: String
    /// The labels the group is keyed by.
    public var groupLabels: Labels
    /// The group's alerts, sorted; `endsAt` is nil for alerts still firing at `now`.
    public var alerts: [NotifyAlert]
    /// The flush time that statuses are judged at.
    public var now: Int64
    /// The URL of this Vigil (the payload's `externalURL`).
    public var externalURL: String

    /// Builds a notification.
    public init(receiver: String, groupKey: String, groupLabels: Labels, alerts: [NotifyAlert], now: Int64,
                externalURL: String) {
        self.receiver = receiver
        self.groupKey = groupKey
        self.groupLabels = groupLabels
        self.alerts = alerts
        self.now = now
        self.externalURL = externalURL
    }

    /// `firing` when any alert fires at `now`, else `resolved`.
    public var status: NotifyAlert.Status {
        alerts.contains { !$0.isResolved(at: now) } ? .firing : .resolved
    }
}

/// One way of delivering notifications (a webhook URL, the log, …); the retry stage wraps each attempt.
public protocol NotifyIntegration: Sendable {
    /// The integration's kind and index in its receiver, e.g. `webhook[0]`.
    var name: String { get }
    /// Whether resolved alerts are sent (Alertmanager's `send_resolved`).
    var sendResolved: Bool { get }
    /// True for integrations that count in `vigil_notifications_total` (all but the log).
    var countsInMetrics: Bool { get }
    /// One delivery attempt that gives up after `timeout` milliseconds.
    func send(_ notification: GroupNotification, timeout: Int64) async throws(NotifyError)
}
