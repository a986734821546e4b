import Foundation
import VigilCore
import VigilQuery
import VigilStorage

/// A rule's health as the API reports it.
public enum RuleHealth: String, Sendable {
    case unknown, ok, err
}

/// Evaluation state of one rule between evaluations.
struct RuleRuntimeState: Sendable {
    var health = RuleHealth.unknown
    var lastError: String?
    var lastEvaluation: Int64?
    var evaluationTime: Double = 0
    var alerting = AlertingRuleState()
    var previousSeries: Set<Labels> = []
}

/// Where and how far back alert state is restored after a start.
struct RestoreSettings: Sendable {
    var source: any AlertStateSource
    var outageTolerance: Int64
    var gracePeriod: Int64
}

/// One group's rules, their state and its schedule; evaluation holds the group's lock.
final class GroupRuntime: @unchecked Sendable {
    let group: RuleGroup
    let interval: Int64
    let queryOffset: Int64
    let lock = NSLock()
    var rules: [RuleRuntimeState]
    var lastEvaluation: Int64?
    var evaluationTime: Double = 0
    private let tickerLock = NSLock()
    private var runningTicker: GroupTicker?
    /// The group's evaluation loop, if started.
    var ticker: GroupTicker? {
        get { tickerLock.withLock { runningTicker } }
        set { tickerLock.withLock { runningTicker = newValue } }
    }
    /// Series of rules dropped by a reload, to mark stale at the next evaluation.
    var pendingStale: Set<Labels> = []
    /// True until the first evaluation after a start has restored alert state from `ALERTS_FOR_STATE`.
    var needsRestore = false

    init(group: RuleGroup, defaultInterval: Int64, defaultQueryOffset: Int64) {
        self.group = group
        interval = max(group.interval ?? defaultInterval, 1)
        queryOffset = group.queryOffset ?? defaultQueryOffset
        rules = Array(repeating: RuleRuntimeState(), count: group.rules.count)
    }

    /// Groups spread over their interval by a hash of their name and file, as Prometheus does.
    var offset: Int64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in (group.name + "\u{ff}" + group.file).utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int64(h % UInt64(interval))
    }

    /// The slot at or before `now` at which this group evaluates.
    func evalTimestamp(_ now: Int64) -> Int64 {
        let adjusted = now - offset
        var base = adjusted - adjusted % interval
        if adjusted % interval < 0 { base -= interval }
        return base + offset
    }

    /// The identity of a rule across reloads: its kind, name and labels as written.
    static func ruleKey(_ rule: Rule) -> String {
        let kind = if case .alerting = rule { "alert" } else { "record" }
        return kind + "\u{0}" + rule.name + "\u{0}" + rule.rawLabels.description
    }

    /// Takes over the alert state of rules that still exist in `old` (same group, same rule name and labels).
    func adoptState(from old: GroupRuntime) {
        old.lock.lock()
        var byKey: [String: [RuleRuntimeState]] = [:]
        for (i, r) in old.group.rules.enumerated() { byKey[Self.ruleKey(r), default: []].append(old.rules[i]) }
        let oldPending = old.pendingStale
        old.lock.unlock()
        lock.withLock {
            for (i, r) in group.rules.enumerated() {
                let key = Self.ruleKey(r)
                if var list = byKey[key], !list.isEmpty {
                    rules[i] = list.removeFirst()
                    byKey[key] = list
                }
            }
            pendingStale = oldPending
            for list in byKey.values { for state in list { pendingStale.formUnion(state.previousSeries) } }
        }
    }

    /// Evaluates every rule at `t`; returns the samples to append and the alerts to send.
    func evaluate(at t: Int64, context: RuleEvaluationContext, restore: RestoreSettings? = nil)
        -> (samples: [LabeledSample], alerts: [RuleAlert], failures: Int)
    {
        lock.lock()
        defer { lock.unlock() }
        let groupStart = Timestamp.monotonicSeconds()
        var samples: [LabeledSample] = []
        var alerts: [RuleAlert] = []
        var failures = 0
        let queryTime = t - queryOffset
        for (i, rule) in group.rules.enumerated() {
            let start = Timestamp.monotonicSeconds()
            var state = rules[i]
            do {
                var out: [LabeledSample]
                switch rule {
                case .recording(let r):
                    out = try Self.evaluateRecording(r, at: queryTime, limit: group.limit, context: context)
                case .alerting(let a):
                    out = try state.alerting.evaluate(a, at: t, queryTime: queryTime, limit: group.limit,
                                                      context: context)
                    if needsRestore, let restore {
                        state.alerting.restoreForState(a, at: t, source: restore.source,
                                                       outageTolerance: restore.outageTolerance,
                                                       gracePeriod: restore.gracePeriod)
                        out = state.alerting.activeSeries(at: queryTime)
                    }
                }
                state.health = .ok
                state.lastError = nil
                let current = Set(out.map(\.labels))
                samples += out
                for gone in state.previousSeries.subtracting(current).sorted() {
                    samples.append(LabeledSample(gone, t: queryTime, v: StaleMarker.value))
                }
                state.previousSeries = current
            } catch {
                state.health = .err
                state.lastError = "\(error)"
                failures += 1
            }
            // As in Prometheus, a rule whose evaluation failed sends nothing: its alerts lapse at their endsAt.
            if case .alerting(let a) = rule, state.health == .ok {
                let url = context.externalURL + "/graph?g0.expr="
                    + PrometheusTemplateFunctions.queryEscape(a.query) + "&g0.tab=1"
                alerts += state.alerting.alertsToSend(at: t, interval: interval, context: context, generatorURL: url)
            }
            state.lastEvaluation = t
            state.evaluationTime = Timestamp.monotonicSeconds() - start
            rules[i] = state
        }
        needsRestore = false
        let written = Set(samples.map(\.labels))
        for gone in pendingStale.subtracting(written).sorted() {
            samples.append(LabeledSample(gone, t: queryTime, v: StaleMarker.value))
        }
        pendingStale = []
        lastEvaluation = t
        evaluationTime = Timestamp.monotonicSeconds() - groupStart
        return (samples, alerts, failures)
    }

    /// Stale markers at `t` for every series the group wrote last (the group is being removed).
    func staleMarkers(at t: Int64) -> [LabeledSample] {
        lock.withLock {
            var all = pendingStale
            for r in rules { all.formUnion(r.previousSeries) }
            return all.sorted().map { LabeledSample($0, t: t, v: StaleMarker.value) }
        }
    }

    static func evaluateRecording(_ rule: RecordingRule, at t: Int64, limit: Int,
                                  context: RuleEvaluationContext) throws -> [LabeledSample] {
        let vector = try context.vector(rule.expr, at: t)
        var out: [LabeledSample] = []
        var seen: Set<Labels> = []
        for s in vector {
            var l = s.labels
            l.set(LabelName.metricName, rule.name)
            for p in rule.labels.pairs { l.set(p.name, p.value) }
            guard seen.insert(l).inserted else { throw RuleEvaluationError.duplicateLabelSet("rule") }
            out.append(LabeledSample(l, t: t, v: s.v))
        }
        if limit > 0 && out.count > limit {
            throw RuleEvaluationError.limitExceeded(limit: limit, count: out.count, what: "series")
        }
        return out
    }
}
