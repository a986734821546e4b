import VigilCore
import VigilQuery
import VigilStorage

/// What the HTTP API needs from the running system; `VigilRuntime` provides it, tests may provide their own.
public protocol APIBackend: Sendable {
    /// The store that `series`, `labels` and `label/<name>/values` read.
    var storage: any Storage { get }
    /// The query engine for the current configuration.
    func queryEngine() -> QueryEngine
    /// True once every component has started (`/-/ready`).
    var isReady: Bool { get }
    /// Why a started system cannot take data now (e.g. the WAL cannot write), shown by `/-/ready`.
    var readinessProblem: String? { get }
    /// The `data` object of `/api/v1/targets` for `state` (`active`, `dropped`, `any` or nil).
    func targetsData(state: String?) -> String
    /// The `data` object of `/api/v1/rules`, honouring its filter parameters; throws for a bad parameter.
    func rulesData(_ request: HTTPRequest) throws(APIParameters.Invalid) -> String
    /// The `data` object of `/api/v1/alerts`.
    func alertsData() -> String
    /// The `data` object of `/api/v1/metadata` (`{}` when nothing is known).
    func metadataData(metric: String?, limit: Int?) -> String
    /// The loaded configuration as YAML text (`/api/v1/status/config`).
    func configText() -> String
    /// The command-line flags (`/api/v1/status/flags`).
    func flags() -> [(String, String)]
    /// Vigil's own metrics in the Prometheus text format (`/metrics`).
    func metricsText() -> String
    /// Reloads the configuration file; throws with the reason and keeps the old one on failure.
    func reload() throws
}

extension APIBackend {
    public var readinessProblem: String? { nil }
}
