import Foundation
import VigilCollect
import VigilCore

/// Runs the host collector (procfs/sysfs) into the store at its interval, from `collectors.host`.
final class HostCollectorComponent: RuntimeComponent, @unchecked Sendable {
    let name = "host"
    private let context: RuntimeContext
    private let lock = NSLock()
    private var runner: HostCollectorRunner?
    private var applied: HostCollector.Configuration?
    private var started = false

    init(_ context: RuntimeContext) { self.context = context }

    func check(_ config: VigilConfiguration) throws -> [ConfigWarning] {
        _ = try HostCollector(configuration: config.collectors.host, logger: context.logger)
        return []
    }

    /// Replaces the runner when the host settings changed; the old runner's series get stale markers.
    func apply(_ config: VigilConfiguration) throws {
        let wanted = config.collectors.host
        let (old, isStarted) = lock.withLock { (applied == wanted ? nil : runner, started) }
        if lock.withLock({ applied == wanted }) { return }
        old?.stop()
        var next: HostCollectorRunner?
        if wanted.enabled {
            let collector = try HostCollector(configuration: wanted, logger: context.logger, metrics: context.metrics)
            next = HostCollectorRunner(collector: collector, appender: context.storage, logger: context.logger)
        }
        lock.withLock {
            runner = next
            applied = wanted
        }
        if isStarted { next?.start() }
    }

    func start() {
        let r = lock.withLock { () -> HostCollectorRunner? in
            started = true
            return runner
        }
        r?.start()
    }

    func stop() {
        let r = lock.withLock { () -> HostCollectorRunner? in
            started = false
            return runner
        }
        r?.stop()
    }
}
