import Foundation
import VigilCore
import VigilQuery
import VigilStorage

/// A part of the running system that takes its settings from the configuration: checked first, applied only
/// when every component accepted the new configuration, so a failed reload changes nothing.
protocol RuntimeComponent: AnyObject, Sendable {
    /// A short name for logs.
    var name: String { get }
    /// Checks this component's part of `config` and returns its warnings; throws the first error.
    func check(_ config: VigilConfiguration) throws -> [ConfigWarning]
    /// Applies a configuration that passed `check`.
    func apply(_ config: VigilConfiguration) throws
    /// Starts background work.
    func start()
    /// Stops background work and waits for it.
    func stop()
}

/// What every component may use: the store, the metrics registry, the logger and the current query engine.
struct RuntimeContext: Sendable {
    let storage: any Storage
    /// `state.sqlite`, for components that keep state across restarts.
    let state: StateStore?
    let metrics: MetricsRegistry
    let logger: Logger
    let engine: @Sendable () -> QueryEngine
}

/// The query engine in effect, swapped on reload.
final class EngineHolder: @unchecked Sendable {
    private let lock = NSLock()
    private var engine: QueryEngine

    init(_ engine: QueryEngine) { self.engine = engine }

    var current: QueryEngine {
        get { lock.withLock { engine } }
        set { lock.withLock { engine = newValue } }
    }
}
