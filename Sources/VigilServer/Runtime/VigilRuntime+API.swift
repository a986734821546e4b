import VigilCore
import VigilQuery
import VigilStorage

/// The running system answers the HTTP API from its components.
extension VigilRuntime: APIBackend {
    /// The in-memory store.
    public var storage: any Storage { store }
    /// True between `start()` and `stop()`.
    public var isReady: Bool { isStarted }
    public var readinessProblem: String? { store.walError.map { "storage: " + $0 } }
    /// The scrape manager's targets.
    public func targetsData(state: String?) -> String { scrape.targetsData(state: state) }
    /// The rule manager's groups, filtered.
    public func rulesData(_ request: HTTPRequest) throws(APIParameters.Invalid) -> String {
        try rules.rulesData(request)
    }
    /// The rule manager's active alerts.
    public func alertsData() -> String { rules.alertsData() }
    /// Metric metadata (none is kept yet).
    public func metadataData(metric: String?, limit: Int?) -> String {
        scrape.metadataData(metric: metric, limit: limit)
    }
    /// The text of the configuration in effect.
    public func configText() -> String { configuration.text }
    /// The flags `vigil run` was given.
    public func flags() -> [(String, String)] { options.flags }
    /// `vigil_*` and `process_*` metrics.
    public func metricsText() -> String { metrics.render() }
}
