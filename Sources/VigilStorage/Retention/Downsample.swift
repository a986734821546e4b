import VigilCore

/// One rollup level of `storage.downsample`: its step and how long its blocks are kept.
public struct DownsampleLevel: Sendable, Equatable {
    public var resolution: Int64
    public var retention: Int64

    public init(resolution: Int64, retention: Int64) {
        self.resolution = resolution
        self.retention = retention
    }

    /// 5m rollups kept 90 days and 1h rollups kept a year.
    public static let defaults = [
        DownsampleLevel(resolution: 5 * 60_000, retention: 90 * 86_400_000),
        DownsampleLevel(resolution: 3_600_000, retention: 365 * 86_400_000),
    ]
}

/// The aggregates a rollup keeps per series and step, stored as series with an extra `__rollup__` label.
public enum RollupAggregate: String, Sendable, CaseIterable {
    case min, max, sum, count, last

    /// The label that marks a rollup series.
    public static let label = "__rollup__"
}

/// How a query wants its data read.
public struct SelectHints: Sendable, Equatable {
    /// nil: raw data where it exists, rollups only where raw data has expired. 0: raw data only. Otherwise: the
    /// coarsest rollups no coarser than this many milliseconds, raw data where no rollup covers the range.
    public var maxSourceResolution: Int64?
    /// Which aggregate stands in for the samples when rollups are read.
    public var aggregate: RollupAggregate = .last

    public init(maxSourceResolution: Int64? = nil, aggregate: RollupAggregate = .last) {
        self.maxSourceResolution = maxSourceResolution
        self.aggregate = aggregate
    }
}

enum Rollup {
    /// The rollup of one series at `resolution`: one point per step that has samples, at the time of the step's
    /// last sample. Stale markers are skipped; other NaNs count.
    static func compute(_ samples: [Sample], resolution: Int64) -> [RollupAggregate: [Sample]] {
        var out: [RollupAggregate: [Sample]] = [:]
        for a in RollupAggregate.allCases { out[a] = [] }
        var bucket: Int64? = nil
        var mn = 0.0
        var mx = 0.0
        var sum = 0.0
        var count = 0.0
        var last = Sample(t: 0, v: 0)
        func flush() {
            guard bucket != nil, count > 0 else { return }
            out[.min]!.append(Sample(t: last.t, v: mn))
            out[.max]!.append(Sample(t: last.t, v: mx))
            out[.sum]!.append(Sample(t: last.t, v: sum))
            out[.count]!.append(Sample(t: last.t, v: count))
            out[.last]!.append(last)
        }
        for s in samples where !StaleMarker.isStale(s.v) {
            let b = HeadSeries.rangeIndex(s.t, resolution)
            if b != bucket {
                flush()
                bucket = b
                mn = s.v
                mx = s.v
                sum = 0
                count = 0
            }
            mn = Swift.min(mn, s.v)
            mx = Swift.max(mx, s.v)
            sum += s.v
            count += 1
            last = s
        }
        flush()
        return out
    }
}
