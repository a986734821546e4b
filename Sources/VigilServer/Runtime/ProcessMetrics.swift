import Foundation
import VigilCore

/// The standard `process_*` metrics, read from `/proc/self` on each scrape.
enum ProcessMetrics {
    /// Registers the collectors on `registry`.
    static func register(on registry: MetricsRegistry) {
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let page = Double(sysconf(Int32(_SC_PAGESIZE)))
        registry.collect("process_cpu_seconds_total", .counter,
                         help: "Total user and system CPU time spent in seconds.") {
            guard let f = stat() else { return [] }
            return [(Labels(), (f[11] + f[12]) / ticks)]
        }
        registry.collect("process_resident_memory_bytes", .gauge, help: "Resident memory size in bytes.") {
            guard let f = stat() else { return [] }
            return [(Labels(), f[21] * page)]
        }
        registry.collect("process_virtual_memory_bytes", .gauge, help: "Virtual memory size in bytes.") {
            guard let f = stat() else { return [] }
            return [(Labels(), f[20])]
        }
        registry.collect("process_start_time_seconds", .gauge,
                         help: "Start time of the process since unix epoch in seconds.") {
            guard let f = stat(), let boot = bootTime() else { return [] }
            return [(Labels(), boot + f[19] / ticks)]
        }
        registry.collect("process_open_fds", .gauge, help: "Number of open file descriptors.") {
            let n = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
            return [(Labels(), Double(n))]
        }
        registry.collect("process_max_fds", .gauge, help: "Maximum number of open file descriptors.") {
            var limit = rlimit()
            guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return [] }
            return [(Labels(), Double(limit.rlim_cur))]
        }
    }

    /// The numeric fields of `/proc/self/stat` after the command name, indexed from field 3 (`state`) = 0.
    static func stat() -> [Double]? {
        guard let text = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let rest = text[text.index(after: close)...].split(separator: " ")
        return rest.map { Double($0) ?? 0 }
    }

    static func bootTime() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }
}
