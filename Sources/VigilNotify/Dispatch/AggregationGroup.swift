import VigilCore

/// Alerts of one route with the same group labels, notified together (Alertmanager's `aggrGroup`).
///
/// The dispatcher owns every group and guards it with its lock; a group never runs code on its own.
final class AggregationGroup {
    let route: NotifyRoute
    let labels: Labels
    /// `<route key>:<group labels>`.
    let key: String
    /// Alerts by fingerprint.
    var alerts: [UInt64: NotifyAlert] = [:]
    /// Whether the first flush (after `group_wait`) happened.
    var hasFlushed = false
    var timer: (any NotifyTimer)?
    var nextFlush: Int64 = 0
    /// A flush is delivering; the next tick waits for it, as Alertmanager's group loop does.
    var inFlight = false
    var tickWaiting = false

    init(route: NotifyRoute, labels: Labels) {
        self.route = route
        self.labels = labels
        self.key = route.key + ":" + GoQuote.labelSet(labels)
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
