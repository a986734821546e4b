import Foundation
import VigilCore

extension TSDB {
    func registerMetrics() {
        guard let metrics else { return }
        metrics.registerStorageFamilies()
        metrics.collect("vigil_storage_series", .gauge, help: "Series in the head.") { [weak self] in
            [(Labels(), Double(self?.readLocked { self?.head.seriesCount ?? 0 } ?? 0))]
        }
        metrics.collect("vigil_storage_samples", .gauge, help: "Samples held in the head and in blocks.") {
            [weak self] in
            [(Labels(), Double(self?.stats.samples ?? 0))]
        }
        metrics.collect("vigil_storage_blocks", .gauge, help: "Blocks on disk.") { [weak self] in
            [(Labels(), Double(self?.readLocked { self?.blocks.count ?? 0 } ?? 0))]
        }
    }

    /// Periodic maintenance: cuts the head into blocks, compacts blocks and applies retention.
    public func applyRetention(now: Int64) {
        maintenance.lock()
        defer { maintenance.unlock() }
        do {
            try cutBlocks()
            try compact()
            try downsample()
        } catch {
            logger.error("storage maintenance failed", ["err": error.description])
            metrics?.add("vigil_storage_maintenance_failures_total", Labels(), 1,
                         help: "Failed block writes and compactions.")
        }
        deleteExpired()
    }

    /// Persists every full block range of the head that is at least half a range behind its newest sample.
    func cutBlocks() throws(StorageError) {
        while true {
            let plan = readLocked { () -> (Int64, Int64)? in
                guard let minT = head.minTime, head.maxTime != .min else { return nil }
                guard head.maxTime - minT > options.blockRange * 3 / 2 else { return nil }
                let start = HeadSeries.rangeIndex(minT, options.blockRange) * options.blockRange
                return (start, start + options.blockRange)
            }
            guard let (start, end) = plan else { return }
            try persist(start: start, end: end)
        }
    }

    /// Writes head data in `[start, end)` as a block, then drops it from the head and checkpoints the WAL.
    func persist(start: Int64, end: Int64) throws(StorageError) {
        let series = readLocked { () -> [BlockWriter.SeriesChunks] in
            head.byID.values.compactMap { s in
                let samples = s.samples(mint: start, maxt: end - 1)
                return samples.isEmpty ? nil : BlockWriter.SeriesChunks(labels: s.labels, chunks: TSDB.encode(samples))
            }
        }
        if !series.isEmpty {
            let meta = BlockMeta(minTime: start, maxTime: end)
            let path = try BlockWriter.write(series, meta: meta, directory: blocksDirectory)
            let block = try Block(path: path, logger: logger)
            try writeLocked { () throws(StorageError) in
                blocks.append(block)
                blocks.sort { $0.meta.minTime < $1.meta.minTime }
            }
            logger.info("block written", ["block": path, "block.series": String(block.meta.stats.numSeries),
                                          "block.samples": String(block.meta.stats.numSamples)])
        }
        try truncateHead(before: end)
    }

    /// Drops head data before `t` and replaces the WAL up to now with a checkpoint of what the head still holds.
    func truncateHead(before t: Int64) throws(StorageError) {
        let records = try writeLocked { () throws(StorageError) -> [WALRecord] in
            for s in head.byID.values where s.open.count > 0 && s.open.maxTime < t { s.closeOpenChunk() }
            head.truncate(before: t)
            var series: [WALSeries] = []
            var samples: [WALSample] = []
            for s in head.byID.values.sorted(by: { $0.id < $1.id }) {
                series.append(WALSeries(id: s.id, labels: s.labels))
                for x in s.samples(mint: .min, maxt: .max) { samples.append(WALSample(id: s.id, t: x.t, v: x.v)) }
            }
            return [.series(series)] + stride(from: 0, to: samples.count, by: 10_000).map {
                WALRecord.samples(Array(samples[$0..<min($0 + 10_000, samples.count)]))
            }
        }
        let segment = try wal.cutSegment()
        try wal.checkpoint(upTo: segment, records: records)
    }

    /// Samples per chunk in blocks: larger than the head's, since block chunks are written once and their fixed
    /// costs (header, checksum, index entry) are then shared by more samples.
    static let blockSamplesPerChunk = 1024

    /// Encodes time-ordered samples into chunks of at most `blockSamplesPerChunk`, each in whichever of the
    /// decimal and XOR encodings is smaller.
    static func encode(_ samples: [Sample]) -> [EncodedChunk] {
        var out: [EncodedChunk] = []
        var start = 0
        while start < samples.count {
            let part = Array(samples[start..<min(start + blockSamplesPerChunk, samples.count)])
            var c = XORChunk()
            for s in part { c.append(t: s.t, v: s.v) }
            var chunk = EncodedChunk(minTime: c.minTime, maxTime: c.maxTime, count: c.count, bytes: c.bytes)
            if let decimal = DecimalChunk.encode(part), decimal.count < chunk.bytes.count {
                chunk.bytes = decimal
                chunk.encoding = .decimal
            }
            out.append(chunk)
            start += blockSamplesPerChunk
        }
        return out
    }

    /// Compaction ranges: 3× and then 4× steps above the block range, up to a tenth of the retention.
    var compactionRanges: [Int64] {
        var out: [Int64] = []
        var r = options.blockRange * 3
        let cap = max(options.retention / 10, options.blockRange * 3)
        while r <= cap && out.count < 4 {
            out.append(r)
            r *= 4
        }
        return out
    }

    /// Merges adjacent blocks inside one aligned compaction range once no more data can arrive in it.
    func compact() throws(StorageError) {
        for range in compactionRanges {
            while true {
                let group = readLocked { () -> [Block]? in
                    var groups: [Int64: [Block]] = [:]
                    for b in blocks where b.meta.resolution == 0 && b.meta.maxTime - b.meta.minTime < range {
                        groups[HeadSeries.rangeIndex(b.meta.minTime, range), default: []].append(b)
                    }
                    let horizon = head.minValidTime
                    for key in groups.keys.sorted() {
                        let g = groups[key]!
                        let windowEnd = (key + 1) * range
                        if g.count >= 2 && windowEnd <= horizon && g.allSatisfy({ $0.meta.maxTime <= windowEnd }) {
                            return g
                        }
                    }
                    return nil
                }
                guard let group else { break }
                try merge(group)
            }
        }
    }

    /// Writes one block holding everything of `group`, then swaps it in and deletes the sources.
    func merge(_ group: [Block]) throws(StorageError) {
        var bySeries: [Labels: [EncodedChunk]] = [:]
        var overlapping = false
        for b in group.sorted(by: { $0.meta.minTime < $1.meta.minTime }) {
            for i in b.series.indices {
                let chunks = b.encodedChunks(i)
                let labels = b.series[i].labels
                if let last = bySeries[labels]?.last, let first = chunks.first, first.minTime <= last.maxTime {
                    overlapping = true
                }
                bySeries[labels, default: []].append(contentsOf: chunks)
            }
        }
        let series = bySeries.map { labels, chunks -> BlockWriter.SeriesChunks in
            guard overlapping else { return BlockWriter.SeriesChunks(labels: labels, chunks: chunks) }
            var samples: [Sample] = []
            for c in chunks.sorted(by: { $0.minTime < $1.minTime }) {
                samples = samples.isEmpty ? c.samples : Head.merge(samples, c.samples)
            }
            return BlockWriter.SeriesChunks(labels: labels, chunks: TSDB.encode(samples))
        }
        let minT = group.map(\.meta.minTime).min()!
        let maxT = group.map(\.meta.maxTime).max()!
        let meta = BlockMeta(minTime: minT, maxTime: maxT, level: (group.map(\.meta.compaction.level).max() ?? 1) + 1,
                             sources: group.map(\.meta.ulid))
        let path = try BlockWriter.write(series, meta: meta, directory: blocksDirectory)
        let merged = try Block(path: path, logger: logger)
        let ids = Set(group.map(\.meta.ulid))
        try writeLocked { () throws(StorageError) in
            blocks.removeAll { ids.contains($0.meta.ulid) }
            blocks.append(merged)
            blocks.sort { $0.meta.minTime < $1.meta.minTime }
        }
        for b in group { try? FileManager.default.removeItem(atPath: b.path) }
        logger.info("blocks compacted", ["block": path, "compaction.sources": String(group.count)])
    }

    /// Deletes blocks past the time retention (counted back from the newest sample) or over the size retention.
    func deleteExpired() {
        let doomed = (try? writeLocked { () -> [Block] in
            let newest = max(head.maxTime, blocks.map { $0.meta.maxTime - 1 }.max() ?? .min)
            guard newest != .min else { return [] }
            var drop = blocks.filter { b in
                let keep = b.meta.resolution == 0
                    ? options.retention
                    : options.downsample.first { $0.resolution == b.meta.resolution }?.retention ?? options.retention
                return b.meta.maxTime <= newest - keep
            }
            if options.retentionSize > 0 {
                var total = wal.diskSize + blocks.reduce(0) { $0 + $1.diskSize }
                for b in blocks where !drop.contains(where: { $0 === b }) {
                    if Int64(total) <= options.retentionSize { break }
                    drop.append(b)
                    total -= b.diskSize
                }
            }
            blocks.removeAll { b in drop.contains { $0 === b } }
            return drop
        }) ?? []
        for b in doomed {
            try? FileManager.default.removeItem(atPath: b.path)
            logger.info("block deleted by retention", ["block": b.path])
        }
    }
}

extension TSDB {
    /// Writes rollup blocks for raw blocks that compaction has made long enough and that have none yet.
    func downsample() throws(StorageError) {
        for level in options.downsample {
            let todo = readLocked { () -> [Block] in
                let minRange = min(options.downsampleMinBlockRange, compactionRanges.last ?? options.blockRange)
                let done = Set(blocks.filter { $0.meta.resolution == level.resolution }.map(\.meta.minTime))
                return blocks.filter {
                    $0.meta.resolution == 0 && $0.meta.maxTime - $0.meta.minTime >= minRange
                        && !done.contains($0.meta.minTime)
                }
            }
            for source in todo { try rollup(source, level: level) }
        }
    }

    func rollup(_ source: Block, level: DownsampleLevel) throws(StorageError) {
        var series: [BlockWriter.SeriesChunks] = []
        for i in source.series.indices {
            let samples = source.samples(i, mint: .min, maxt: .max)
            for (aggregate, points) in Rollup.compute(samples, resolution: level.resolution) where !points.isEmpty {
                var labels = source.series[i].labels
                labels.set(RollupAggregate.label, aggregate.rawValue)
                series.append(BlockWriter.SeriesChunks(labels: labels, chunks: TSDB.encode(points)))
            }
        }
        let meta = BlockMeta(minTime: source.meta.minTime, maxTime: source.meta.maxTime,
                             level: source.meta.compaction.level, sources: [source.meta.ulid],
                             resolution: level.resolution)
        let path = try BlockWriter.write(series, meta: meta, directory: blocksDirectory)
        let block = try Block(path: path, logger: logger)
        try writeLocked { () throws(StorageError) in
            blocks.append(block)
            blocks.sort { $0.meta.minTime < $1.meta.minTime }
        }
        logger.info("rollup block written", ["block": path, "rollup.resolution": PromDuration.format(level.resolution)])
    }
}
