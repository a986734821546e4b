import Foundation
import Glibc
import Testing
import VigilCore
@testable import VigilCollect

/// Each family against the hand-written fixture tree; expected values are worked out by hand from the fixture files.
struct HostCollectorFamilyTests {
    private func run(_ family: any HostFamilyCollector, proc: String = "proc") throws -> CollectedSamples {
        var context = HostFixtures.context(proc: proc)
        try family.collect(&context)
        return CollectedSamples(context.out.finish())
    }

    @Test func cpuSecondsByCPUAndModeDivideTicksByUserHZ() throws {
        let s = try run(CPUCollector(ticksPerSecond: 100))
        // cpu0: 100 5 100 2500 20 0 3 2 8 1 ticks at 100 Hz; the "cpu" total line is not reported.
        let cpu0: [String: Double] = [
            "user": 1, "nice": 0.05, "system": 1, "idle": 25, "iowait": 0.2, "irq": 0, "softirq": 0.03, "steal": 0.02,
        ]
        for (mode, v) in cpu0 { #expect(s.value("node_cpu_seconds_total", ["cpu": "0", "mode": mode]) == v) }
        #expect(s.value("node_cpu_seconds_total", ["cpu": "1", "mode": "user"]) == 2)
        #expect(s.value("node_cpu_seconds_total", ["cpu": "1", "mode": "steal"]) == 0.05)
        #expect(s.matching("node_cpu_seconds_total").count == 16)
        #expect(s.value("node_cpu_guest_seconds_total", ["cpu": "0", "mode": "user"]) == 0.08)
        #expect(s.value("node_cpu_guest_seconds_total", ["cpu": "0", "mode": "nice"]) == 0.01)
        #expect(s.matching("node_cpu_guest_seconds_total").count == 4)
        #expect(s.labelValues("node_cpu_seconds_total", "cpu") == ["0", "1"])
    }

    @Test func thermalThrottleCountersPerPackageAndCore() throws {
        let s = try run(CPUCollector(ticksPerSecond: 100))
        // cpu0 and cpu1 share package 0 (cpu0's package count wins); cpu2 has no topology and is skipped.
        #expect(s.matching("node_cpu_package_throttles_total").count == 1)
        #expect(s.value("node_cpu_package_throttles_total", ["package": "0"]) == 7)
        #expect(s.matching("node_cpu_core_throttles_total").count == 2)
        #expect(s.value("node_cpu_core_throttles_total", ["package": "0", "core": "0"]) == 5)
        #expect(s.value("node_cpu_core_throttles_total", ["package": "0", "core": "1"]) == 3)
    }

    @Test func isolatedCPUsFromSysfs() throws {
        let s = try run(CPUCollector(ticksPerSecond: 100))
        #expect(s.labelValues("node_cpu_isolated", "cpu") == ["2", "3", "5"])
        #expect(s.matching("node_cpu_isolated").allSatisfy { $0.v == 1 })
    }

    @Test(arguments: [("", []), ("0-2,5", [0, 1, 2, 5]), ("7\n", [7]), ("3-1", []), ("x", [])])
    func cpuLists(text: String, expected: [Int]) {
        #expect(CPUCollector.parseCPUList(text) == expected)
    }

    @Test func cpuCountersNeverGoBackwardsAndResetOnLargeIdleJump() throws {
        let cpu = CPUCollector(ticksPerSecond: 100)
        _ = try run(cpu)
        let s = try run(cpu, proc: "proc-backwards")
        // cpu0: user 100→90 ticks and idle 2500→2400 (1s back, under the 3s reset threshold): old values kept.
        #expect(s.value("node_cpu_seconds_total", ["cpu": "0", "mode": "user"]) == 1)
        #expect(s.value("node_cpu_seconds_total", ["cpu": "0", "mode": "idle"]) == 25)
        // cpu1: idle 2500→2000 ticks, 5s back: the CPU starts over with the new values.
        #expect(s.value("node_cpu_seconds_total", ["cpu": "1", "mode": "idle"]) == 20)
        #expect(s.value("node_cpu_seconds_total", ["cpu": "1", "mode": "user"]) == 2.1)
    }

    @Test func statCountersAndBootTime() throws {
        let s = try run(StatCollector())
        #expect(s.value("node_intr_total") == 12345)
        #expect(s.value("node_context_switches_total") == 67890)
        #expect(s.value("node_boot_time_seconds") == 1_700_000_000)
        #expect(s.value("node_forks_total") == 4242)
        #expect(s.value("node_procs_running") == 3)
        #expect(s.value("node_procs_blocked") == 1)
        #expect(s.samples.count == 6)
    }

    @Test func loadAverages() throws {
        let s = try run(LoadAverageCollector())
        #expect(s.value("node_load1") == 0.52)
        #expect(s.value("node_load5") == 1.25)
        #expect(s.value("node_load15") == 2)
    }

    @Test func memInfoNamesAndUnitsFollowNodeExporter() throws {
        let s = try run(MemInfoCollector())
        #expect(s.value("node_memory_MemTotal_bytes") == 1_024_000)
        #expect(s.value("node_memory_MemFree_bytes") == 512_000)
        #expect(s.value("node_memory_Active_anon_bytes") == 102_400)
        #expect(s.value("node_memory_Inactive_file_bytes") == 20_480)
        #expect(s.value("node_memory_HugePages_Total") == 4)
        #expect(s.value("node_memory_HugePages_Free") == 2)
        #expect(s.value("node_memory_Hugepagesize_bytes") == 2_097_152)
        #expect(s.samples.count == 7)
    }

    @Test(arguments: [
        ("Active(anon)", "Active_anon"), ("Inactive(file)", "Inactive_file"), ("MemTotal", "MemTotal"),
        ("Odd(a)(b)", "Odd_a)(b"),
    ])
    func memInfoKeyNormalisation(raw: String, expected: String) {
        #expect(MemInfoCollector.normalize(raw) == expected)
    }

    @Test func vmstatKeepsNodeExporterDefaultFields() throws {
        let s = try run(VMStatCollector(fields: try RE2(VMStatCollector.defaultFields)))
        let expected: [String: Double] = [
            "node_vmstat_pgpgin": 11, "node_vmstat_pgpgout": 22, "node_vmstat_pswpin": 3, "node_vmstat_pswpout": 4,
            "node_vmstat_pgfault": 555, "node_vmstat_pgmajfault": 6, "node_vmstat_oom_kill": 2,
        ]
        #expect(s.names == Set(expected.keys))
        for (name, v) in expected { #expect(s.value(name) == v) }
    }

    @Test func diskStatsScaleSectorsAndMillisecondsAndSkipPartitions() throws {
        let s = try run(DiskStatsCollector(exclude: try RE2(DiskStatsCollector.defaultExclude),
                                           udevDataPath: HostFixtures.path("udev")))
        #expect(s.labelValues("node_disk_reads_completed_total", "device") == ["vda", "sda"])
        let ms = 1.0 / 1000.0  // node_exporter multiplies ticks by this constant
        let vda: [String: Double] = [
            "node_disk_reads_completed_total": 100, "node_disk_reads_merged_total": 10,
            "node_disk_read_bytes_total": 2000 * 512, "node_disk_read_time_seconds_total": 0.5,
            "node_disk_writes_completed_total": 50, "node_disk_writes_merged_total": 5,
            "node_disk_written_bytes_total": 800 * 512, "node_disk_write_time_seconds_total": 0.25,
            "node_disk_io_now": 2, "node_disk_io_time_seconds_total": 0.3,
            "node_disk_io_time_weighted_seconds_total": 0.75, "node_disk_discards_completed_total": 7,
            "node_disk_discards_merged_total": 0, "node_disk_discarded_sectors_total": 16,
            "node_disk_discard_time_seconds_total": 30 * ms, "node_disk_flush_requests_total": 9,
            "node_disk_flush_requests_time_seconds_total": 40 * ms,
        ]
        for (name, v) in vda { #expect(s.value(name, ["device": "vda"]) == v, "\(name)") }
        // sda has only the 11 classic fields: no discard or flush series.
        #expect(s.value("node_disk_read_bytes_total", ["device": "sda"]) == 10240)
        #expect(s.value("node_disk_discards_completed_total", ["device": "sda"]) == nil)
        #expect(s.value("node_disk_flush_requests_total", ["device": "sda"]) == nil)

        let info = try #require(s.matching("node_disk_info", ["device": "vda"]).first)
        #expect(info.labels["major"] == "253" && info.labels["minor"] == "0")
        #expect(info.labels["path"] == "pci-0000:00:05.0" && info.labels["serial"] == "abc123")
        #expect(s.matching("node_disk_info", ["device": "sda", "major": "8", "minor": "0"]).count == 1)
        let sda = try #require(s.matching("node_disk_info", ["device": "sda"]).first)
        #expect(sda.labels["model"] == "Disk_Model" && sda.labels["revision"] == "1.2" && sda.labels["wwn"] == "0x5000")
        #expect(s.value("node_disk_ata_write_cache", ["device": "sda"]) == 1)
        #expect(s.value("node_disk_ata_write_cache_enabled", ["device": "sda"]) == 0)
        #expect(s.value("node_disk_ata_rotation_rate_rpm", ["device": "sda"]) == 7200)
        #expect(s.value("node_disk_ata_rotation_rate_rpm", ["device": "vda"]) == nil)
        let dm = try #require(s.matching("node_disk_device_mapper_info").first)
        #expect(dm.labels.removing(["job", "instance", "__name__"]) == [
            "device": "sda", "name": "vg0-data", "uuid": "LVM-abc", "vg_name": "vg0", "lv_name": "data",
        ])
        let fs = try #require(s.matching("node_disk_filesystem_info").first)
        #expect(fs.labels.dictionary == [
            "__name__": "node_disk_filesystem_info", "device": "vda", "type": "ext4", "usage": "filesystem",
            "uuid": "1111-2222", "version": "1.0", "job": "host", "instance": "fixture-host",
        ])
    }

    @Test func netDevColumnsWithNoHandlerFromSysfsAndLoopbackExcluded() throws {
        let s = try run(NetDevCollector(exclude: try RE2(NetDevCollector.defaultExclude)))
        let eth0: [String: Double] = [
            "receive_bytes": 12_345_678_901, "receive_packets": 200, "receive_errs": 1, "receive_drop": 2,
            "receive_fifo": 3, "receive_frame": 4, "receive_compressed": 5, "receive_multicast": 6,
            "transmit_bytes": 98765, "transmit_packets": 300, "transmit_errs": 7, "transmit_drop": 8,
            "transmit_fifo": 9, "transmit_colls": 10, "transmit_carrier": 11, "transmit_compressed": 12,
            "receive_nohandler": 13,
        ]
        for (field, v) in eth0 { #expect(s.value("node_network_\(field)_total", ["device": "eth0"]) == v, "\(field)") }
        #expect(s.labelValues("node_network_receive_bytes_total", "device") == ["eth0"])
        #expect(s.samples.count == 17)
    }

    @Test func pressureTotalsAreMicrosecondsAsSeconds() throws {
        let s = try run(PressureCollector())
        // The first two values are what node_exporter 1.5 printed for these totals on this machine.
        #expect(s.value("node_pressure_cpu_waiting_seconds_total") == 7.631912000000001)
        #expect(s.value("node_pressure_io_waiting_seconds_total") == 12.658611)
        #expect(s.value("node_pressure_io_stalled_seconds_total") == 12.250463)
        #expect(s.value("node_pressure_memory_waiting_seconds_total") == 1.5)
        #expect(s.value("node_pressure_memory_stalled_seconds_total") == 0.5)
        #expect(s.samples.count == 5)
    }

    @Test func fileFD() throws {
        let s = try run(FileFDCollector())
        #expect(s.value("node_filefd_allocated") == 717)
        #expect(s.value("node_filefd_maximum") == 2_466_300)
    }

    @Test func filesystemExclusionsDedupAndDeviceErrors() throws {
        let s = try run(FilesystemCollector(
            excludeMountPoints: try RE2(FilesystemCollector.defaultExcludeMountPoints),
            excludeFSTypes: try RE2(FilesystemCollector.defaultExcludeFSTypes)))
        // /proc, /run, /sys/..., /mnt/... and docker's overlay are excluded; the duplicate "/" counts once.
        #expect(s.labelValues("node_filesystem_device_error", "mountpoint") == ["/", "/data disk", "/srv"])
        #expect(s.value("node_filesystem_device_error", ["mountpoint": "/data disk"]) == 1)
        #expect(s.value("node_filesystem_size_bytes", ["mountpoint": "/data disk"]) == nil)
        #expect(s.value("node_filesystem_device_error", ["mountpoint": "/srv"]) == 0)
        let srv = ["mountpoint": "/srv", "device": "/dev/vdc", "fstype": "ext4"]
        #expect(s.value("node_filesystem_readonly", srv) == 1)
        #expect(s.value("node_filesystem_readonly", ["mountpoint": "/"]) == 0)
        #expect(s.matching("node_filesystem_size_bytes", ["mountpoint": "/"]).count == 1)

        var st = statvfs()
        #expect(statvfs(HostFixtures.path("rootfs/srv"), &st) == 0)
        #expect(s.value("node_filesystem_size_bytes", srv) == Double(st.f_blocks) * Double(st.f_bsize))
        #expect(s.value("node_filesystem_files", ["mountpoint": "/srv"]) == Double(st.f_files))
        for name in ["size_bytes", "free_bytes", "avail_bytes", "files", "files_free", "readonly", "device_error"] {
            #expect(s.matching("node_filesystem_\(name)", ["mountpoint": "/srv"]).count == 1, "\(name)")
        }
    }

    @Test func hungStatfsMarksTheMountStuckUntilTheCallReturns() throws {
        let calls = CallCounter()
        let usage = FilesystemCollector.Usage(blocks: 100, blocksFree: 50, blocksAvailable: 40, blockSize: 4096,
                                              files: 10, filesFree: 5)
        let family = FilesystemCollector(
            excludeMountPoints: try RE2(FilesystemCollector.defaultExcludeMountPoints),
            excludeFSTypes: try RE2(FilesystemCollector.defaultExcludeFSTypes), mountTimeout: 0.05,
            statfs: { path in
                if path.hasSuffix("/srv") && calls.next() == 1 { usleep(400_000) }
                return usage
            })
        var s = try run(family)
        #expect(s.value("node_filesystem_device_error", ["mountpoint": "/srv"]) == 1)
        #expect(s.value("node_filesystem_size_bytes", ["mountpoint": "/srv"]) == nil)
        #expect(s.value("node_filesystem_size_bytes", ["mountpoint": "/"]) == 409_600)
        #expect(family.stuckMountPoints == ["/srv"])

        s = try run(family)  // still hung: not asked again
        #expect(s.value("node_filesystem_device_error", ["mountpoint": "/srv"]) == 1)
        #expect(calls.count == 1)

        usleep(600_000)
        #expect(family.stuckMountPoints.isEmpty)
        s = try run(family)
        #expect(s.value("node_filesystem_device_error", ["mountpoint": "/srv"]) == 0)
        #expect(s.value("node_filesystem_avail_bytes", ["mountpoint": "/srv"]) == 163_840)
    }

    @Test(arguments: [
        ("/", "/host/data", "/host/data"), ("/host", "/host/data", "/data"), ("/host/", "/host", "/"),
        ("/host", "/hostile", "/hostile"),
    ])
    func rootfsPrefixIsStripped(rootfs: String, path: String, expected: String) {
        #expect(FilesystemCollector.rootfsStripPrefix(rootfs, path) == expected)
    }

    @Test func clockSourcesAndTimeZone() throws {
        let s = try run(TimeCollector())
        #expect(s.labelValues("node_time_clocksource_available_info", "clocksource") == ["tsc", "kvm-clock", "acpi_pm"])
        #expect(s.matching("node_time_clocksource_current_info", ["clocksource": "tsc", "device": "0"]).count == 1)
        let now = Double(Timestamp.nowMillis()) / 1000
        #expect(abs((s.value("node_time_seconds") ?? 0) - now) < 5)
        #expect(s.matching("node_time_zone_offset_seconds").count == 1)
    }

    @Test func osReleaseInfoAndVersion() throws {
        let s = try run(OSReleaseCollector())
        let info = try #require(s.matching("node_os_info").first)
        #expect(info.labels["id"] == "debian")
        #expect(info.labels["name"] == "Debian GNU/Linux")
        #expect(info.labels["pretty_name"] == "Debian GNU/Linux 12 (bookworm)")
        #expect(info.labels["version_codename"] == "bookworm")
        #expect(info.labels["version_id"] == "12")
        #expect(s.value("node_os_version", ["id": "debian", "name": "Debian GNU/Linux"]) == 12)
    }

    @Test(arguments: [("12", 12.0), ("22.04", 22.04), ("22.04.3", 22.04), ("rolling", 0), ("", 0), ("3.18.4", 3.18)])
    func osVersionNumber(versionID: String, expected: Double) {
        #expect(OSReleaseCollector.version(versionID) == expected)
    }

    @Test func timexScalingFollowsNodeExporter() {
        // The reading this machine's kernel gave (unsynchronised clock, microsecond resolution) plus hand-picked
        // frequency and nanosecond cases.
        var r = TimexCollector.Reading()
        r.state = 5
        r.maxerror = 16_000_000
        r.esterror = 16_000_000
        r.status = 64
        r.constant = 2
        r.tick = 10000
        r.freq = 65536 * 3
        r.offset = 1500
        var s = Dictionary(uniqueKeysWithValues: TimexCollector.samples(r))
        #expect(s["node_timex_sync_status"] == 0)
        #expect(s["node_timex_maxerror_seconds"] == 16)
        #expect(s["node_timex_estimated_error_seconds"] == 16)
        #expect(s["node_timex_status"] == 64)
        #expect(s["node_timex_loop_time_constant"] == 2)
        #expect(s["node_timex_tick_seconds"] == 0.01)
        #expect(s["node_timex_frequency_adjustment_ratio"] == 1.000003)
        #expect(s["node_timex_offset_seconds"] == 0.0015)
        #expect(s.count == 17)

        r.state = 0
        r.status = 0x2000  // STA_NANO: offset in nanoseconds
        s = Dictionary(uniqueKeysWithValues: TimexCollector.samples(r))
        #expect(s["node_timex_sync_status"] == 1)
        #expect(s["node_timex_offset_seconds"] == 0.0000015)
    }

    @Test func timexReadsTheKernelClock() throws {
        let r = try TimexCollector().read()
        #expect(r.tick > 0)
    }
}

/// Counts calls across threads.
final class CallCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func next() -> Int { lock.withLock { n += 1; return n } }
    var count: Int { lock.withLock { n } }
}
