import VigilCore

/// `node_disk_*{device}` from `/proc/diskstats`, as node_exporter 1.5's diskstats collector, with `node_disk_info`,
/// `node_disk_filesystem_info`, `node_disk_device_mapper_info` and `node_disk_ata_*` from udev's database when it
/// has a record of the device.
final class DiskStatsCollector: HostFamilyCollector {
    let name = "diskstats"
    private let exclude: RE2?
    private let udevDataPath: String
    private var decisions: [String: Bool] = [:]

    /// node_exporter's (Debian 1.5) default `--collector.diskstats.device-exclude`.
    static let defaultExclude = #"^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$"#
    /// Sectors in /proc/diskstats are always 512 bytes (Documentation/block/stat.rst).
    private static let sectorSize = 512.0
    /// node_exporter multiplies milliseconds by this constant (not a division), so the floats are bit-identical.
    private static let secondsPerTick = 1.0 / 1000.0

    /// Metric name and scale for each counter after major, minor and name; fields 12–15 need 18 columns, 16–17
    /// need 20 (kernels 4.18 and 5.5).
    private static let metrics: [(String, Double)] = [
        ("node_disk_reads_completed_total", 1), ("node_disk_reads_merged_total", 1),
        ("node_disk_read_bytes_total", sectorSize), ("node_disk_read_time_seconds_total", secondsPerTick),
        ("node_disk_writes_completed_total", 1), ("node_disk_writes_merged_total", 1),
        ("node_disk_written_bytes_total", sectorSize), ("node_disk_write_time_seconds_total", secondsPerTick),
        ("node_disk_io_now", 1), ("node_disk_io_time_seconds_total", secondsPerTick),
        ("node_disk_io_time_weighted_seconds_total", secondsPerTick),
        ("node_disk_discards_completed_total", 1), ("node_disk_discards_merged_total", 1),
        ("node_disk_discarded_sectors_total", 1), ("node_disk_discard_time_seconds_total", secondsPerTick),
        ("node_disk_flush_requests_total", 1), ("node_disk_flush_requests_time_seconds_total", secondsPerTick),
    ]

    init(exclude: RE2?, udevDataPath: String = "/run/udev/data") {
        self.exclude = exclude
        self.udevDataPath = udevDataPath
    }

    func collect(_ context: inout HostCollectContext) throws(HostCollectorError) {
        let path = context.proc("diskstats")
        let bytes = try context.reader.read(path)
        var devices: [(name: String, major: String, minor: String, values: [UInt64])] = []
        var lineNumber = 0
        for line in ByteLines(bytes) {
            lineNumber += 1
            let fields = ProcBytes.fields(line)
            if fields.isEmpty { continue }
            guard fields.count >= 14 else {
                throw .malformed(path: path, line: lineNumber,
                                 reason: "too few fields in \"\(ProcBytes.string(line))\"")
            }
            let device = ProcBytes.string(fields[2])
            if excluded(device) { continue }
            // Columns beyond those node_exporter knows (20 in all) are ignored; 15–17 stats only count when complete.
            let usable = fields.count >= 20 ? 17 : fields.count >= 18 ? 15 : 11
            var values: [UInt64] = []
            values.reserveCapacity(usable)
            for field in fields[3..<(3 + usable)] {
                guard let v = ProcBytes.uint(field) else {
                    throw .malformed(path: path, line: lineNumber, reason: "bad counter \"\(ProcBytes.string(field))\"")
                }
                values.append(v)
            }
            devices.append((device, ProcBytes.string(fields[0]), ProcBytes.string(fields[1]), values))
        }
        for d in devices {
            let udev = udevProperties(&context.reader, major: d.major, minor: d.minor)
            context.out.add("node_disk_info", [
                ("device", d.name), ("major", d.major), ("minor", d.minor),
                ("path", udev["ID_PATH"] ?? ""), ("wwn", udev["ID_WWN"] ?? ""), ("model", udev["ID_MODEL"] ?? ""),
                ("serial", udev["ID_SERIAL_SHORT"] ?? ""), ("revision", udev["ID_REVISION"] ?? ""),
            ], 1)
            for (i, v) in d.values.enumerated() {
                let (metric, scale) = DiskStatsCollector.metrics[i]
                context.out.add(metric, [("device", d.name)], scale == 1 ? Double(v) : Double(v) * scale)
            }
            if let fsType = udev["ID_FS_TYPE"], !fsType.isEmpty {
                context.out.add("node_disk_filesystem_info", [
                    ("device", d.name), ("type", fsType), ("usage", udev["ID_FS_USAGE"] ?? ""),
                    ("uuid", udev["ID_FS_UUID"] ?? ""), ("version", udev["ID_FS_VERSION"] ?? ""),
                ], 1)
            }
            if let dmName = udev["DM_NAME"], !dmName.isEmpty {
                context.out.add("node_disk_device_mapper_info", [
                    ("device", d.name), ("name", dmName), ("uuid", udev["DM_UUID"] ?? ""),
                    ("vg_name", udev["DM_VG_NAME"] ?? ""), ("lv_name", udev["DM_LV_NAME"] ?? ""),
                    ("lv_layer", udev["DM_LV_LAYER"] ?? ""),
                ], 1)
            }
            if let ata = udev["ID_ATA"], !ata.isEmpty {
                for (key, metric) in DiskStatsCollector.ataMetrics {
                    guard let text = udev[key], let v = ProcBytes.double(ArraySlice(text.utf8)) else { continue }
                    context.out.add(metric, [("device", d.name)], v)
                }
            }
        }
    }

    /// udev ATA properties and the gauges node_exporter makes of them.
    private static let ataMetrics = [
        ("ID_ATA_WRITE_CACHE", "node_disk_ata_write_cache"),
        ("ID_ATA_WRITE_CACHE_ENABLED", "node_disk_ata_write_cache_enabled"),
        ("ID_ATA_ROTATION_RATE_RPM", "node_disk_ata_rotation_rate_rpm"),
    ]

    /// The `E:KEY=value` properties of udev's record for block device `major:minor`; empty when there is none.
    private func udevProperties(_ reader: inout ProcFileReader, major: String, minor: String) -> [String: String] {
        let path = HostCollectContext.join(udevDataPath, "b\(major):\(minor)")
        guard let bytes = try? reader.read(path) else { return [:] }
        var out: [String: String] = [:]
        for line in ByteLines(bytes) where ProcBytes.hasPrefix(line, "E:") {
            let body = line.dropFirst(2)
            guard let eq = body.firstIndex(of: UInt8(ascii: "=")) else { continue }
            out[ProcBytes.string(body[body.startIndex..<eq])] = ProcBytes.string(body[(eq + 1)...])
        }
        return out
    }

    private func excluded(_ device: String) -> Bool {
        guard let exclude else { return false }
        if let d = decisions[device] { return d }
        let d = exclude.partialMatch(device)
        if decisions.count > 4096 { decisions.removeAll() }
        decisions[device] = d
        return d
    }
}
