import Foundation
import Glibc
import Testing
import VigilCore
@testable import VigilCollect

/// Vigil's host collector against Debian's real `prometheus-node-exporter` (1.5) on this machine at the same moment.
@Suite(.serialized)
struct HostNodeExporterPeerTests {
    static let binary = "/usr/bin/prometheus-node-exporter"
    static let available = FileManager.default.isExecutableFile(atPath: binary)

    /// The metric names of the node_exporter collectors Vigil reimplements (cpu, loadavg, meminfo, filesystem,
    /// diskstats, netdev, pressure, vmstat, timex, stat, filefd, time, uname, os). Other default collectors share
    /// some prefixes (cpufreq's `node_cpu_frequency_*`, netclass's `node_network_transmit_queue_length`), hence
    /// the exact list.
    static let families = try! RE2.anchored(
        "node_(cpu_seconds_total|cpu_guest_seconds_total|cpu_(core|package)_throttles_total|cpu_isolated"
            + "|load(1|5|15)|memory_.*|filesystem_.*|disk_.*|network_(receive|transmit)_.*_total|pressure_.*"
            + "|vmstat_.*|timex_.*|boot_time_seconds"
            + "|context_switches_total|intr_total|forks_total|procs_(running|blocked)|filefd_.*|time_.*|uname_info"
            + "|os_.*)")

    /// Series sets that follow the machine's devices and mounts; they must agree between two exporter pages taken
    /// around Vigil's cycle, otherwise the comparison is retried.
    static let volatile = ["node_filesystem_size_bytes", "node_network_receive_bytes_total",
                           "node_disk_reads_completed_total"]

    @Test(.enabled(if: available, "needs Debian's prometheus-node-exporter at /usr/bin"))
    func sameSeriesAndConstantsAsNodeExporter() throws {
        let exporter = try NodeExporterProcess()
        defer { exporter.stop() }
        let collector = try HostCollector(configuration: HostCollector.Configuration(), logger: .disabled)

        var before: [PeerSeries] = []
        var ours = CollectedSamples([])
        for attempt in 1...5 {
            before = try exporter.scrape()
            ours = CollectedSamples(collector.collect(at: Timestamp.nowMillis()))
            let after = try exporter.scrape()
            let stable = Self.volatile.allSatisfy { name in
                let a = Set(before.filter { $0.name == name }.map(\.labels))
                return a == Set(after.filter { $0.name == name }.map(\.labels))
            }
            if stable { break }
            if attempt == 5 { Issue.record("mounts or devices kept changing during the comparison") }
        }
        let theirs = before.filter { Self.families.fullMatch($0.name) }

        // Constants.
        #expect(ours.value("node_memory_MemTotal_bytes") == theirs.value("node_memory_MemTotal_bytes"))
        #expect(ours.value("node_boot_time_seconds") == theirs.value("node_boot_time_seconds"))
        #expect(ours.value("node_filefd_maximum") == theirs.value("node_filefd_maximum"))
        #expect(ours.value("node_memory_HugePages_Total") == theirs.value("node_memory_HugePages_Total"))
        for name in ["node_timex_tick_seconds", "node_timex_loop_time_constant", "node_timex_tai_offset_seconds",
                     "node_timex_sync_status", "node_timex_status", "node_memory_SwapTotal_bytes",
                     "node_memory_Hugepagesize_bytes"]
        {
            #expect(ours.value(name) == theirs.value(name), "\(name)")
        }
        for s in theirs where ["node_os_version", "node_time_zone_offset_seconds"].contains(s.name) {
            #expect(ours.value(s.name, s.labels) == s.value, "\(s.name)")
        }
        let theirSizes = theirs.filter { $0.name == "node_filesystem_size_bytes" }
        #expect(!theirSizes.isEmpty)
        for s in theirSizes {
            #expect(ours.value("node_filesystem_size_bytes", s.labels) == s.value, "\(s.labels)")
            #expect(ours.value("node_filesystem_files", s.labels) == theirs.value("node_filesystem_files", s.labels))
        }

        // Label sets: cpu/mode pairs, devices, mounts, uname, os-release, clock sources, time zone — everything.
        let theirNames = Set(theirs.map(\.name))
        let ourNames = Set(ours.samples.map(\.labels.metricName).filter { Self.families.fullMatch($0) })
        let missing = theirNames.subtracting(ourNames).sorted()
        let extra = ourNames.subtracting(theirNames).sorted()
        #expect(missing.isEmpty, "missing in Vigil: \(missing)")
        #expect(extra.isEmpty, "not in node_exporter: \(extra)")
        for name in theirNames.sorted() {
            let theirSets = Set(theirs.filter { $0.name == name }.map(\.labels))
            let ourSets = Set(ours.matching(name).map { Self.peerLabels($0.labels) })
            let detail = "\(name): node_exporter \(theirSets.map { "\($0)" }.sorted()) "
                + "vigil \(ourSets.map { "\($0)" }.sorted())"
            #expect(theirSets == ourSets, Comment(rawValue: detail))
        }
        #expect(theirNames.count > 80, "\(theirNames.count) names compared")
        #expect(theirNames.contains("node_vmstat_oom_kill"))
        #expect(theirNames.contains("node_cpu_seconds_total"))
    }

    @Test(.enabled(if: available, "needs Debian's prometheus-node-exporter at /usr/bin"))
    func countersAgreeWithinACycle() throws {
        let exporter = try NodeExporterProcess()
        defer { exporter.stop() }
        let collector = try HostCollector(configuration: HostCollector.Configuration(), logger: .disabled)
        let before = try exporter.scrape()
        let ours = CollectedSamples(collector.collect(at: Timestamp.nowMillis()))
        let after = try exporter.scrape()
        // A counter read between two exporter pages lies between their values.
        for name in ["node_cpu_seconds_total", "node_context_switches_total", "node_forks_total",
                     "node_network_receive_bytes_total", "node_disk_reads_completed_total", "node_intr_total",
                     "node_disk_read_bytes_total", "node_disk_io_time_weighted_seconds_total",
                     "node_pressure_cpu_waiting_seconds_total", "node_pressure_io_waiting_seconds_total",
                     "node_pressure_io_stalled_seconds_total", "node_vmstat_pgfault", "node_vmstat_pgpgin"]
        {
            for s in before where s.name == name {
                guard let hi = after.value(name, s.labels), let v = ours.value(name, s.labels) else {
                    Issue.record("\(name)\(s.labels) missing")
                    continue
                }
                #expect(v >= s.value && v <= hi, "\(name)\(s.labels): \(s.value) ≤ \(v) ≤ \(hi)")
            }
        }
    }

    /// A Vigil label set as node_exporter's page shows it: without `__name__`, `job` and `instance`.
    static func peerLabels(_ labels: Labels) -> [String: String] {
        var d = labels.dictionary
        d.removeValue(forKey: "__name__")
        d.removeValue(forKey: "job")
        d.removeValue(forKey: "instance")
        return d
    }
}

/// One sample line of an exporter page; empty label values are dropped, as Prometheus drops them on ingestion.
struct PeerSeries {
    var name: String
    var labels: [String: String]
    var value: Double
}

extension [PeerSeries] {
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        first { $0.name == name && $0.labels == labels }?.value
    }
}

/// Runs the exporter on a free loopback port for one test.
final class NodeExporterProcess {
    let port: UInt16
    private let process = Process()

    init() throws {
        port = try Self.freePort()
        process.executableURL = URL(fileURLWithPath: HostNodeExporterPeerTests.binary)
        process.arguments = ["--web.listen-address=127.0.0.1:\(port)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if (try? scrape()) != nil { return }
            usleep(50_000)
        }
        stop()
        throw PeerError.notReady
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    enum PeerError: Error { case notReady, connect, badResponse(String) }

    func scrape() throws -> [PeerSeries] {
        let body = try Self.get(port: port, path: "/metrics")
        return Self.parse(body)
    }

    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sp in
                bind(fd, sp, len) == 0 && getsockname(fd, sp, &len) == 0
            }
        }
        guard ok else { throw PeerError.connect }
        return UInt16(bigEndian: addr.sin_port)
    }

    /// A plain HTTP/1.0 GET over a loopback socket; returns the body.
    static func get(port: UInt16, path: String) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = port.bigEndian
        let rc = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else { throw PeerError.connect }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/plain\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == request.count else {
            throw PeerError.connect
        }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            response.append(contentsOf: chunk[0..<n])
        }
        let text = String(decoding: response, as: UTF8.self)
        guard text.hasPrefix("HTTP/1.") && text.contains(" 200 "), let split = text.range(of: "\r\n\r\n") else {
            throw PeerError.badResponse(String(text.prefix(200)))
        }
        return String(text[split.upperBound...])
    }

    /// Parses the sample lines of a Prometheus text page (enough for node_exporter's output).
    static func parse(_ page: String) -> [PeerSeries] {
        var out: [PeerSeries] = []
        for line in page.split(separator: "\n") where !line.hasPrefix("#") {
            let chars = Array(line)
            var i = 0
            while i < chars.count && chars[i] != "{" && chars[i] != " " { i += 1 }
            let name = String(chars[0..<i])
            var labels: [String: String] = [:]
            if i < chars.count && chars[i] == "{" {
                i += 1
                while i < chars.count && chars[i] != "}" {
                    var key = ""
                    while chars[i] != "=" { key.append(chars[i]); i += 1 }
                    i += 2  // ="
                    var value = ""
                    while chars[i] != "\"" {
                        if chars[i] == "\\" {
                            i += 1
                            value.append(chars[i] == "n" ? "\n" : chars[i])
                        } else {
                            value.append(chars[i])
                        }
                        i += 1
                    }
                    i += 1
                    if i < chars.count && chars[i] == "," { i += 1 }
                    if !value.isEmpty { labels[key] = value }
                }
                i += 1
            }
            let rest = String(chars[i...]).split(separator: " ")
            guard let first = rest.first, let v = Double(first) else { continue }
            out.append(PeerSeries(name: name, labels: labels, value: v))
        }
        return out
    }
}
