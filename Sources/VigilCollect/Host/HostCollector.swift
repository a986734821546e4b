import Foundation
import VigilCore

/// Collects this host's metrics from procfs and sysfs under node_exporter's names, labels and units.
///
/// Every series carries `job` (default `host`) and `instance` (default: the host name). A family whose source is
/// missing (no `/proc/pressure` on an old kernel) is skipped silently; one whose source has an unexpected format is
/// skipped with one warning until it works again. `collect(at:)` never throws and may be called from any thread.
public final class HostCollector: @unchecked Sendable {
    /// The configuration this collector was built from.
    public let configuration: Configuration
    /// The `job` label of every series.
    public let job: String
    /// The `instance` label of every series.
    public let instance: String

    private let logger: Logger
    private let metrics: MetricsRegistry?
    private let lock = NSLock()
    private let families: [any HostFamilyCollector]
    private var reader = ProcFileReader()
    private var warned: Set<String> = []

    /// The name of the self-metric with the duration of the last cycle.
    public static let durationMetric = "vigil_host_collector_duration_seconds"

    /// Builds a collector; throws when one of the configured exclusion patterns is not valid RE2.
    public init(configuration: Configuration = Configuration(), logger: Logger, metrics: MetricsRegistry? = nil)
        throws(RegexError)
    {
        self.configuration = configuration
        self.job = configuration.job
        self.instance = configuration.instance ?? HostCollector.hostName()
        self.logger = logger.with("component", "host-collector")
        self.metrics = metrics
        func pattern(_ p: String) throws(RegexError) -> RE2? { p.isEmpty ? nil : try RE2(p) }
        families = [
            CPUCollector(),
            LoadAverageCollector(),
            MemInfoCollector(),
            FilesystemCollector(excludeMountPoints: try pattern(configuration.excludeMountPoints),
                                excludeFSTypes: try pattern(configuration.excludeFSTypes)),
            DiskStatsCollector(exclude: try pattern(configuration.excludeDisks),
                               udevDataPath: configuration.udevDataPath),
            NetDevCollector(exclude: try pattern(configuration.excludeNetDevices)),
            PressureCollector(),
            VMStatCollector(fields: try RE2(configuration.vmstatFields)),
            TimexCollector(),
            StatCollector(),
            FileFDCollector(),
            TimeCollector(),
            UnameCollector(),
            OSReleaseCollector(),
        ].filter { !configuration.disabledFamilies.contains($0.name) }
        metrics?.register(HostCollector.durationMetric, .gauge, help: "Duration of the last host collection cycle.")
    }

    /// The names of the families this collector runs (node_exporter's collector names).
    public var familyNames: [String] { families.map(\.name) }

    /// One collection cycle: every family's samples, stamped `t` (milliseconds since the epoch).
    public func collect(at t: Int64) -> [LabeledSample] {
        lock.withLock {
            let start = Timestamp.monotonicSeconds()
            var context = HostCollectContext(
                procPath: configuration.procPath, sysPath: configuration.sysPath, rootfsPath: configuration.rootfsPath,
                reader: reader, out: HostSampleBuffer(job: job, instance: instance, timestamp: t))
            reader = ProcFileReader(empty: ())
            for family in families {
                let checkpoint = context.out.count
                do throws(HostCollectorError) {
                    try family.collect(&context)
                    warned.remove(family.name)
                } catch {
                    context.out.truncate(to: checkpoint)
                    report(error, family: family.name)
                }
            }
            reader = context.reader
            metrics?.set(HostCollector.durationMetric, Labels(), Timestamp.monotonicSeconds() - start)
            return context.out.finish()
        }
    }

    private func report(_ error: HostCollectorError, family: String) {
        if case .missing = error {
            logger.trace("host collector family has no data", ["collector": family, "err": error.description])
            return
        }
        guard warned.insert(family).inserted else { return }
        logger.warning("host collector family skipped", ["collector": family, "err": error.description])
    }

    /// This machine's host name (`gethostname(2)`), as DESIGN.md's `instance` of built-in collectors.
    public static func hostName() -> String {
        var buf = [CChar](repeating: 0, count: 256)
        guard gethostname(&buf, buf.count - 1) == 0 else { return "localhost" }
        return String(decoding: buf.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
