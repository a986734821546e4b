import VigilCore

/// Writes every notification to the log: one info line per alert with `receiver`, `status`, `alert.name`
/// and `alert.fingerprint`.
public struct LogIntegration: NotifyIntegration {
    /// Always `log`.
    public let name = "log"
    /// The log also records resolutions.
    public let sendResolved = true
    /// The log does not count as a delivery in metrics.
    public let countsInMetrics = false
    private let logger: Logger

    /// Logs through `logger`.
    public init(logger: Logger) { self.logger = logger }

    /// Logs each alert of `notification`.
    public func send(_ notification: GroupNotification, timeout: Int64) async throws(NotifyError) {
        for alert in notification.alerts {
            logger.info("notification", [
                "receiver": notification.receiver,
                "group.key": notification.groupKey,
                "status": alert.status(at: notification.now).rawValue,
                "alert.name": alert.name,
                "alert.fingerprint": alert.fingerprintHex,
                "alert.labels": alert.labels.description,
            ])
        }
    }
}
