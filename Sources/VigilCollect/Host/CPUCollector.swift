import Glibc

/// `node_cpu_seconds_total{cpu,mode}` and `node_cpu_guest_seconds_total{cpu,mode}` from `/proc/stat`, and the
/// thermal throttle counters of sysfs (`node_cpu_core_throttles_total{package,core}`,
/// `node_cpu_package_throttles_total{package}`) where the CPU has them, and `node_cpu_isolated{cpu}` for the CPUs
/// of `/sys/devices/system/cpu/isolated` (read once, as node_exporter reads it at start).
///
/// As node_exporter 1.5 does, a counter that goes backwards keeps its previous value, and a CPU whose idle time
/// jumps back by 3 seconds or more (a hotplug) starts over.
final class CPUCollector: HostFamilyCollector {
    let name = "cpu"
    let guest: Bool
    private let ticksPerSecond: Double
    private var last: [Int: [Double]] = [:]
    private var cpuLabels: [Int: String] = [:]
    private var isolated: [String]?

    static let modes = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"]
    private static let jumpBackSeconds = 3.0

    init(guest: Bool = true, ticksPerSecond: Double? = nil) {
        self.guest = guest
        let hz = sysconf(Int32(_SC_CLK_TCK))
        self.ticksPerSecond = ticksPerSecond ?? Double(hz > 0 ? hz : 100)
    }

    func collect(_ context: inout HostCollectContext) throws(HostCollectorError) {
        let path = context.proc("stat")
        let bytes = try context.reader.read(path)
        var seen: Set<Int> = []
        var lineNumber = 0
        for line in ByteLines(bytes) {
            lineNumber += 1
            guard ProcBytes.hasPrefix(line, "cpu") else { continue }
            let fields = ProcBytes.fields(line)
            guard let first = fields.first, first.count > 3 else { continue }  // the "cpu" total line
            guard let cpu = ProcBytes.uint(first.dropFirst(3)), fields.count >= 5 else {
                throw .malformed(path: path, line: lineNumber, reason: "bad cpu line \"\(ProcBytes.string(line))\"")
            }
            var values = [Double](repeating: 0, count: 10)
            for i in 1..<min(fields.count, 11) {
                guard let ticks = ProcBytes.uint(fields[i]) else {
                    let bad = ProcBytes.string(fields[i])
                    throw .malformed(path: path, line: lineNumber, reason: "bad counter \"\(bad)\"")
                }
                values[i - 1] = Double(ticks) / ticksPerSecond
            }
            let id = Int(cpu)
            seen.insert(id)
            let kept = guarded(id, values)
            let label = cpuLabel(id)
            for (i, mode) in CPUCollector.modes.enumerated() {
                context.out.add("node_cpu_seconds_total", [("cpu", label), ("mode", mode)], kept[i])
            }
            if guest {
                context.out.add("node_cpu_guest_seconds_total", [("cpu", label), ("mode", "user")], kept[8])
                context.out.add("node_cpu_guest_seconds_total", [("cpu", label), ("mode", "nice")], kept[9])
            }
        }
        if seen.count != last.count { last = last.filter { seen.contains($0.key) } }
        collectThermalThrottles(&context)
        if isolated == nil {
            let list = (try? context.reader.readLine(context.sys("devices/system/cpu/isolated"))) ?? ""
            isolated = CPUCollector.parseCPUList(list).map(String.init)
        }
        for cpu in isolated ?? [] { context.out.add("node_cpu_isolated", [("cpu", cpu)], 1) }
    }

    /// The CPUs of a kernel CPU list such as `0-2,5`; an unparsable list gives none.
    static func parseCPUList(_ text: String) -> [Int] {
        var out: [Int] = []
        for part in text.trimmingSpaces().split(separator: ",") {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            if bounds.count == 1, let v = Int(bounds[0]) {
                out.append(v)
            } else if bounds.count == 2, let lo = Int(bounds[0]), let hi = Int(bounds[1]), lo <= hi {
                out.append(contentsOf: lo...hi)
            } else {
                return []
            }
        }
        return out
    }

    /// node_exporter's `updateThermalThrottle`: per package and per core, each counter read from the first CPU
    /// (in name order) that belongs to it.
    private func collectThermalThrottles(_ context: inout HostCollectContext) {
        let base = context.sys("devices/system/cpu")
        var packages: [(String, UInt64?)] = []
        var cores: [(String, String, UInt64?)] = []
        for cpu in CPUCollector.cpuDirectories(base) {
            let dir = base + "/" + cpu
            guard let package = try? context.reader.readLine(dir + "/topology/physical_package_id").trimmingSpaces(),
                  UInt64(package) != nil,
                  let core = try? context.reader.readLine(dir + "/topology/core_id").trimmingSpaces(),
                  UInt64(core) != nil
            else { continue }
            if !cores.contains(where: { $0.0 == package && $0.1 == core }) {
                let count = try? context.reader.readLine(dir + "/thermal_throttle/core_throttle_count")
                cores.append((package, core, count.flatMap { UInt64($0.trimmingSpaces()) }))
            }
            if !packages.contains(where: { $0.0 == package }) {
                let count = try? context.reader.readLine(dir + "/thermal_throttle/package_throttle_count")
                packages.append((package, count.flatMap { UInt64($0.trimmingSpaces()) }))
            }
        }
        for (package, count) in packages {
            guard let count else { continue }
            context.out.add("node_cpu_package_throttles_total", [("package", package)], Double(count))
        }
        for (package, core, count) in cores {
            guard let count else { continue }
            context.out.add("node_cpu_core_throttles_total", [("package", package), ("core", core)], Double(count))
        }
    }

    /// The `cpu<N>` entries of `base`, sorted by name as Go's `filepath.Glob` returns them.
    static func cpuDirectories(_ base: String) -> [String] {
        guard let dir = opendir(base) else { return [] }
        defer { closedir(dir) }
        var out: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard name.hasPrefix("cpu"), let first = name.utf8.dropFirst(3).first, first >= 0x30 && first <= 0x39
            else { continue }
            out.append(name)
        }
        return out.sorted()
    }

    /// Applies the never-backwards rule and remembers the result.
    private func guarded(_ cpu: Int, _ values: [Double]) -> [Double] {
        var previous = last[cpu] ?? [Double](repeating: 0, count: values.count)
        if previous[3] - values[3] >= CPUCollector.jumpBackSeconds {
            previous = [Double](repeating: 0, count: values.count)
        }
        for i in values.indices where values[i] >= previous[i] { previous[i] = values[i] }
        last[cpu] = previous
        return previous
    }

    private func cpuLabel(_ cpu: Int) -> String {
        if let s = cpuLabels[cpu] { return s }
        let s = String(cpu)
        cpuLabels[cpu] = s
        return s
    }
}
