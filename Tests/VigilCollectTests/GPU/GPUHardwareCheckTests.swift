import Foundation
import Testing
import VigilCore
@testable import VigilCollect

/// The collector against this machine's real NVML, run by `scripts/gpu-check` on a GPU machine: enabled only when
/// `VIGIL_GPU_CHECK` names the file to write the samples to.
struct GPUHardwareCheckTests {
    static let outputPath = ProcessInfo.processInfo.environment["VIGIL_GPU_CHECK"]

    @Test(.enabled(if: outputPath != nil, "set VIGIL_GPU_CHECK=<file> on a GPU machine (scripts/gpu-check)"))
    func realGPUsAnswerUnderDCGMNames() throws {
        let path = try #require(GPUHardwareCheckTests.outputPath)
        let sink = MemoryLogSink()
        let collector = GPUCollector(logger: Logger(level: .debug, sink: sink))
        let first = collector.collect(at: Timestamp.nowMillis())
        Thread.sleep(forTimeInterval: 1)
        let start = Timestamp.monotonicSeconds()
        let samples = collector.collect(at: Timestamp.nowMillis())
        let cycleMs = (Timestamp.monotonicSeconds() - start) * 1000

        var text = "# source=\(collector.sourceKind?.rawValue ?? "none") gpus=\(collector.deviceCount) "
            + "samples=\(samples.count) first_cycle_samples=\(first.count) cycle_ms=\(cycleMs)\n"
        for line in sink.lines { text += "# log: \(line)\n" }
        for s in samples.sorted(by: { $0.labels < $1.labels }) {
            text += "\(s.labels.description) \(GoFloat.format(s.v))\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)

        let c = GPUSamples(samples)
        #expect(c.value("vigil_gpu_collector_up", [:]) == 1)
        let gpus = Set(samples.compactMap { $0.labels.get("gpu") })
        #expect(!gpus.isEmpty)
        for gpu in gpus {
            let names = Set(samples.filter { $0.labels.get("gpu") == gpu }.map(\.labels.metricName))
            for required in ["DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_FB_USED", "DCGM_FI_DEV_FB_FREE",
                             "DCGM_FI_DEV_GPU_TEMP", "DCGM_FI_DEV_POWER_USAGE", "DCGM_FI_DEV_SM_CLOCK",
                             "DCGM_FI_DEV_MEM_CLOCK", "DCGM_FI_DEV_CLOCKS_EVENT_REASONS", "DCGM_FI_DEV_XID_ERRORS"] {
                #expect(names.contains(required), "gpu \(gpu) lacks \(required)")
            }
            let one = try #require(samples.first { $0.labels.get("gpu") == gpu })
            for label in ["UUID", "pci_bus_id", "device", "modelName", "Hostname", "job", "instance"] {
                #expect(!(one.labels.get(label) ?? "").isEmpty, "gpu \(gpu) lacks label \(label)")
            }
        }
    }
}
