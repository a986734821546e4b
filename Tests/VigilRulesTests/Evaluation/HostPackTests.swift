import Foundation
import Testing
import VigilCore
import VigilQuery
import VigilStorage

@testable import VigilRules

private let minute: Int64 = 60_000

/// The built-in pack over two hours of synthetic node_exporter series, evaluated each minute by the real engine.
@Suite struct HostPackTests {
    private func hostPack() throws -> LoadedRuleFile {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("rules/host.yml").path
        return try RuleFileLoader.load(path: path)
    }

    private func series(at m: Int64) -> [LabeledSample] {
        let t = m * minute
        let host: [String: String] = ["job": "host", "instance": "h"]
        func s(_ name: String, _ extra: [String: String], _ v: Double) -> LabeledSample {
            var d = host.merging(extra) { $1 }
            d["__name__"] = name
            return LabeledSample(Labels(d), t: t, v: v)
        }
        let gb = 1e9
        let root = ["device": "/dev/sda1", "fstype": "ext4", "mountpoint": "/"]
        let data = ["device": "/dev/sdb1", "fstype": "ext4", "mountpoint": "/data"]
        let ro = ["device": "/dev/sr0", "fstype": "iso9660", "mountpoint": "/ro"]
        var out = [
            LabeledSample(["__name__": "up", "job": "exporter", "instance": "e:9100"], t: t, v: 0),
            LabeledSample(["__name__": "up", "job": "host", "instance": "h"], t: t, v: 1),
            s("node_filesystem_avail_bytes", root, 5 * gb), s("node_filesystem_size_bytes", root, 100 * gb),
            s("node_filesystem_readonly", root, 0),
            s("node_filesystem_avail_bytes", data, 35 * gb - Double(m) * 0.2 * gb),
            s("node_filesystem_size_bytes", data, 100 * gb), s("node_filesystem_readonly", data, 0),
            s("node_filesystem_avail_bytes", ro, 1 * gb), s("node_filesystem_size_bytes", ro, 100 * gb),
            s("node_filesystem_readonly", ro, 1),
            s("node_memory_MemAvailable_bytes", [:], 0.5 * gb), s("node_memory_MemTotal_bytes", [:], 16 * gb),
            s("node_pressure_memory_stalled_seconds_total", [:], 0.2 * 60 * Double(m)),
            s("node_load5", [:], 40),
            s("node_vmstat_oom_kill", [:], m >= 118 ? 1 : 0),
            s("node_timex_offset_seconds", [:], 0.1),
        ]
        for cpu in 0..<4 {
            out.append(s("node_cpu_seconds_total", ["cpu": String(cpu), "mode": "idle"], Double(m) * 50))
        }
        return out
    }

    @Test func everyRuleFiresOnMatchingInputAndOnlyThere() throws {
        let pack = try hostPack()
        let storage = MemoryStorage()
        let engine = QueryEngine(storage: storage)
        let sender = RecordingSender()
        let mgr = RuleManager(context: .using(engine), appender: storage, sender: sender.send, logger: .disabled)
        mgr.update(groups: pack.groups)
        for m in Int64(0)...120 {
            try storage.append(series(at: m))
            mgr.evaluateAll(at: m * minute)
        }
        let json = mgr.rulesJSON()
        #expect(!json.contains("\"health\":\"err\""), "\(json)")

        let firing = mgr.activeAlerts().filter { $0.state == .firing }
        let keys = Set(firing.map { ($0.labels["alertname"]) + "/" + ($0.labels["mountpoint"]) })
        #expect(keys == [
            "TargetDown/", "HostFilesystemAlmostFull//", "HostFilesystemFillingUp//data", "HostMemoryLow/",
            "HostMemoryPressure/", "HostHighLoad/", "HostOOMKill/", "HostClockSkew/",
        ])
        let down = try #require(firing.first { $0.labels["alertname"] == "TargetDown" })
        #expect(down.labels == ["alertname": "TargetDown", "instance": "e:9100", "job": "exporter",
                                "severity": "critical"])
        #expect(down.annotations["summary"] == "Target exporter/e:9100 is down")
        let full = try #require(firing.first { $0.labels["alertname"] == "HostFilesystemAlmostFull" })
        #expect(full.annotations["description"] == "Only 5% of / (/dev/sda1) on h is available.")
        let load = try #require(firing.first { $0.labels["alertname"] == "HostHighLoad" })
        #expect(load.annotations["description"] == "The 5-minute load average is 10.00 per CPU on h.")
        #expect(!sender.batches.isEmpty)
    }
}
