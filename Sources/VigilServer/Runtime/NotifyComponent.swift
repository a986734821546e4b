import VigilCore

/// Runs the notify dispatcher (the log receiver is always on) from the `notify` section.
final class NotifyComponent: RuntimeComponent, @unchecked Sendable {
    let name = "notify"
    private let context: RuntimeContext

    init(_ context: RuntimeContext) { self.context = context }

    func check(_ config: VigilConfiguration) throws -> [ConfigWarning] { [] }
    func apply(_ config: VigilConfiguration) throws {}
    func start() {}
    func stop() {}
}
