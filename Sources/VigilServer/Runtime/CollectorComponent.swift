import Foundation
import VigilCollect
import VigilCore

/// Runs one built-in collector (`collectors.host`, `collectors.gpu`) into the store at its interval.
final class CollectorComponent<Settings: Equatable & Sendable>: RuntimeComponent, @unchecked Sendable {
    /// How a component reads its settings and builds its runner.
    struct Kind: Sendable {
        var name: String
        var settings: @Sendable (VigilConfiguration) -> Settings
        var enabled: @Sendable (Settings) -> Bool
        /// Throws for settings the collector refuses (checked before a config is applied).
        var check: @Sendable (Settings, RuntimeContext) throws -> Void
        var makeRunner: @Sendable (Settings, RuntimeContext) throws -> CollectorRunner
    }

    let name: String
    private let kind: Kind
    private let context: RuntimeContext
    private let lock = NSLock()
    private var runner: CollectorRunner?
    private var applied: Settings?
    private var started = false

    init(_ kind: Kind, _ context: RuntimeContext) {
        self.kind = kind
        self.name = kind.name
        self.context = context
    }

    func check(_ config: VigilConfiguration) throws -> [ConfigWarning] {
        try kind.check(kind.settings(config), context)
        return []
    }

    /// Replaces the runner when the settings changed; the old runner's series get stale markers.
    func apply(_ config: VigilConfiguration) throws {
        let wanted = kind.settings(config)
        let (unchanged, old, isStarted) = lock.withLock { (applied == wanted, runner, started) }
        if unchanged { return }
        old?.stop()
        let next = kind.enabled(wanted) ? try kind.makeRunner(wanted, context) : nil
        lock.withLock {
            runner = next
            applied = wanted
        }
        if isStarted { next?.start() }
    }

    func start() {
        let r = lock.withLock { () -> CollectorRunner? in
            started = true
            return runner
        }
        r?.start()
    }

    func stop() {
        let r = lock.withLock { () -> CollectorRunner? in
            started = false
            return runner
        }
        r?.stop()
    }
}

extension CollectorComponent where Settings == HostCollector.Configuration {
    /// The host collector (procfs/sysfs).
    static func host(_ context: RuntimeContext) -> CollectorComponent {
        CollectorComponent(Kind(
            name: "host", settings: { $0.collectors.host }, enabled: { $0.enabled },
            check: { settings, ctx in _ = try HostCollector(configuration: settings, logger: ctx.logger) },
            makeRunner: { settings, ctx in
                let collector = try HostCollector(configuration: settings, logger: ctx.logger, metrics: ctx.metrics)
                return HostCollectorRunner(collector: collector, appender: ctx.storage, logger: ctx.logger)
            }), context)
    }
}

extension CollectorComponent where Settings == GPUCollector.Configuration {
    /// The GPU collector (NVML loaded at run time, `nvidia-smi` as a fallback).
    static func gpu(_ context: RuntimeContext) -> CollectorComponent {
        CollectorComponent(Kind(
            name: "gpu", settings: { $0.collectors.gpu }, enabled: { $0.enabled }, check: { _, _ in },
            makeRunner: { settings, ctx in
                let collector = GPUCollector(configuration: settings, logger: ctx.logger, metrics: ctx.metrics)
                return GPUCollectorRunner(collector: collector, appender: ctx.storage, logger: ctx.logger)
            }), context)
    }
}
