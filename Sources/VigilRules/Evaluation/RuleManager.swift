import Foundation
import VigilCore
import VigilQuery
import VigilStorage

/// Runs rule groups on their schedules: recording rules append series, alerting rules track alerts, write
/// `ALERTS`/`ALERTS_FOR_STATE` and hand alerts due for sending to the sender.
///
/// Given `stateStore` (or else `restoreFrom`), the first evaluation after a start restores pending alerts' `for`
/// progress from the `ALERTS_FOR_STATE` values of the previous run, kept in `state.sqlite` (or read from the store,
/// as Prometheus does; there it happens after the second evaluation).
public final class RuleManager: @unchecked Sendable {
    /// Receives the alerts to send after a group evaluation (firing ones due for re-send, and resolved ones),
    /// with the external labels added as Prometheus's notifier adds them.
    public typealias AlertSender = @Sendable ([RuleAlert]) -> Void

    /// Defaults for groups that do not set their own.
    public struct Options: Sendable {
        /// `global.evaluation_interval`, in milliseconds.
        public var evaluationInterval: Int64
        /// `global.rule_query_offset`, in milliseconds.
        public var queryOffset: Int64
        /// How long the server may have been down for alert state to be restored (`rules.alert.for-outage-tolerance`).
        public var outageTolerance: Int64
        /// The least time a restored alert still waits before firing (`rules.alert.for-grace-period`).
        public var forGracePeriod: Int64

        public init(evaluationInterval: Int64 = 60_000, queryOffset: Int64 = 0, outageTolerance: Int64 = 3_600_000,
                    forGracePeriod: Int64 = 600_000) {
            self.evaluationInterval = evaluationInterval
            self.queryOffset = queryOffset
            self.outageTolerance = outageTolerance
            self.forGracePeriod = forGracePeriod
        }
    }

    private let context: RuleEvaluationContext
    private let appender: any SampleAppender
    private let sender: AlertSender
    private let options: Options
    private let logger: Logger
    private let now: @Sendable () -> Int64
    private let metrics: MetricsRegistry?
    private let restore: RestoreSettings?
    private let stateStore: SQLiteAlertStateStore?
    private var loadedOnce = false
    private let lock = NSLock()
    private var runtimes: [GroupRuntime] = []
    private var running = false

    /// A manager with no groups; call `update(groups:)`, then `start()`.
    public init(context: RuleEvaluationContext, appender: any SampleAppender, sender: @escaping AlertSender,
                options: Options = Options(), logger: Logger,
                now: @escaping @Sendable () -> Int64 = { Timestamp.nowMillis() }, metrics: MetricsRegistry? = nil,
                restoreFrom storage: (any Storage)? = nil, stateStore: SQLiteAlertStateStore? = nil) {
        self.metrics = metrics
        self.stateStore = stateStore
        let source: (any AlertStateSource)? = stateStore ?? storage.map { StorageAlertStateSource(storage: $0) }
        restore = source.map {
            RestoreSettings(source: $0, outageTolerance: options.outageTolerance, gracePeriod: options.forGracePeriod)
        }
        metrics?.register("vigil_rule_evaluations_total", .counter, help: "Rule evaluations, by group.")
        metrics?.register("vigil_rule_evaluation_failures_total", .counter, help: "Rule evaluations that failed.")
        metrics?.register("vigil_rule_group_last_duration_seconds", .gauge,
                          help: "How long the last evaluation of a group took.")
        metrics?.register("vigil_rule_group_iterations_missed_total", .counter,
                          help: "Group evaluations skipped because the previous one ran late.")
        metrics?.register("vigil_rule_alerts_sent_total", .counter, help: "Alerts handed to the notifier.")
        self.context = context
        self.appender = appender
        self.sender = sender
        self.options = options
        self.logger = logger
        self.now = now
    }

    /// Replaces the groups (a reload); alerts of rules that still exist in a group of the same file and name keep
    /// their state.
    public func update(groups: [RuleGroup]) {
        let fresh = groups.map {
            GroupRuntime(group: $0, defaultInterval: options.evaluationInterval,
                         defaultQueryOffset: options.queryOffset)
        }
        let (old, isRunning, first) = lock.withLock { () -> ([GroupRuntime], Bool, Bool) in
            defer { loadedOnce = true }
            return (runtimes, running, !loadedOnce)
        }
        // Only the groups of the first load restore alert state, as Prometheus restores only at start.
        if first && restore != nil { for rt in fresh { rt.needsRestore = true } }
        for rt in fresh {
            if let prev = old.first(where: { $0.group.file == rt.group.file && $0.group.name == rt.group.name }) {
                rt.adoptState(from: prev)
            }
        }
        for rt in old { rt.ticker?.stop() }
        lock.withLock { runtimes = fresh }
        // Series of groups that are gone end now, as Prometheus marks them stale on reload.
        var stale: [LabeledSample] = []
        for rt in old {
            let kept = fresh.contains { $0.group.file == rt.group.file && $0.group.name == rt.group.name }
            if !kept { stale += rt.staleMarkers(at: now()) }
        }
        if !stale.isEmpty { _ = try? appender.append(stale) }
        if isRunning { for rt in fresh { schedule(rt) } }
        logger.info("rule groups loaded", ["rule.groups": String(fresh.count)])
    }

    /// Starts evaluating every group on its own schedule.
    public func start() {
        let list: [GroupRuntime] = lock.withLock {
            guard !running else { return [] }
            running = true
            return runtimes
        }
        for rt in list { schedule(rt) }
    }

    /// Stops all evaluation.
    public func stop() {
        let list: [GroupRuntime] = lock.withLock {
            running = false
            return runtimes
        }
        for rt in list { rt.ticker?.stop() }
    }

    private func schedule(_ rt: GroupRuntime) {
        let now = self.now
        let ticker = GroupTicker()
        rt.ticker = ticker
        let thread = Thread { [weak self] in
            var next = rt.evalTimestamp(now()) + rt.interval
            while ticker.sleep(until: next, now: now) {
                guard let self else { break }
                self.evaluate(rt, at: next)
                next += rt.interval
                let current = now()
                if current >= next + rt.interval {
                    let missed = (current - next) / rt.interval
                    self.logger.warning("rule group evaluation missed iterations",
                                        ["rule.group": rt.group.name, "missed": String(missed)])
                    next += missed * rt.interval
                    self.metrics?.add("vigil_rule_group_iterations_missed_total", self.groupLabel(rt), Double(missed))
                }
            }
        }
        thread.name = "vigil-rules-" + rt.group.name
        thread.stackSize = 64 << 20  // evaluation recurses over the expression tree
        thread.start()
    }

    private func evaluate(_ rt: GroupRuntime, at t: Int64) {
        let (samples, alerts, failures) = rt.evaluate(at: t, context: context, restore: restore)
        if let metrics {
            let labels = groupLabel(rt)
            metrics.add("vigil_rule_evaluations_total", labels, Double(rt.group.rules.count))
            metrics.add("vigil_rule_evaluation_failures_total", labels, Double(failures))
            metrics.set("vigil_rule_group_last_duration_seconds", labels, rt.lock.withLock { rt.evaluationTime })
            metrics.add("vigil_rule_alerts_sent_total", Labels(), Double(alerts.count))
        }
        if !samples.isEmpty {
            do {
                let result = try appender.append(samples)
                if result.rejected > 0 {
                    logger.warning("rule samples rejected", ["rule.group": rt.group.name,
                                                             "samples.rejected": String(result.rejected)])
                }
            } catch {
                logger.error("rule samples append failed", ["rule.group": rt.group.name, "err": "\(error)"])
            }
        }
        if let stateStore, rt.group.rules.contains(where: { if case .alerting = $0 { true } else { false } }) {
            do {
                try stateStore.record(group: rt.group.file + ";" + rt.group.name, samples: samples)
            } catch {
                logger.error("alert state not saved", ["rule.group": rt.group.name, "err": "\(error)"])
            }
        }
        if !alerts.isEmpty { sender(alerts) }
    }

    /// Prometheus's `rule_group` label: `file;name`.
    private func groupLabel(_ rt: GroupRuntime) -> Labels {
        ["rule_group": rt.group.file + ";" + rt.group.name]
    }

    /// Evaluates every group once at `t` (tests, and `vigil test rules`), in group order.
    public func evaluateAll(at t: Int64) {
        let list = lock.withLock { runtimes }
        for rt in list { evaluate(rt, at: t) }
    }

    /// The groups currently loaded, sorted by file then name as Prometheus lists them.
    var sortedRuntimes: [GroupRuntime] {
        lock.withLock { runtimes }.sorted {
            $0.group.file != $1.group.file ? $0.group.file < $1.group.file : $0.group.name < $1.group.name
        }
    }

    /// Every pending and firing alert of every alerting rule.
    public func activeAlerts() -> [RuleAlert] {
        var out: [RuleAlert] = []
        for rt in sortedRuntimes {
            rt.lock.withLock {
                for (i, rule) in rt.group.rules.enumerated() {
                    guard case .alerting = rule else { continue }
                    out += rt.rules[i].alerting.activeSnapshots()
                }
            }
        }
        return out
    }
}

extension AlertingRuleState {
    /// Pending and firing alerts, sorted by labels.
    func activeSnapshots() -> [RuleAlert] {
        alerts.keys.sorted().compactMap { key in
            guard let t = alerts[key], t.machine.isActive else { return nil }
            return t.snapshot(generatorURL: "")
        }
    }
}
