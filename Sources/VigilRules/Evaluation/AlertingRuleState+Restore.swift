import VigilCore
import VigilStorage

extension AlertingRuleState {
    /// Prometheus's `RestoreForState`: after a restart, pending alerts take their `activeAt` from the
    /// `ALERTS_FOR_STATE` series the previous run wrote, so a long `for` does not start over.
    ///
    /// Rules whose `for` is shorter than `gracePeriod` are not restored (they would otherwise wait the grace
    /// period). The alert stays pending and fires at the next evaluation that finds its `for` satisfied.
    mutating func restoreForState(_ rule: AlertingRule, at t: Int64, source: any AlertStateSource,
                                  outageTolerance: Int64,
                                  gracePeriod: Int64) {
        guard rule.holdDuration >= gracePeriod else { return }
        for labels in alerts.keys.sorted() {
            guard var tracked = alerts[labels], case .pending = tracked.machine.state else { continue }
            var seriesLabels = labels
            seriesLabels.set(LabelName.metricName, "ALERTS_FOR_STATE")
            guard let last = source.lastForState(seriesLabels, mint: t - outageTolerance, maxt: t),
                !StaleMarker.isStale(last.v)
            else { continue }

            let downAt = last.t / 1000 * 1000
            var activeAt = Int64(last.v) * 1000
            let remaining = rule.holdDuration - (downAt - activeAt)
            if remaining > 0 {
                // Keep the pending time already served, but never fire sooner than the grace period.
                activeAt = remaining < gracePeriod ? t + gracePeriod - rule.holdDuration : activeAt + (t - downAt)
            }
            tracked.machine = AlertStateMachine(state: .pending(activeAt: activeAt))
            alerts[labels] = tracked
        }
    }

    /// `ALERTS`/`ALERTS_FOR_STATE` samples at `t` for every pending or firing alert.
    func activeSeries(at t: Int64) -> [LabeledSample] {
        alerts.keys.sorted().flatMap { key -> [LabeledSample] in
            guard let tracked = alerts[key], tracked.machine.isActive else { return [] }
            return Self.series(tracked, at: t)
        }
    }
}
