import Foundation
import VigilCore

/// Collects every GPU's metrics through NVML (or `nvidia-smi` when NVML cannot be loaded) under DCGM exporter's
/// names and labels.
///
/// Each GPU series carries `gpu`, `UUID`, `pci_bus_id`, `device`, `modelName`, `Hostname`, `DCGM_FI_DRIVER_VERSION`,
/// `job` (default `gpu`) and `instance` (default: the host name). `vigil_gpu_collector_up` (no labels) is 1 while a
/// source answers and 0 otherwise; the reason is logged once per change. While down, every cycle tries to load NVML
/// again, so a driver installed later is picked up. `collect(at:)` never throws and may be called from any thread.
public final class GPUCollector: @unchecked Sendable {
    /// Where the readings come from.
    public enum SourceKind: String, Sendable {
        /// `libnvidia-ml.so.1` through `dlopen`.
        case nvml
        /// `nvidia-smi --query-gpu`.
        case nvidiaSMI = "nvidia-smi"
    }

    private enum Source {
        case down(GPUCollectorError)
        case nvml(NVMLSource)
        case smi(NvidiaSMISource)
    }

    /// The configuration this collector was built from.
    public let configuration: Configuration
    /// The `job` label of every GPU series.
    public let job: String
    /// The `instance` label of every GPU series.
    public let instance: String
    /// The `Hostname` label of every GPU series.
    public let hostname: String

    private let logger: Logger
    private let metrics: MetricsRegistry?
    private let lock = NSLock()
    private var source: Source?
    private var reported: String?

    /// The name of the series that says whether a source answers.
    public static let upMetric = GPUMetricName.up
    /// The name of the self-metric with the duration of the last cycle.
    public static let durationMetric = "vigil_gpu_collector_duration_seconds"

    /// Builds a collector; nothing is loaded until the first `collect(at:)`.
    public init(configuration: Configuration = Configuration(), logger: Logger, metrics: MetricsRegistry? = nil) {
        self.configuration = configuration
        self.job = configuration.job
        let host = HostCollector.hostName()
        self.instance = configuration.instance ?? host
        self.hostname = configuration.hostname ?? host
        self.logger = logger.with("component", "gpu-collector")
        self.metrics = metrics
        metrics?.register(GPUCollector.durationMetric, .gauge, help: "Duration of the last GPU collection cycle.")
    }

    /// The source in use, nil while the collector is down.
    public var sourceKind: SourceKind? {
        lock.withLock {
            switch source {
            case .nvml: return .nvml
            case .smi: return .nvidiaSMI
            default: return nil
            }
        }
    }

    /// The number of GPUs NVML reported (0 with `nvidia-smi` or while down).
    public var deviceCount: Int { lock.withLock { deviceCountUnlocked } }

    private var deviceCountUnlocked: Int {
        if case let .nvml(s) = source { return s.devices.count }
        return 0
    }

    /// One collection cycle: `vigil_gpu_collector_up` and every GPU's samples, stamped `t` (ms since the epoch).
    public func collect(at t: Int64) -> [LabeledSample] {
        lock.withLock {
            let start = Timestamp.monotonicSeconds()
            switch source {
            case nil, .down: source = open()
            default: break
            }
            var out = GPUSampleBuffer(timestamp: t, capacity: 40 * max(1, deviceCountUnlocked) + 1)
            out.add(GPUCollector.upMetric, 0)
            var up = 0.0
            switch source {
            case let .nvml(nvml):
                nvml.collect(into: &out)
                up = 1
            case let .smi(smi):
                let checkpoint = out.count
                do throws(GPUCollectorError) {
                    try smi.collect(into: &out)
                    up = 1
                    report(nil, kind: .nvidiaSMI)
                } catch {
                    out.truncate(to: checkpoint)
                    report(error, kind: .nvidiaSMI)
                }
            case let .down(error):
                report(error, kind: nil)
            case nil:
                break
            }
            metrics?.set(GPUCollector.durationMetric, Labels(), Timestamp.monotonicSeconds() - start)
            var samples = out.finish()
            samples[0].v = up
            return samples
        }
    }

    /// Loads NVML, else finds `nvidia-smi`; the error is NVML's when neither works.
    private func open() -> Source {
        do throws(GPUCollectorError) {
            let library = try NVMLLibrary(path: configuration.nvmlLibrary)
            let nvml = try NVMLSource(library: library, hostname: hostname, job: job, instance: instance,
                                     logger: logger)
            reported = nil
            logger.info("gpu collector started", ["source": SourceKind.nvml.rawValue, "library": library.path,
                                                  "gpus": String(nvml.devices.count)])
            return .nvml(nvml)
        } catch {
            if let smi = NvidiaSMISource(command: configuration.nvidiaSMI, hostname: hostname, job: job,
                                         instance: instance, timeout: configuration.nvidiaSMITimeout, logger: logger)
            {
                logger.info("gpu collector started", ["source": SourceKind.nvidiaSMI.rawValue,
                                                      "executable": smi.executable, "nvml.err": error.description])
                return .smi(smi)
            }
            return .down(error)
        }
    }

    /// Logs why the collector is down once per distinct reason, and once when it works again.
    private func report(_ error: GPUCollectorError?, kind: SourceKind?) {
        guard let error else {
            if reported != nil { logger.info("gpu collector recovered", ["source": kind?.rawValue ?? ""]) }
            reported = nil
            return
        }
        let reason = error.description
        guard reported != reason else { return }
        reported = reason
        if kind == nil {
            logger.info("gpu collector has no gpu source", ["err": reason])
        } else {
            logger.warning("gpu collection failed", ["source": kind?.rawValue ?? "", "err": reason])
        }
    }
}
