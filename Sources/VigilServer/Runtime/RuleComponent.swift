import Foundation
import VigilCore
import VigilNotify
import VigilQuery
import VigilRules

/// Runs the rule manager over `rule_files` and the embedded `rule_packs`, sending alerts to the notify
/// dispatcher; answers `/api/v1/rules` and `/api/v1/alerts`.
final class RuleComponent: RuntimeComponent, @unchecked Sendable {
    let name = "rules"
    private let context: RuntimeContext
    private let notify: NotifyComponent
    private let lock = NSLock()
    private var manager: RuleManager?
    /// The global settings the manager was built with; a change needs a new manager.
    private var managerSettings: [String] = []
    private var started = false

    /// Alert `for` state in `state.sqlite`, so timers survive a restart.
    private let alertState: SQLiteAlertStateStore?

    init(_ context: RuntimeContext, notify: NotifyComponent) {
        self.context = context
        self.notify = notify
        do {
            alertState = try context.state.map { try SQLiteAlertStateStore(store: $0) }
        } catch {
            context.logger.error("alert state store unavailable; for timers restart with vigil",
                                 ["err": "\(error)"])
            alertState = nil
        }
    }

    /// Loads every rule file and pack, so a bad rule fails the load or reload before anything changes.
    func check(_ config: VigilConfiguration) throws -> [ConfigWarning] {
        try loadGroups(config).warnings
    }

    func apply(_ config: VigilConfiguration) throws {
        let loaded = try loadGroups(config)
        let settings = [String(config.global.evaluationInterval), String(config.global.ruleQueryOffset),
                        config.global.externalLabels.description]
        let (current, same, isStarted) = lock.withLock { (manager, managerSettings == settings, started) }
        var target = current
        if current == nil || !same {
            current?.stop()
            target = makeManager(config)
            lock.withLock {
                manager = target
                managerSettings = settings
            }
        }
        target?.update(groups: loaded.groups)
        if isStarted && (current == nil || !same) { target?.start() }
    }

    func start() {
        let m = lock.withLock { () -> RuleManager? in
            started = true
            return manager
        }
        m?.start()
    }

    func stop() {
        let m = lock.withLock { () -> RuleManager? in
            started = false
            return manager
        }
        m?.stop()
    }

    /// The `data` object of `/api/v1/rules`, with Prometheus's filter parameters.
    func rulesData(_ request: HTTPRequest) throws(APIParameters.Invalid) -> String {
        var filter = RulesFilter()
        if let type = request.parameter("type"), !type.isEmpty {
            guard let t = RulesFilter.RuleType(rawValue: type) else {
                throw APIParameters.Invalid("invalid parameter \"type\": not supported value \"\(type)\"")
            }
            filter.type = t
        }
        filter.ruleNames = Set(request.parameterValues("rule_name[]"))
        filter.groupNames = Set(request.parameterValues("rule_group[]"))
        filter.files = Set(request.parameterValues("file[]"))
        if let exclude = request.parameter("exclude_alerts"), !exclude.isEmpty {
            guard let b = Bool(exclude) else {
                throw APIParameters.Invalid("invalid parameter \"exclude_alerts\": strconv.ParseBool: parsing "
                    + "\"\(exclude)\": invalid syntax")
            }
            filter.excludeAlerts = b
        }
        guard let m = lock.withLock({ manager }) else { return "{\"groups\":[]}" }
        return m.rulesJSON(filter: filter)
    }

    /// The `data` object of `/api/v1/alerts`.
    func alertsData() -> String {
        lock.withLock { manager }?.alertsJSON() ?? "{\"alerts\":[]}"
    }

    /// The rule files of `config` followed by its built-in packs (named `<builtin>/<pack>.yml`).
    func loadGroups(_ config: VigilConfiguration) throws(RuleFileError) -> LoadedRuleFile {
        var all = LoadedRuleFile()
        var errors: [ConfigError] = []
        do {
            all = try RuleFileLoader.load(paths: config.ruleFiles())
        } catch {
            errors += error.errors
        }
        for pack in config.rulePacks {
            guard let text = EmbeddedResources.rulePack(pack) else {
                errors.append(ConfigError(file: config.file, mark: nil,
                                          message: "rule pack \"\(pack)\" is not built in"))
                continue
            }
            do {
                let loaded = try RuleFileLoader.parse(text: text, file: "<builtin>/\(pack).yml")
                all.groups += loaded.groups
                all.warnings += loaded.warnings
            } catch {
                errors += error.errors
            }
        }
        if !errors.isEmpty { throw RuleFileError(errors) }
        return all
    }

    private func makeManager(_ config: VigilConfiguration) -> RuleManager {
        let engine = context.engine
        let evaluation = RuleEvaluationContext(
            query: { expr, t in try engine().instant(expr, at: t) },
            externalLabels: Labels(config.global.externalLabels))
        let notify = self.notify
        return RuleManager(
            context: evaluation, appender: context.storage,
            sender: { alerts in notify.send(alerts.map(Self.notifyAlert)) },
            options: RuleManager.Options(evaluationInterval: config.global.evaluationInterval,
                                         queryOffset: config.global.ruleQueryOffset),
            logger: context.logger.with("component", "rules"), metrics: context.metrics,
            stateStore: alertState)
    }

    /// A rule alert as the dispatcher takes it: firing alerts carry their validity end, resolved ones their end.
    static func notifyAlert(_ a: RuleAlert) -> NotifyAlert {
        NotifyAlert(labels: a.labels, annotations: a.annotations, startsAt: a.startsAt, endsAt: a.endsAt,
                    generatorURL: a.generatorURL)
    }
}
