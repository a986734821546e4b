import VigilCore
import VigilQuery
import VigilStorage

extension VigilRuntime: APIBackend {
    public var storage: any Storage { memoryStore }
    public var isReady: Bool { isStarted }
    public func targetsData(state: String?) -> String { scrape.targetsData(state: state) }
    public func rulesData(_ request: HTTPRequest) throws(APIParameters.Invalid) -> String {
        try rules.rulesData(request)
    }
    public func alertsData() -> String { rules.alertsData() }
    public func metadataData(metric: String?, limit: Int?) -> String {
        scrape.metadataData(metric: metric, limit: limit)
    }
    public func configText() -> String { configuration.text }
    public func flags() -> [(String, String)] { options.flags }
    public func metricsText() -> String { metrics.render() }
}
