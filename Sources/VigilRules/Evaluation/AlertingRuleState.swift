import VigilCore
import VigilQuery

/// One tracked alert of a rule: its state machine plus what was rendered and sent.
struct TrackedAlert: Sendable {
    var machine: AlertStateMachine
    var labels: Labels
    var annotations: Labels
    var value: Double
    var resolvedAt: Int64?
    var lastSentAt: Int64?
    var validUntil: Int64?

    func snapshot(generatorURL: String) -> RuleAlert {
        var a = RuleAlert(labels: labels, annotations: annotations, state: .inactive, value: value,
                          activeAt: machine.activeAt, resolvedAt: resolvedAt, lastSentAt: lastSentAt,
                          validUntil: validUntil, generatorURL: generatorURL)
        switch machine.state {
        case .pending: a.state = .pending
        case .firing(_, let firedAt, let since):
            a.state = .firing
            a.firedAt = firedAt
            a.keepFiringSince = since
        case .resolved(_, let firedAt, _):
            a.firedAt = firedAt
        }
        return a
    }
}

/// The alerts of one alerting rule between evaluations, and the evaluation step itself.
struct AlertingRuleState: Sendable {
    var alerts: [Labels: TrackedAlert] = [:]

    /// Evaluates `rule` at `t`: updates every alert and returns the `ALERTS`/`ALERTS_FOR_STATE` samples.
    mutating func evaluate(_ rule: AlertingRule, at t: Int64, queryTime: Int64, limit: Int,
                           context: RuleEvaluationContext) throws -> [LabeledSample] {
        let vector = try context.vector(rule.expr, at: queryTime)
        let functions = context.templateFunctions(at: queryTime)
        var current: [Labels: (annotations: Labels, value: Double)] = [:]
        for sample in vector {
            let rendered = render(rule, sample, functions: functions, context: context)
            guard current[rendered.labels] == nil else {
                throw RuleEvaluationError.duplicateLabelSet("alert")
            }
            current[rendered.labels] = (rendered.annotations, sample.v)
        }

        for (labels, result) in current {
            if var tracked = alerts[labels], tracked.machine.isActive {
                tracked.value = result.value
                tracked.annotations = result.annotations
                alerts[labels] = tracked
            } else {
                alerts[labels] = TrackedAlert(machine: AlertStateMachine(activeAt: t), labels: labels,
                                              annotations: result.annotations, value: result.value)
            }
        }

        var out: [LabeledSample] = []
        var activeCount = 0
        for labels in alerts.keys.sorted() {
            guard var tracked = alerts[labels] else { continue }
            if current[labels] == nil {
                let action = tracked.machine.absent(at: t, keepFiringFor: rule.keepFiringFor,
                                                    retention: context.resolvedRetention)
                switch action {
                case .remove:
                    alerts[labels] = nil
                    continue
                case .resolve:
                    tracked.resolvedAt = t
                    alerts[labels] = tracked
                    continue
                case .keepFiring:
                    alerts[labels] = tracked
                default:
                    alerts[labels] = tracked
                    continue
                }
            } else {
                _ = tracked.machine.present(at: t, holdDuration: rule.holdDuration)
                alerts[labels] = tracked
            }
            activeCount += 1
            // Prometheus writes the series at the query time (evaluation time minus `query_offset`).
            out.append(contentsOf: Self.series(tracked, at: queryTime))
        }

        if limit > 0 && activeCount > limit {
            alerts = [:]
            throw RuleEvaluationError.limitExceeded(limit: limit, count: activeCount, what: "alerts")
        }
        return out
    }

    /// `ALERTS{alertstate}` = 1 and `ALERTS_FOR_STATE` = activeAt seconds for an active alert.
    static func series(_ tracked: TrackedAlert, at t: Int64) -> [LabeledSample] {
        let state = if case .pending = tracked.machine.state { "pending" } else { "firing" }
        var alertsLabels = tracked.labels
        alertsLabels.set(LabelName.metricName, "ALERTS")
        alertsLabels.set("alertstate", state)
        var forState = tracked.labels
        forState.set(LabelName.metricName, "ALERTS_FOR_STATE")
        return [
            LabeledSample(alertsLabels, t: t, v: 1),
            LabeledSample(forState, t: t, v: Double(tracked.machine.activeAt / 1000)),
        ]
    }

    /// The alert's labels and annotations for one output sample, templates expanded with `$labels`/`$value`.
    private func render(_ rule: AlertingRule, _ sample: VectorElement, functions: TemplateFunctions,
                        context: RuleEvaluationContext) -> (labels: Labels, annotations: Labels) {
        let data = TemplateValue.alertData(labels: sample.labels, externalLabels: context.externalLabels,
                                           externalURL: context.externalURL, value: sample.v)
        func expand(_ f: TemplatedField) -> String {
            do {
                return try f.template.render(data: data, functions: functions)
            } catch {
                return "<error expanding template: \(error)>"
            }
        }
        var labels = sample.labels.droppingMetricName()
        for f in rule.labels { labels.set(f.name, expand(f)) }
        labels.set(LabelName.alertName, rule.name)
        var annotations: [Label] = []
        for f in rule.annotations { annotations.append(Label(f.name, expand(f))) }
        return (labels, Labels(annotations))
    }

    /// Alerts due for (re-)sending at `t`; marks them sent. Pending alerts are never sent.
    mutating func alertsToSend(at t: Int64, interval: Int64, context: RuleEvaluationContext,
                               generatorURL: String) -> [RuleAlert] {
        var out: [RuleAlert] = []
        for labels in alerts.keys.sorted() {
            guard var tracked = alerts[labels] else { continue }
            if case .pending = tracked.machine.state { continue }
            let resolvedSinceSend = tracked.resolvedAt.map { r in tracked.lastSentAt.map { r > $0 } ?? true } ?? false
            let due = tracked.lastSentAt.map { $0 + context.resendDelay < t } ?? true
            guard resolvedSinceSend || due else { continue }
            tracked.lastSentAt = t
            tracked.validUntil = t + 4 * max(interval, context.resendDelay)
            alerts[labels] = tracked
            // What Prometheus's notifier sends: external labels added where the alert lacks them.
            var sent = tracked.snapshot(generatorURL: generatorURL)
            for l in context.externalLabels.pairs where sent.labels.get(l.name) == nil {
                sent.labels.set(l.name, l.value)
            }
            out.append(sent)
        }
        return out
    }
}
