import Foundation
import Testing
import VigilCore
@testable import VigilCollect

/// The GPU collection thread: periodic cycles, staleness of replaced series, stop.
struct GPUCollectorRunnerTests {
    @Test func collectsPeriodicallyUntilStopped() async throws {
        let library = try GPUFixtures.buildFakeNVML()
        let collector = GPUCollector(configuration: GPUFixtures.configuration(library: library), logger: .disabled)
        let appender = GPURecordingAppender()
        let runner = GPUCollectorRunner(collector: collector, appender: appender, interval: 50, logger: .disabled)
        runner.start()
        let deadline = Date().addingTimeInterval(10)
        while runner.cycleCount < 3 && Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
        runner.stop()
        let batches = appender.batches
        #expect(batches.count >= 4)
        let cycles = batches.dropLast()
        #expect(cycles.allSatisfy { $0.contains { $0.labels.metricName == "DCGM_FI_DEV_GPU_UTIL" } })
        let last = try #require(batches.last)
        #expect(!last.isEmpty && last.allSatisfy { StaleMarker.isStale($0.v) })
    }

    /// When a new Xid replaces the last one, the `DCGM_FI_DEV_XID_ERRORS` series of the old `err_code` goes stale
    /// instead of lingering for five minutes beside the new one.
    @Test func replacedXidSeriesGetsAStaleMarker() throws {
        let library = try GPUFixtures.buildFakeNVML()
        let collector = GPUCollector(configuration: GPUFixtures.configuration(library: library), logger: .disabled)
        let appender = GPURecordingAppender()
        let runner = GPUCollectorRunner(collector: collector, appender: appender, interval: 1000, logger: .disabled,
                                        clock: { 9_000 })
        runner.runOnce()
        try GPUFixtures.injectXid(library: library, gpu: 0, xid: 43)
        runner.runOnce()
        let stale = appender.batches[1].filter { StaleMarker.isStale($0.v) }
        #expect(stale.map(\.labels) == [Labels(GPUFixtures.labels(gpu: 0, ["__name__": "DCGM_FI_DEV_XID_ERRORS",
                                                                           "err_code": "0"]))])
    }

    @Test func runsWithoutAGPU() throws {
        let dir = try GPUFixtures.temporaryDirectory()
        let collector = GPUCollector(configuration: GPUFixtures.configuration(library: dir + "/none.so"),
                                     logger: .disabled)
        let appender = GPURecordingAppender()
        let runner = GPUCollectorRunner(collector: collector, appender: appender, interval: 1000, logger: .disabled,
                                        clock: { 1_000 })
        runner.runOnce()
        #expect(appender.batches == [[LabeledSample(Labels(["__name__": "vigil_gpu_collector_up"]), t: 1_000, v: 0)]])
    }
}
