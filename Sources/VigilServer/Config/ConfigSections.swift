import VigilCollect
import VigilCore
import VigilStorage

/// Prometheus's `global` section, with Vigil's defaults (15s scrape and evaluation interval).
public struct GlobalConfiguration: Sendable, Equatable {
    /// Default scrape interval in milliseconds.
    public var scrapeInterval: Int64 = 15_000
    /// Default scrape timeout in milliseconds (10s, capped at the interval).
    public var scrapeTimeout: Int64 = 10_000
    /// Rule evaluation interval in milliseconds.
    public var evaluationInterval: Int64 = 15_000
    /// Labels added to alerts and federated series.
    public var externalLabels: [String: String] = [:]
    /// `rule_query_offset` in milliseconds: rules evaluate this far in the past.
    public var ruleQueryOffset: Int64 = 0
    /// Where the query log goes (parsed; the query log itself is not built yet).
    public var queryLogFile: String?

    /// The defaults.
    public init() {}
}

/// `storage`: Vigil's keys and Prometheus's `tsdb`/`exemplars` aliases, merged.
public struct StorageConfiguration: Sendable, Equatable {
    /// Time retention in milliseconds, counted back from the newest sample (default 15d).
    public var retention: Int64 = 15 * 86_400_000
    /// Size retention in bytes (0: none); written like Prometheus's `512MB`, `10GB` (powers of 1024).
    public var retentionSize: Int64 = 0
    /// How often the WAL is synced: `always`, or a group-commit interval (default 1s).
    public var walSync: WALSyncMode = .interval(1000)
    /// Out-of-order window in milliseconds.
    public var outOfOrderWindow: Int64 = 0
    /// Rollup levels kept longer than raw data (`storage.downsample`).
    public var downsample: [DownsampleLevel] = DownsampleLevel.defaults
    /// `exemplars.max_exemplars`.
    public var maxExemplars: Int?

    /// The defaults.
    public init() {}

    /// The store's settings.
    public var tsdbOptions: TSDBOptions {
        var o = TSDBOptions()
        o.retention = retention
        o.retentionSize = retentionSize
        o.walSync = walSync
        o.outOfOrderWindow = outOfOrderWindow
        o.downsample = downsample
        return o
    }
}

/// `query`: limits for PromQL evaluation.
public struct QueryConfiguration: Sendable, Equatable {
    /// The most samples one query may hold (default 50,000,000 as in Prometheus).
    public var maxSamples: Int = 50_000_000
    /// Query timeout in milliseconds (default 2m).
    public var timeout: Int64 = 120_000
    /// Lookback of instant selectors in milliseconds (default 5m).
    public var lookbackDelta: Int64 = 300_000

    /// The defaults.
    public init() {}
}

/// One built-in collector's settings (`collectors.host`, `collectors.gpu`).
public struct CollectorConfiguration: Sendable, Equatable {
    /// Whether the collector runs (both are on by default).
    public var enabled: Bool = true
    /// The `job` label of its series.
    public var job: String
    /// Collection interval in milliseconds; nil means the global scrape interval.
    public var interval: Int64?

    /// A collector with job `job`.
    public init(job: String) { self.job = job }
}

/// `collectors`.
public struct CollectorsConfiguration: Sendable, Equatable {
    /// The host collector (procfs/sysfs), parsed by the host collector's own parser.
    public var host = HostCollector.Configuration()
    /// The GPU collector (not built yet).
    public var gpu = CollectorConfiguration(job: "gpu")

    /// The defaults.
    public init() {}
}
