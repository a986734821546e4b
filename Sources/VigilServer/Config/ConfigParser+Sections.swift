import VigilCore
import VigilStorage

extension ConfigParser {
    /// `storage`, where each Vigil key has a Prometheus alias under `tsdb`; setting both is an error.
    mutating func storage(_ node: YAMLNode) throws(ConfigError) -> StorageConfiguration {
        var s = StorageConfiguration()
        var seen: [String: (String, SourceMark)] = [:]
        let file = reader.file
        func claim(_ setting: String, _ spelled: String, _ mark: SourceMark) throws(ConfigError) {
            if let (other, _) = seen[setting] {
                throw ConfigError(file: file, mark: mark,
                                  message: "storage: \(spelled) and \(other) set the same thing; set only one")
            }
            seen[setting] = (spelled, mark)
        }
        for e in try reader.mapping(node, "storage", allowed: ConfigKeys.storage) {
            switch e.key {
            case "retention":
                try claim("retention", "storage.retention", e.keyMark)
                s.retention = try positive(e.value, "storage.retention")
            case "retention_size":
                try claim("retention_size", "storage.retention_size", e.keyMark)
                s.retentionSize = try bytes(e.value, "storage.retention_size")
            case "wal_sync":
                s.walSync = try walSync(e.value)
            case "out_of_order_window":
                try claim("ooo", "storage.out_of_order_window", e.keyMark)
                s.outOfOrderWindow = try reader.duration(e.value, "storage.out_of_order_window")
            case "downsample":
                s.downsample = try downsample(e.value)
            case "exemplars":
                for x in try reader.mapping(e.value, "storage.exemplars", allowed: ConfigKeys.exemplars) {
                    s.maxExemplars = try reader.int(x.value, "storage.exemplars.max_exemplars")
                }
                warn(e.keyMark, "storage.exemplars is not supported yet; ignored")
            default:
                try tsdb(e.value, &s, claim)
            }
        }
        return s
    }

    private mutating func tsdb(_ node: YAMLNode, _ s: inout StorageConfiguration,
                               _ claim: (String, String, SourceMark) throws(ConfigError) -> Void) throws(ConfigError) {
        for t in try reader.mapping(node, "storage.tsdb", allowed: ConfigKeys.tsdb) {
            switch t.key {
            case "out_of_order_time_window":
                try claim("ooo", "storage.tsdb.out_of_order_time_window", t.keyMark)
                s.outOfOrderWindow = try reader.duration(t.value, "storage.tsdb.out_of_order_time_window")
            case "out_of_order_cap":
                _ = try reader.int(t.value, "storage.tsdb.out_of_order_cap")
                warn(t.keyMark, "storage.tsdb.out_of_order_cap is not supported yet; ignored")
            default:
                for r in try reader.mapping(t.value, "storage.tsdb.retention", allowed: ConfigKeys.tsdbRetention) {
                    if r.key == "time" {
                        try claim("retention", "storage.tsdb.retention.time", r.keyMark)
                        s.retention = try positive(r.value, "storage.tsdb.retention.time")
                    } else {
                        try claim("retention_size", "storage.tsdb.retention.size", r.keyMark)
                        s.retentionSize = try bytes(r.value, "storage.tsdb.retention.size")
                    }
                }
            }
        }
    }

    /// A size like Prometheus's `512MB` (B, KB, MB, GB, TB, PB, EB; powers of 1024) in bytes.
    func bytes(_ node: YAMLNode, _ what: String) throws(ConfigError) -> Int64 {
        let text = try reader.string(node, what)
        let units: [(String, Int64)] = [("EB", 1 << 60), ("PB", 1 << 50), ("TB", 1 << 40), ("GB", 1 << 30),
                                        ("MB", 1 << 20), ("KB", 1 << 10), ("B", 1)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            if let n = Int64(text.dropLast(suffix.count)), n >= 0 { return n * scale }
        }
        throw reader.error(
            node, "\(what): not a valid size: \"\(text)\" (use a number with B, KB, MB, GB, TB, PB or EB)")
    }

    /// `storage.wal_sync`: `always` or a duration.
    func walSync(_ node: YAMLNode) throws(ConfigError) -> WALSyncMode {
        if node.scalar == "always" { return .always }
        let ms = try reader.duration(node, "storage.wal_sync")
        guard ms > 0 else { throw reader.error(node, "storage.wal_sync: must be \"always\" or a positive duration") }
        return .interval(ms)
    }

    /// `storage.downsample`: a list of `{resolution, retention}`, or `false` for none.
    func downsample(_ node: YAMLNode) throws(ConfigError) -> [DownsampleLevel] {
        if node.scalar == "false" { return [] }
        var out: [DownsampleLevel] = []
        for item in try reader.sequence(node, "storage.downsample") {
            var level = DownsampleLevel(resolution: 0, retention: 0)
            for e in try reader.mapping(item, "storage.downsample", allowed: ["resolution", "retention"]) {
                let v = try positive(e.value, "storage.downsample.\(e.key)")
                if e.key == "resolution" { level.resolution = v } else { level.retention = v }
            }
            guard level.resolution > 0, level.retention > 0 else {
                throw reader.error(item, "storage.downsample: each level needs resolution and retention")
            }
            out.append(level)
        }
        return out.sorted { $0.resolution < $1.resolution }
    }

    /// `query`.
    func query(_ node: YAMLNode) throws(ConfigError) -> QueryConfiguration {
        var q = QueryConfiguration()
        for e in try reader.mapping(node, "query", allowed: ConfigKeys.query) {
            switch e.key {
            case "max_samples":
                q.maxSamples = try reader.int(e.value, "query.max_samples")
                if q.maxSamples <= 0 { throw reader.error(e.value, "query.max_samples: must be greater than 0") }
            case "timeout": q.timeout = try positive(e.value, "query.timeout")
            default: q.lookbackDelta = try positive(e.value, "query.lookback_delta")
            }
        }
        return q
    }

    /// `collectors`: checks its keys; `host` and `gpu` are read by their collectors' parsers afterwards.
    mutating func collectors(_ node: YAMLNode) throws(ConfigError) -> CollectorsConfiguration {
        _ = try reader.mapping(node, "collectors", allowed: ConfigKeys.collectors)
        return CollectorsConfiguration()
    }

    private func positive(_ node: YAMLNode, _ what: String) throws(ConfigError) -> Int64 {
        let ms = try reader.duration(node, what)
        if ms <= 0 { throw reader.error(node, "\(what): must be greater than 0, got \"\(node.scalar ?? "")\"") }
        return ms
    }
}
