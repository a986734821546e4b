import Foundation
import VigilCore
import VigilNotify

/// Runs the notify dispatcher from the `notify` section; without one, alerts go to the log receiver only.
final class NotifyComponent: RuntimeComponent, @unchecked Sendable {
    let name = "notify"
    private let context: RuntimeContext
    private let lock = NSLock()
    private var dispatcher: Dispatcher?
    /// What the current dispatcher was built from; a reload with the same `notify` keeps it (and its groups).
    private var appliedSource: String?

    /// `notify` when the configuration has none: every alert to the log.
    static let logOnlyText = "route:\n  receiver: log\nreceivers:\n  - name: log\n"

    init(_ context: RuntimeContext) { self.context = context }

    func check(_ config: VigilConfiguration) throws -> [ConfigWarning] { [] }

    /// Builds a dispatcher for the new configuration and stops the old one.
    func apply(_ config: VigilConfiguration) throws {
        let source = config.notify.map { String(describing: $0) } ?? ""
        if lock.withLock({ dispatcher != nil && appliedSource == source }) { return }
        let notify = try config.notify ?? NotifyConfiguration.parse(text: Self.logOnlyText,
                                                                     file: VigilConfiguration.embeddedFileName).0
        let next = Dispatcher(configuration: notify, logger: context.logger.with("component", "notify"),
                              metrics: context.metrics)
        let old = lock.withLock { () -> Dispatcher? in
            defer {
                dispatcher = next
                appliedSource = source
            }
            return dispatcher
        }
        old?.stop()
    }

    func start() {}

    func stop() {
        let d = lock.withLock { () -> Dispatcher? in
            defer { dispatcher = nil }
            return dispatcher
        }
        d?.stop()
    }

    /// Hands alerts to the current dispatcher.
    func send(_ alerts: [NotifyAlert]) {
        guard !alerts.isEmpty, let d = lock.withLock({ dispatcher }) else { return }
        d.receive(alerts)
    }
}
