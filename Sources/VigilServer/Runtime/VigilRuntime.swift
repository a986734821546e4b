import Foundation
import VigilCore
import VigilQuery
import VigilRules
import VigilStorage

/// Wires the whole system: store, host collector, scrape manager, query engine, rule manager, notify
/// dispatcher and HTTP server; reloads the configuration and shuts down cleanly.
public final class VigilRuntime: @unchecked Sendable {
    /// The flags it was started with.
    public let options: RuntimeOptions
    /// Vigil's own metrics.
    public let metrics: MetricsRegistry
    let logger: Logger
    /// The durable store in the data directory.
    let store: TSDB
    /// `state.sqlite` in the data directory.
    let stateStore: StateStore
    private let lock = NSLock()
    private let reloadLock = NSLock()
    private var currentConfig: VigilConfiguration
    /// The storage settings the store was opened with (they change only on restart).
    private let startedStorage: StorageConfiguration
    private let engineHolder: EngineHolder
    let host: HostCollectorComponent
    let scrape: ScrapeComponent
    let rules: RuleComponent
    let notify: NotifyComponent
    /// In start order.
    private var components: [any RuntimeComponent] { [notify, host, scrape, rules] }
    private var server: HTTPServer?
    private var retentionTimer: DispatchSourceTimer?
    private var ready = false
    private var listenAddress: ListenAddress

    /// Loads the configuration and builds every component; throws `ServerError.config` for a bad config.
    public init(options: RuntimeOptions, logger: Logger) throws(ServerError) {
        self.options = options
        self.logger = logger
        listenAddress = options.listen
        let metrics = MetricsRegistry()
        self.metrics = metrics
        let config = try Self.loadConfiguration(options, listen: Self.selfTarget(options.listen))
        currentConfig = config
        startedStorage = config.storage
        do {
            store = try TSDB(directory: options.dataDirectory, options: config.storage.tsdbOptions,
                             logger: logger.with("component", "storage"), metrics: metrics)
            stateStore = try StateStore(path: options.dataDirectory + "/state.sqlite")
        } catch {
            throw ServerError.startup(component: "storage", message: error.description)
        }
        let holder = EngineHolder(QueryEngine(storage: store, options: Self.engineOptions(config)))
        engineHolder = holder
        let context = RuntimeContext(storage: store, state: stateStore, metrics: metrics, logger: logger,
                                     engine: { holder.current })
        notify = NotifyComponent(context)
        host = HostCollectorComponent(context)
        scrape = ScrapeComponent(context)
        rules = RuleComponent(context, notify: notify)
        for warning in config.warnings { logger.warning("config warning", ["config.warning": warning.description]) }
        do {
            for c in components {
                for w in try c.check(config) { logger.warning("config warning", ["config.warning": w.description]) }
            }
        } catch {
            throw Self.asServerError(error, component: "config")
        }
        registerSelfMetrics()
    }

    /// The configuration in effect.
    public var configuration: VigilConfiguration { lock.withLock { currentConfig } }

    /// The address the HTTP server is bound to (the real port after listening on port 0).
    public var boundAddress: ListenAddress { lock.withLock { listenAddress } }

    /// The query engine for the configuration in effect.
    public func queryEngine() -> QueryEngine { engineHolder.current }

    /// Starts the HTTP server and every component; `/-/ready` answers 200 afterwards.
    public func start() throws(ServerError) {
        let router = APIRoutes.makeRouter(backend: self)
        let server = try HTTPServer(address: options.listen, threads: options.httpThreads,
                                    logger: logger.with("component", "web"), handler: router.handle)
        var bound = options.listen
        bound.port = server.port
        lock.withLock {
            self.server = server
            listenAddress = bound
        }
        if options.configPath == nil && bound.port != options.listen.port {
            let config = VigilConfiguration.embeddedDefault(listen: Self.selfTarget(bound))
            lock.withLock { currentConfig = config }
        }
        let config = configuration
        do {
            for c in components { try c.apply(config) }
        } catch {
            server.stop()
            throw Self.asServerError(error, component: "config")
        }
        for c in components { c.start() }
        startRetention()
        markReload(success: true)
        lock.withLock { ready = true }
        logger.info("server is ready to receive web requests", [
            "config.file": options.configPath ?? VigilConfiguration.embeddedFileName,
            "web.listen_address": bound.description, "storage.path": options.dataDirectory,
        ])
    }

    /// Stops every component and the HTTP server; idempotent.
    public func stop() {
        let (server, timer, wasReady) = lock.withLock { () -> (HTTPServer?, DispatchSourceTimer?, Bool) in
            defer {
                self.server = nil
                retentionTimer = nil
                ready = false
            }
            return (self.server, retentionTimer, ready)
        }
        guard wasReady || server != nil else { return }
        logger.info("stopping vigil")
        timer?.cancel()
        for c in components.reversed() { c.stop() }
        server?.stop()
        store.close()
        stateStore.close()
        logger.info("vigil stopped")
    }

    /// Re-reads the configuration file and applies it; on any error the old configuration stays in effect.
    public func reload() throws {
        try reloadLock.withLock {
            let file = options.configPath ?? VigilConfiguration.embeddedFileName
            let config: VigilConfiguration
            do {
                config = try Self.loadConfiguration(options, listen: Self.selfTarget(boundAddress))
                for c in components {
                    for w in try c.check(config) { logger.warning("config warning", ["config.warning": w.description]) }
                }
            } catch {
                markReload(success: false)
                logger.error("error reloading config", ["config.file": file, "err": "\(error)"])
                throw error
            }
            for w in config.warnings { logger.warning("config warning", ["config.warning": w.description]) }
            lock.withLock {
                currentConfig = config
            }
            engineHolder.current = QueryEngine(storage: store, options: Self.engineOptions(config))
            for c in components {
                do { try c.apply(config) } catch {
                    logger.error("error applying config", ["component": c.name, "err": "\(error)"])
                }
            }
            if config.storage != lock.withLock({ startedStorage }) {
                logger.warning("storage settings change on restart", ["config.file": file])
            }
            markReload(success: true)
            logger.info("completed loading of configuration file", ["config.file": file])
        }
    }

    /// Blocks until SIGINT or SIGTERM, reloading on SIGHUP, then stops.
    public func runUntilSignal() {
        let queue = DispatchQueue(label: "vigil.signals")
        let done = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { [self] in
                if sig == SIGHUP {
                    try? reload()
                } else {
                    let name = sig == SIGINT ? "interrupt" : "terminated"
                    logger.info("received signal, exiting gracefully", ["signal": name])
                    done.signal()
                }
            }
            source.resume()
            sources.append(source)
        }
        done.wait()
        for s in sources { s.cancel() }
        stop()
    }

    var isStarted: Bool { lock.withLock { ready } }

    static func loadConfiguration(_ options: RuntimeOptions, listen target: String) throws(ServerError)
        -> VigilConfiguration
    {
        if let path = options.configPath { return try VigilConfiguration.load(path: path) }
        return VigilConfiguration.embeddedDefault(listen: target)
    }

    /// The self-scrape target for a listen address: all-interfaces becomes loopback.
    static func selfTarget(_ address: ListenAddress) -> String {
        var a = address
        if a.host.isEmpty || a.host == "0.0.0.0" { a.host = "127.0.0.1" }
        if a.host == "::" { a.host = "::1" }
        return a.description
    }

    static func engineOptions(_ config: VigilConfiguration) -> EngineOptions {
        var o = EngineOptions()
        o.lookbackDelta = config.query.lookbackDelta
        o.maxSamples = config.query.maxSamples
        o.timeout = Double(config.query.timeout) / 1000
        o.defaultEvaluationInterval = config.global.evaluationInterval
        return o
    }

    static func asServerError(_ error: any Error, component: String) -> ServerError {
        if let e = error as? ServerError { return e }
        if let e = error as? ConfigError { return .config([e]) }
        if let e = error as? RuleFileError { return .config(e.errors) }
        return .startup(component: component, message: "\(error)")
    }

    private func startRetention() {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "vigil.retention"))
        timer.schedule(deadline: .now() + options.retentionInterval, repeating: options.retentionInterval)
        timer.setEventHandler { [store] in store.applyRetention(now: Timestamp.nowMillis()) }
        timer.resume()
        lock.withLock { retentionTimer = timer }
    }

    private func registerSelfMetrics() {
        metrics.set("vigil_build_info", Labels(["version": BuildInfo.version, "revision": BuildInfo.revision,
                                                "branch": BuildInfo.branch, "swiftversion": BuildInfo.swiftVersion]),
                    1, help: "A metric with a constant '1' value labeled by version, revision, branch and swift "
                        + "version.")
        metrics.register("vigil_config_last_reload_successful", .gauge,
                         help: "Whether the last configuration reload attempt was successful.")
        metrics.register("vigil_config_last_reload_success_timestamp_seconds", .gauge,
                         help: "Timestamp of the last successful configuration reload.")
        ProcessMetrics.register(on: metrics)
    }

    private func markReload(success: Bool) {
        metrics.set("vigil_config_last_reload_successful", Labels(), success ? 1 : 0)
        if success {
            metrics.set("vigil_config_last_reload_success_timestamp_seconds", Labels(),
                        Double(Timestamp.nowMillis() / 1000))
        }
    }
}
