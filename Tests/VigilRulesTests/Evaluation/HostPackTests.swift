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

    /// Runs a promtool unit test over the pack with Vigil and, where installed, with promtool itself.
    @Test func packPassesTheSameUnitTestAsPromtool() throws {
        let packPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("rules/host.yml").path
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-host-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: packPath, toPath: dir + "/host.yml")
        try hostUnitTest.write(toFile: dir + "/test.yml", atomically: true, encoding: .utf8)
        let r = RuleUnitTester.run(files: [dir + "/test.yml"])
        #expect(r.ok, "\(r.output)")

        let promtool = "/usr/bin/promtool"
        guard FileManager.default.isExecutableFile(atPath: promtool) else { return }
        for args in [["check", "rules", dir + "/host.yml"], ["test", "rules", dir + "/test.yml"]] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: promtool)
            p.arguments = args
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "promtool \(args.joined(separator: " "))")
        }
    }
}

private let hostUnitTest = """
rule_files: [host.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'up{job="exporter", instance="e:9100"}'
        values: '1 1 0 0 0 0 0'
      - series: 'node_vmstat_oom_kill{job="host", instance="h"}'
        values: '0 0 0 1 1 1 1'
      - series: 'node_memory_MemAvailable_bytes{job="host", instance="h"}'
        values: '500000000x10'
      - series: 'node_memory_MemTotal_bytes{job="host", instance="h"}'
        values: '16000000000x10'
    alert_rule_test:
      - eval_time: 2m
        alertname: TargetDown
      - eval_time: 3m
        alertname: TargetDown
        exp_alerts:
          - exp_labels: {severity: critical, job: exporter, instance: "e:9100"}
            exp_annotations:
              summary: "Target exporter/e:9100 is down"
              description: "e:9100 of job exporter has not answered scrapes for at least a minute."
              runbook: "Check that the exporter process runs and listens (`ss -ltnp`), and look at the scrape error in /api/v1/targets."
      - eval_time: 4m
        alertname: HostOOMKill
        exp_alerts:
          - exp_labels: {severity: warning, job: host, instance: h}
            exp_annotations:
              summary: "The OOM killer ran on h"
              description: "1 processes were killed for lack of memory on h in the last 5 minutes."
              runbook: "Read `journalctl -k | grep -i -A5 'killed process'` to see which process died and why; set memory limits or add memory."
      - eval_time: 5m
        alertname: HostMemoryLow
        exp_alerts:
          - exp_labels: {severity: warning, job: host, instance: h}
            exp_annotations:
              summary: "Memory on h is almost exhausted"
              description: "Only 3.125% of memory is available on h."
              runbook: "List the largest processes with `ps aux --sort=-rss | head`; restart or limit the offender, or add memory before the OOM killer acts."
"""
