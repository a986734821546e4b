import Foundation
import VigilCore

/// Routes alerts into aggregation groups and notifies receivers with Alertmanager's timing:
/// `group_wait` before a new group's first notification, `group_interval` between flushes, `repeat_interval`
/// before re-sending an unchanged group.
///
/// Each flush delivers on its own task, so a slow receiver delays only its own group.
public final class Dispatcher: @unchecked Sendable {
    /// Builds the integrations of a receiver.
    public typealias IntegrationFactory = @Sendable (ReceiverConfiguration) -> [any NotifyIntegration]

    private struct GroupID: Hashable {
        let route: ObjectIdentifier
        let labels: Labels
    }

    private let configuration: NotifyConfiguration
    private let clock: any NotifyClock
    private let logger: Logger
    private let log: any NotificationLog
    private let retry: RetryStage
    private let externalURL: String
    private let integrations: [String: [any NotifyIntegration]]
    private let metrics: MetricsRegistry?
    private let muters: [any AlertMuter]

    private let lock = NSLock()
    private var alerts: [UInt64: NotifyAlert] = [:]
    private var groups: [GroupID: AggregationGroup] = [:]
    private var timers: [GroupID: any NotifyTimer] = [:]
    private var nextFlush: [GroupID: Int64] = [:]
    private var inFlight = 0
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []
    private var tasks: [UInt64: Task<Void, Never>] = [:]
    private var nextTaskID: UInt64 = 0
    private var lastSweep: Int64 = 0
    private var stopped = false

    /// Builds a dispatcher; `makeIntegrations` defaults to webhooks over `httpClient` plus the log; `muters`
    /// (silences, inhibition) hide alerts from notifications without removing them from their groups.
    public init(configuration: NotifyConfiguration, clock: any NotifyClock = SystemNotifyClock(), logger: Logger,
                metrics: MetricsRegistry? = nil, notificationLog: any NotificationLog = MemoryNotificationLog(),
                externalURL: String = "", retryPolicy: RetryPolicy = .standard,
                httpClient: any NotifyHTTPClient = URLSessionNotifyHTTPClient(),
                muters: [any AlertMuter] = [], makeIntegrations: IntegrationFactory? = nil) {
        self.configuration = configuration
        self.metrics = metrics
        self.muters = muters
        self.clock = clock
        self.logger = logger
        self.log = notificationLog
        self.externalURL = externalURL
        self.retry = RetryStage(clock: clock, logger: logger, metrics: metrics, policy: retryPolicy)
        let factory = makeIntegrations ?? { receiver in
            Dispatcher.standardIntegrations(receiver, httpClient: httpClient, logger: logger)
        }
        var byName: [String: [any NotifyIntegration]] = [:]
        for r in configuration.receivers { byName[r.name] = factory(r) }
        self.integrations = byName
        if let metrics {
            metrics.register("vigil_notifications_total", .counter, help: "Notifications sent, by receiver.")
            metrics.register("vigil_notifications_failed_total", .counter,
                             help: "Notifications that failed, by receiver.")
            metrics.set("vigil_notify_alert_groups", Labels(), 0, help: "Aggregation groups being notified.")
        }
        logger.info("notify dispatcher started", [
            "config.file": configuration.file, "receivers": "\(configuration.receivers.count)",
            "routes": "\(configuration.route.allRoutes.count)",
        ])
    }

    /// The log integration, one webhook integration per `webhook_configs` entry, and a warning stand-in per
    /// unsupported receiver kind.
    public static func standardIntegrations(_ receiver: ReceiverConfiguration, httpClient: any NotifyHTTPClient,
                                            logger: Logger) -> [any NotifyIntegration] {
        var out: [any NotifyIntegration] = [LogIntegration(logger: logger)]
        for (i, hook) in receiver.webhooks.enumerated() {
            out.append(WebhookIntegration(index: i, configuration: hook, client: httpClient))
        }
        for kind in receiver.unsupportedKinds {
            out.append(UnsupportedIntegration(kind: kind, logger: logger))
        }
        return out
    }

    /// Number of aggregation groups.
    public var groupCount: Int { lock.withLock { groups.count } }

    /// Takes in new or updated alerts, as Alertmanager's `POST /api/v2/alerts` does: a missing end becomes
    /// now + `resolve_timeout`, an update of a known alert is merged with it, then each goes to its routes' groups.
    ///
    /// Sources behave as Prometheus does towards Alertmanager: re-send firing alerts every evaluation with
    /// `startsAt` = when the alert fired and `endsAt` a few intervals ahead, and send a resolved alert with
    /// `endsAt` = when it resolved.
    public func receive(_ incoming: [NotifyAlert]) {
        let now = clock.now()
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        for var alert in incoming {
            if alert.labels.isEmpty {
                logger.warning("alert without labels dropped", [:])
                continue
            }
            alert.updatedAt = now
            if alert.endsAt == nil {
                alert.endsAt = now + configuration.resolveTimeout
                alert.endsAtIsTimeout = true
            }
            let fp = alert.fingerprint
            if let old = alerts[fp], let oldEnd = old.endsAt,
               (alert.endsAt! > old.startsAt && alert.endsAt! < oldEnd)
                || (alert.startsAt > old.startsAt && alert.startsAt < oldEnd) {
                alert = old.merged(with: alert, at: now)
            }
            alerts[fp] = alert
            for route in configuration.route.match(alert.labels) {
                insert(alert, into: route, now: now)
            }
        }
        sweep(now: now)
    }

    private func insert(_ alert: NotifyAlert, into route: NotifyRoute, now: Int64) {
        let labels = route.options.groupLabels(of: alert.labels)
        let id = GroupID(route: ObjectIdentifier(route), labels: labels)
        let group: AggregationGroup
        if let g = groups[id] {
            group = g
        } else {
            group = AggregationGroup(route: route, labels: labels)
            groups[id] = group
            metrics?.set("vigil_notify_alert_groups", Labels(), Double(groups.count))
            logger.debug("new alert group", ["group.key": group.key])
        }
        switch group.insert(alert, now: now) {
        case .none: break
        case .scheduleFirstFlush(let time): schedule(id, at: time)
        case .flushNow: schedule(id, at: now)
        }
    }

    private func schedule(_ id: GroupID, at time: Int64) {
        timers[id]?.cancel()
        nextFlush[id] = time
        timers[id] = clock.schedule(at: time) { [weak self] in self?.tick(id, at: time) }
    }

    private func tick(_ id: GroupID, at time: Int64) {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped, let group = groups[id], nextFlush[id] == time else { return }
        switch group.tick() {
        case .remove:
            remove(id)
        case .waitForDelivery:
            schedule(id, at: time + group.route.options.groupInterval)
        case .flush:
            schedule(id, at: time + group.route.options.groupInterval)
            flush(group, id: id, at: time)
        }
    }

    /// Starts delivering a group at flush time `now`; called with the lock held.
    private func flush(_ group: AggregationGroup, id: GroupID, at now: Int64) {
        guard let plan = group.beginFlush(at: now) else { return }
        var sent = plan.alerts
        if !muters.isEmpty {
            sent = sent.filter { alert in !muters.contains { $0.mutes(alert, at: now) } }
        }
        var firing: Set<UInt64> = []
        var resolved: Set<UInt64> = []
        for a in sent {
            if a.isResolved(at: now) { resolved.insert(a.fingerprint) } else { firing.insert(a.fingerprint) }
        }
        let receiver = group.route.options.receiver
        let notification = GroupNotification(receiver: receiver, groupKey: group.key, groupLabels: group.labels,
                                             alerts: sent, now: now, externalURL: externalURL)
        let due = (integrations[receiver] ?? []).filter { integration in
            DedupStage.needsUpdate(
                entry: log.entry(groupKey: group.key, receiver: receiver, integration: integration.name),
                firing: firing, resolved: resolved, sendResolved: integration.sendResolved,
                repeatInterval: group.route.options.repeatInterval, now: now)
        }
        logger.debug("flushing alert group", [
            "group.key": group.key, "receiver": receiver, "alerts.firing": "\(firing.count)",
            "alerts.resolved": "\(resolved.count)", "integrations.due": due.map(\.name).joined(separator: ","),
        ])
        if due.isEmpty {
            // Nothing to tell anyone: the flush succeeded, so resolved alerts (even muted ones) leave the group.
            _ = group.flushFinished(plan, succeeded: true)
            return
        }

        group.deliveryStarted()
        inFlight += 1
        nextTaskID += 1
        let taskID = nextTaskID
        let entry = NotificationLogEntry(firing: firing, resolved: resolved, timestamp: now)
        let job = DeliveryJob(integrations: due, notification: notification,
                              deadline: now + group.route.options.groupInterval, entry: entry, retry: retry, log: log)
        tasks[taskID] = Task.detached { [weak self] in
            let ok = await job.run()
            self?.delivered(id, taskID: taskID, plan: plan, succeeded: ok)
        }
    }

    private func delivered(_ id: GroupID, taskID: UInt64, plan: AggregationGroup.FlushPlan, succeeded: Bool) {
        lock.lock()
        tasks[taskID] = nil
        if !stopped, let group = groups[id], group.flushFinished(plan, succeeded: succeeded) {
            flush(group, id: id, at: clock.now())
        }
        inFlight -= 1
        let waiters = inFlight == 0 ? idleWaiters : []
        if inFlight == 0 { idleWaiters = [] }
        lock.unlock()
        for w in waiters { w.resume() }
    }

    private func remove(_ id: GroupID) {
        timers[id]?.cancel()
        timers[id] = nil
        nextFlush[id] = nil
        groups[id] = nil
        metrics?.set("vigil_notify_alert_groups", Labels(), Double(groups.count))
    }

    /// Forgets stored alerts resolved long ago (at most once a minute).
    private func sweep(now: Int64) {
        guard now - lastSweep >= 60_000 else { return }
        lastSweep = now
        alerts = alerts.filter { _, a in (a.endsAt ?? Int64.max) > now - 15 * 60_000 }
    }

    /// The alerts held now, for handing over to the dispatcher that replaces this one on reload.
    public func alertsSnapshot() -> [NotifyAlert] {
        lock.withLock { Array(alerts.values).sorted { $0.labels < $1.labels } }
    }

    /// Waits until no notification is being delivered.
    public func settle() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            lock.lock()
            if inFlight == 0 {
                lock.unlock()
                c.resume()
            } else {
                idleWaiters.append(c)
                lock.unlock()
            }
        }
    }

    /// Stops all timers and cancels deliveries in progress.
    public func stop() {
        let running: [Task<Void, Never>] = lock.withLock {
            stopped = true
            for t in timers.values { t.cancel() }
            timers = [:]
            groups = [:]
            return Array(tasks.values)
        }
        for t in running { t.cancel() }
        logger.info("notify dispatcher stopped", ["deliveries.cancelled": "\(running.count)"])
    }

    /// The groups and their alerts now (for `/api/v2/alerts/groups` later and for tests).
    public func groupsSnapshot() -> [(key: String, receiver: String, labels: Labels, alerts: [NotifyAlert])] {
        lock.withLock {
            groups.values.map { ($0.key, $0.route.options.receiver, $0.labels, $0.snapshot(at: clock.now())) }
                .sorted { $0.key < $1.key }
        }
    }
}

/// One flush's deliveries: every due integration concurrently, each through the retry stage; successful ones
/// are recorded in the notification log.
private struct DeliveryJob: Sendable {
    let integrations: [any NotifyIntegration]
    let notification: GroupNotification
    let deadline: Int64
    let entry: NotificationLogEntry
    let retry: RetryStage
    let log: any NotificationLog

    func run() async -> Bool {
        await withTaskGroup(of: Bool.self) { tg in
            for integration in integrations {
                tg.addTask { await deliver(integration) }
            }
            var all = true
            for await ok in tg where !ok { all = false }
            return all
        }
    }

    private func deliver(_ integration: any NotifyIntegration) async -> Bool {
        let ok = await retry.run(integration, notification, deadline: deadline)
        if ok {
            log.record(groupKey: notification.groupKey, receiver: notification.receiver,
                       integration: integration.name, entry: entry)
        }
        return ok
    }
}
