import Foundation
import Testing
import VigilCore
@testable import VigilCollect

/// The collection thread: periodic cycles, staleness of vanished series, stop.
struct HostCollectorRunnerTests {
    @Test func collectsPeriodicallyUntilStopped() async throws {
        let collector = try HostCollector(configuration: HostFixtures.configuration(), logger: .disabled)
        let appender = HostRecordingAppender()
        let runner = HostCollectorRunner(collector: collector, appender: appender, interval: 50, logger: .disabled)
        runner.start()
        let deadline = Date().addingTimeInterval(10)
        while runner.cycleCount < 3 && Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
        runner.stop()
        let batches = appender.batches
        #expect(batches.count >= 4)  // three or more cycles, then the stale markers of stop()
        let cycles = batches.dropLast()
        #expect(cycles.allSatisfy { $0.contains { $0.labels.metricName == "node_load1" } })
        let times = cycles.map { $0[0].t }
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
        let last = try #require(batches.last)
        #expect(!last.isEmpty && last.allSatisfy { StaleMarker.isStale($0.v) })
        let countAfterStop = appender.batches.count
        try await Task.sleep(nanoseconds: 150_000_000)
        #expect(appender.batches.count == countAfterStop)
    }

    @Test func vanishedSeriesGetStaleMarkers() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-host-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let loadavg = dir.appendingPathComponent("loadavg")
        try "0.52 1.25 2.00 3/456 7890\n".write(to: loadavg, atomically: true, encoding: .utf8)

        var config = HostFixtures.configuration()
        config.procPath = dir.path
        config.disabledFamilies = ["timex", "uname", "time", "os"]
        let collector = try HostCollector(configuration: config, logger: .disabled)
        let appender = HostRecordingAppender()
        let runner = HostCollectorRunner(collector: collector, appender: appender, interval: 1000, logger: .disabled,
                                         clock: { 5_000 })
        runner.runOnce()
        #expect(Set(appender.batches[0].map(\.labels.metricName)) == ["node_load1", "node_load5", "node_load15"])

        try FileManager.default.removeItem(at: loadavg)
        runner.runOnce()
        let second = appender.batches[1]
        #expect(second.count == 3)
        #expect(second.allSatisfy { StaleMarker.isStale($0.v) && $0.t == 5_000 })
        #expect(Set(second.map(\.labels.metricName)) == ["node_load1", "node_load5", "node_load15"])

        runner.runOnce()
        #expect(appender.batches[2].isEmpty)
    }
}
