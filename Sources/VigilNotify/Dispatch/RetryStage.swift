import VigilCore

/// Backoff and timeouts of the retry stage.
public struct RetryPolicy: Sendable {
    /// The first wait after a failed attempt, in milliseconds.
    public var initialBackoff: Int64
    /// The longest wait between attempts, in milliseconds.
    public var maxBackoff: Int64
    /// The timeout of one attempt when the integration sets none, in milliseconds.
    public var requestTimeout: Int64

    /// 1s doubling up to 1m between attempts; 10s per attempt.
    public static let standard = RetryPolicy(initialBackoff: 1_000, maxBackoff: 60_000, requestTimeout: 10_000)

    /// Builds a policy.
    public init(initialBackoff: Int64, maxBackoff: Int64, requestTimeout: Int64) {
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.requestTimeout = requestTimeout
    }
}

/// Sends one notification to one integration, retrying with exponential backoff until `deadline` (the group's
/// next flush); errors that a retry cannot fix (4xx other than 429) stop at once.
public struct RetryStage: Sendable {
    let clock: any NotifyClock
    let logger: Logger
    let metrics: MetricsRegistry?
    let policy: RetryPolicy

    /// Builds the stage.
    public init(clock: any NotifyClock, logger: Logger, metrics: MetricsRegistry?, policy: RetryPolicy = .standard) {
        self.clock = clock
        self.logger = logger
        self.metrics = metrics
        self.policy = policy
    }

    /// Delivers `notification`; true on success, false once it gave up.
    public func run(_ integration: any NotifyIntegration, _ notification: GroupNotification,
                    deadline: Int64) async -> Bool {
        var n = notification
        if !integration.sendResolved {
            n.alerts = n.alerts.filter { !$0.isResolved(at: n.now) }
            if n.alerts.isEmpty { return true }
        }
        let log = logger.with("receiver", n.receiver).with("integration", integration.name)
            .with("group.key", n.groupKey)
        let labels: Labels = ["receiver": n.receiver]
        let started = Timestamp.monotonicSeconds()
        var backoff = policy.initialBackoff
        var attempt = 0
        while true {
            attempt += 1
            let remaining = deadline - clock.now()
            var failure: NotifyError
            if remaining <= 0 {
                failure = .timeout(url: integration.name, seconds: 0)
            } else {
                do {
                    try await integration.send(n, timeout: min(policy.requestTimeout, remaining))
                    if integration.countsInMetrics {
                        metrics?.add("vigil_notifications_total", labels, help: "Notifications sent, by receiver.")
                        metrics?.add("vigil_notification_latency_seconds_sum", labels,
                                     Timestamp.monotonicSeconds() - started,
                                     help: "Total seconds spent delivering notifications, retries included.")
                        metrics?.add("vigil_notification_latency_seconds_count", labels,
                                     help: "Notifications whose latency is in the sum.")
                    }
                    if attempt > 1 { log.info("notify succeeded after retries", ["attempts": "\(attempt)"]) }
                    return true
                } catch {
                    failure = error
                }
            }
            let next = clock.now() + backoff
            let canRetry = failure.retryable && next < deadline && !Task.isCancelled
            log.warning("notify attempt failed", [
                "attempt": "\(attempt)", "err": failure.description, "retry": failure.retryable ? "true" : "false",
            ])
            if !canRetry {
                giveUp(log, labels, integration, attempt, failure)
                return false
            }
            do {
                try await clock.sleep(until: next)
            } catch {
                giveUp(log, labels, integration, attempt, failure)
                return false
            }
            backoff = min(backoff * 2, policy.maxBackoff)
        }
    }

    private func giveUp(_ log: Logger, _ labels: Labels, _ integration: any NotifyIntegration, _ attempts: Int,
                        _ failure: NotifyError) {
        if integration.countsInMetrics {
            metrics?.add("vigil_notifications_total", labels, help: "Notifications sent, by receiver.")
            metrics?.add("vigil_notifications_failed_total", labels, help: "Notifications that failed, by receiver.")
        }
        log.error("notify failed", [
            "attempts": "\(attempts)", "err": failure.description,
            "retry": failure.retryable ? "true" : "false",
        ])
    }
}
