import Foundation

/// A block's `meta.json`: its id, time range `[minTime, maxTime)`, counts and compaction lineage.
public struct BlockMeta: Codable, Sendable, Equatable {
    public struct Stats: Codable, Sendable, Equatable {
        public var numSeries: Int
        public var numSamples: Int
        public var numChunks: Int
    }

    public struct Compaction: Codable, Sendable, Equatable {
        public var level: Int
        public var sources: [String]
    }

    public var version: Int = 1
    public var ulid: String
    public var minTime: Int64
    /// Exclusive.
    public var maxTime: Int64
    public var stats: Stats
    public var compaction: Compaction
    /// 0 for raw samples; the rollup step in milliseconds for downsampled blocks.
    public var resolution: Int64 = 0
    /// Where the data came from: `head`, `import`, `compaction` or `rollup` (absent means `head`).
    public var origin: String? = nil

    /// A new block's metadata with a fresh id; `BlockWriter` fills in the stats.
    init(minTime: Int64, maxTime: Int64, level: Int = 1, sources: [String] = [], resolution: Int64 = 0,
         origin: String? = nil) {
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        ulid = String(format: "%012llX%08X", now, UInt32.random(in: 0...UInt32.max))
        self.minTime = minTime
        self.maxTime = maxTime
        stats = Stats(numSeries: 0, numSamples: 0, numChunks: 0)
        compaction = Compaction(level: level, sources: sources)
        self.resolution = resolution
        self.origin = origin
    }
}
