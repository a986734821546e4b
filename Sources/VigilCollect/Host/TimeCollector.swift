import Glibc

/// `node_time_seconds`, `node_time_zone_offset_seconds{time_zone}` and the clock sources of sysfs
/// (`node_time_clocksource_available_info`, `node_time_clocksource_current_info`), as node_exporter's time collector.
final class TimeCollector: HostFamilyCollector {
    let name = "time"

    func collect(_ context: inout HostCollectContext) throws(HostCollectorError) {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        context.out.add("node_time_seconds", Double(Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)) / 1e9)

        var now = ts.tv_sec
        var local = tm()
        if localtime_r(&now, &local) != nil {
            let zone = local.tm_zone.map { String(cString: $0) } ?? "UTC"
            context.out.add("node_time_zone_offset_seconds", [("time_zone", zone)], Double(local.tm_gmtoff))
        }

        for (device, path) in clockSourceDirectories(context.sys("devices/system/clocksource")) {
            if let available = try? context.reader.readLine(path + "/available_clocksource") {
                for source in available.split(separator: " ") where !source.isEmpty {
                    context.out.add("node_time_clocksource_available_info",
                                    [("clocksource", String(source)), ("device", device)], 1)
                }
            }
            if let current = try? context.reader.readLine(path + "/current_clocksource") {
                let source = current.trimmingSpaces()
                if !source.isEmpty {
                    context.out.add("node_time_clocksource_current_info",
                                    [("clocksource", source), ("device", device)], 1)
                }
            }
        }
    }

    /// `clocksource<N>` directories below `base`, as (N, path), sorted by N.
    private func clockSourceDirectories(_ base: String) -> [(String, String)] {
        guard let dir = opendir(base) else { return [] }
        defer { closedir(dir) }
        var out: [(String, String)] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard name.hasPrefix("clocksource") else { continue }
            let number = name.dropFirst("clocksource".count)
            guard !number.isEmpty, number.allSatisfy(\.isASCII), Int(number) != nil else { continue }
            out.append((String(number), base + "/" + name))
        }
        return out.sorted { (Int($0.0) ?? 0) < (Int($1.0) ?? 0) }
    }
}

extension String {
    /// The string without leading and trailing blanks and newlines.
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !" \t\n\r".unicodeScalars.contains($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !" \t\n\r".unicodeScalars.contains($0) })!
        return String(scalars[first...last])
    }
}
