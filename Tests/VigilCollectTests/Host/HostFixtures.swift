import Foundation
import Testing
import VigilCore
@testable import VigilCollect

/// Paths of the hand-written fake procfs/sysfs trees under `Fixtures/host`, and helpers over collected samples.
enum HostFixtures {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()  // Host
        url.deleteLastPathComponent()  // VigilCollectTests
        return url.appendingPathComponent("Fixtures/host").path
    }()

    static func path(_ relative: String) -> String { root + "/" + relative }

    /// A configuration that reads only the fixture tree.
    static func configuration(proc: String = "proc") -> HostCollector.Configuration {
        var c = HostCollector.Configuration()
        c.procPath = path(proc)
        c.sysPath = path("sys")
        c.rootfsPath = path("rootfs")
        c.udevDataPath = path("udev")
        c.instance = "fixture-host"
        return c
    }

    /// A context for calling one family directly.
    static func context(proc: String = "proc", t: Int64 = 1_000) -> HostCollectContext {
        HostCollectContext(procPath: path(proc), sysPath: path("sys"), rootfsPath: path("rootfs"),
                           reader: ProcFileReader(), out: HostSampleBuffer(job: "host", instance: "fixture-host",
                                                                           timestamp: t))
    }
}

/// Lookups over a collection cycle's samples.
struct CollectedSamples {
    let samples: [LabeledSample]

    init(_ samples: [LabeledSample]) { self.samples = samples }

    /// The value of the one series named `name` whose labels include `labels`; nil when none.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        matching(name, labels).first?.v
    }

    /// Every sample named `name` whose labels include `labels`.
    func matching(_ name: String, _ labels: [String: String] = [:]) -> [LabeledSample] {
        samples.filter { s in
            s.labels.metricName == name && labels.allSatisfy { s.labels.get($0.key) == $0.value }
        }
    }

    /// The distinct metric names.
    var names: Set<String> { Set(samples.map(\.labels.metricName)) }

    /// The values of label `label` across series named `name`.
    func labelValues(_ name: String, _ label: String) -> Set<String> {
        Set(matching(name).compactMap { $0.labels.get(label) })
    }
}

/// Records every batch appended (for runner tests).
final class HostRecordingAppender: SampleAppender, @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [[LabeledSample]] = []

    func append(_ batch: [LabeledSample]) throws -> AppendResult {
        lock.withLock { stored.append(batch) }
        return AppendResult(accepted: batch.count)
    }

    var batches: [[LabeledSample]] { lock.withLock { stored } }
}
