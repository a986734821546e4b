import VigilCore

/// Stands in for a receiver kind Vigil does not implement yet (`slack_configs`, …): each notification it would
/// get is logged as a warning and counted as handled, so the group's state still advances.
public struct UnsupportedIntegration: NotifyIntegration {
    /// `<kind>[unsupported]`.
    public let name: String
    /// Resolutions are reported too.
    public let sendResolved = true
    /// Not a delivery.
    public let countsInMetrics = false
    private let kind: String
    private let logger: Logger

    /// Reports notifications for `kind` (a `<kind>_configs` key).
    public init(kind: String, logger: Logger) {
        self.kind = kind
        self.name = "\(kind)[unsupported]"
        self.logger = logger
    }

    /// Logs that the notification was not sent.
    public func send(_ notification: GroupNotification, timeout: Int64) async throws(NotifyError) {
        logger.warning("notification not sent: receiver kind not supported yet", [
            "receiver": notification.receiver, "integration": kind, "group.key": notification.groupKey,
            "alerts": "\(notification.alerts.count)",
        ])
    }
}
