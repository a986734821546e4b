import VigilCore

/// Alerts of one route with the same group labels, notified together (Alertmanager's `aggrGroup`).
///
/// A state machine: events (`insert`, `tick`, `delivered`) change its state and return what the dispatcher
/// must do (schedule, flush, remove); it never runs timers or tasks itself. The dispatcher guards it with its lock.
final class AggregationGroup {
    /// What the dispatcher does after an alert was inserted.
    enum InsertAction: Equatable {
        case none
        /// A new group: first flush after `group_wait`.
        case scheduleFirstFlush(at: Int64)
        /// The alert started more than `group_wait` ago and nothing was sent yet: flush at once.
        case flushNow
    }

    /// What the dispatcher does when the group's timer fires.
    enum TickAction: Equatable {
        case flush
        /// The previous flush is still delivering; flush when it finishes.
        case waitForDelivery
        /// The group is empty: drop it.
        case remove
    }

    /// The alerts one flush works on.
    struct FlushPlan {
        /// The stored alerts when the flush began, to tell whether they changed during delivery.
        var original: [UInt64: NotifyAlert]
        /// The alerts to send, sorted, with firing ones' ends cleared.
        var alerts: [NotifyAlert]
        /// Fingerprints of the alerts resolved at the flush time.
        var resolved: Set<UInt64>
        /// The flush time.
        var now: Int64
    }

    let route: NotifyRoute
    let labels: Labels
    /// `<route key>:<group labels>`.
    let key: String
    /// Alerts by fingerprint.
    private(set) var alerts: [UInt64: NotifyAlert] = [:]
    /// Whether the first flush (after `group_wait`) happened.
    private(set) var hasFlushed = false
    /// A flush is delivering; the next tick waits for it, as Alertmanager's group loop does.
    private(set) var delivering = false
    private var tickWaiting = false
    private var isNew = true

    init(route: NotifyRoute, labels: Labels) {
        self.route = route
        self.labels = labels
        self.key = route.key + ":" + labels.goLabelSet
    }

    var isEmpty: Bool { alerts.isEmpty }

    /// Adds or replaces an alert at `now`.
    func insert(_ alert: NotifyAlert, now: Int64) -> InsertAction {
        alerts[alert.fingerprint] = alert
        if isNew {
            isNew = false
            if alert.startsAt + route.options.groupWait >= now {
                return .scheduleFirstFlush(at: now + route.options.groupWait)
            }
            return .flushNow
        }
        if !hasFlushed && alert.startsAt + route.options.groupWait < now { return .flushNow }
        return .none
    }

    /// The timer fired; the dispatcher schedules the next tick after `group_interval` in any case.
    func tick() -> TickAction {
        hasFlushed = true
        if delivering {
            tickWaiting = true
            return .waitForDelivery
        }
        return alerts.isEmpty ? .remove : .flush
    }

    /// Starts a flush at `now`; nil when there is nothing to flush.
    func beginFlush(at now: Int64) -> FlushPlan? {
        guard !alerts.isEmpty else { return nil }
        let sent = snapshot(at: now)
        let resolved = Set(sent.filter { $0.isResolved(at: now) }.map(\.fingerprint))
        return FlushPlan(original: alerts, alerts: sent, resolved: resolved, now: now)
    }

    /// Deliveries of a flush are running.
    func deliveryStarted() { delivering = true }

    /// A flush ended. On success its resolved alerts leave the group unless they changed meanwhile; an emptied
    /// group lives until its next tick, so an alert that fires again meanwhile joins it and is notified after
    /// `group_interval` (Alertmanager drops empty groups in a 30s maintenance loop instead).
    /// Returns true when a tick came during delivery and a flush is due now.
    func flushFinished(_ plan: FlushPlan, succeeded: Bool) -> Bool {
        delivering = false
        if succeeded {
            for fp in plan.resolved where alerts[fp] == plan.original[fp] {
                alerts[fp] = nil
            }
        }
        defer { tickWaiting = false }
        return tickWaiting
    }

    /// The alerts as one flush at `now` sends them: firing ones lose their end time, sorted as Alertmanager
    /// sorts (by `job`, then `instance`, then the label sets).
    func snapshot(at now: Int64) -> [NotifyAlert] {
        var out: [NotifyAlert] = alerts.values.map { alert in
            var a = alert
            if !a.isResolved(at: now) { a.endsAt = nil }
            return a
        }
        out.sort(by: AggregationGroup.alertOrder)
        return out
    }

    static func alertOrder(_ a: NotifyAlert, _ b: NotifyAlert) -> Bool {
        for name in ["job", "instance"] {
            let x = a.labels.get(name)
            let y = b.labels.get(name)
            if x == nil && y == nil { continue }
            guard let x else { return false }
            guard let y else { return true }
            if x != y { return x < y }
        }
        return a.labels < b.labels
    }
}
