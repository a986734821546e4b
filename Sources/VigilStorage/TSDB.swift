import Foundation
import VigilCore

/// Settings of the durable store (config section `storage`).
public struct TSDBOptions: Sendable {
    /// Keep data this long, counted back from the newest sample (default 15d).
    public var retention: Int64 = 15 * 86_400_000
    /// Delete oldest blocks while the data directory is larger than this (0 = no limit).
    public var retentionSize: Int64 = 0
    public var walSync: WALSyncMode = .interval(1000)
    /// Accept samples this much older than the newest sample of the head (0 = none).
    public var outOfOrderWindow: Int64 = 0
    /// The time range of a block cut from the head.
    public var blockRange: Int64 = 2 * 3_600_000
    public var walSegmentSize: Int = 64 << 20
    /// Rollup levels (`storage.downsample`); empty disables downsampling.
    public var downsample: [DownsampleLevel] = DownsampleLevel.defaults
    /// Raw blocks are rolled up once compaction has made them at least this long (default 24h).
    public var downsampleMinBlockRange: Int64 = 24 * 3_600_000

    public init() {}
}

/// Vigil's durable time-series store: an in-memory head of compressed chunks behind a write-ahead log, cut into
/// immutable blocks on disk that are compacted and deleted by retention.
public final class TSDB: Storage, @unchecked Sendable {
    public let directory: String
    public let options: TSDBOptions
    let logger: Logger
    let metrics: MetricsRegistry?
    var lock = pthread_rwlock_t()
    let head: Head
    var wal: WAL!
    var blocks: [Block] = []
    /// Serialises maintenance (block cutting, compaction, retention).
    let maintenance = NSLock()

    /// Opens the store in `directory` (creating it), loading blocks and replaying the WAL.
    public init(directory: String, options: TSDBOptions = TSDBOptions(), logger: Logger,
                metrics: MetricsRegistry? = nil) throws(StorageError) {
        self.directory = directory
        self.options = options
        self.logger = logger
        self.metrics = metrics
        initWriterPreferringLock(&lock)
        head = Head(blockRange: options.blockRange, outOfOrderWindow: options.outOfOrderWindow,
                    chunkFiles: try HeadChunkFiles(directory: directory + "/chunks_head"))
        try WAL.makeDirectory(blocksDirectory)
        blocks = openBlocks()
        // Imported history may reach past live data; only blocks cut from the head bound what the head accepts.
        head.minValidTime = blocks.filter { ($0.meta.origin ?? "head") != "import" && $0.meta.resolution == 0 }
            .map(\.meta.maxTime).max() ?? .min
        let started = Timestamp.monotonicSeconds()
        let head = self.head
        wal = try WAL(directory: directory + "/wal", segmentSize: options.walSegmentSize, syncMode: options.walSync,
                      logger: logger) { record in TSDB.replay(record, into: head) }
        logger.info("storage opened", [
            "storage.dir": directory, "storage.blocks": String(blocks.count),
            "storage.head_series": String(head.seriesCount), "wal.records": String(wal.lastReplay.records),
            "storage.replay_seconds": String(format: "%.3f", Timestamp.monotonicSeconds() - started),
        ])
        registerMetrics()
    }

    deinit { pthread_rwlock_destroy(&lock) }

    var blocksDirectory: String { directory + "/blocks" }

    func readLocked<T>(_ body: () -> T) -> T {
        pthread_rwlock_rdlock(&lock)
        defer { pthread_rwlock_unlock(&lock) }
        return body()
    }

    func writeLocked<T>(_ body: () throws(StorageError) -> T) throws(StorageError) -> T {
        pthread_rwlock_wrlock(&lock)
        defer { pthread_rwlock_unlock(&lock) }
        return try body()
    }

    private static func replay(_ record: WALRecord, into head: Head) {
        switch record {
        case .series(let list):
            for s in list { head.addSeries(s.labels, id: s.id) }
        case .samples(let list):
            for s in list {
                guard let series = head.byID[s.id] else { continue }
                switch head.verdict(lastT: series.lastT, lastV: series.lastV, t: s.t, v: s.v) {
                case .inOrder: head.apply(series, t: s.t, v: s.v, late: false)
                case .late: head.apply(series, t: s.t, v: s.v, late: true)
                default: break
                }
            }
        }
    }

    private func openBlocks() -> [Block] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: blocksDirectory)) ?? []
        var out: [Block] = []
        for name in names.sorted() {
            let path = blocksDirectory + "/" + name
            if name.hasSuffix(".tmp") {
                try? FileManager.default.removeItem(atPath: path)
                continue
            }
            do {
                out.append(try Block(path: path, logger: logger))
            } catch {
                quarantine(path, reason: error.description)
            }
        }
        return out.sorted { $0.meta.minTime < $1.meta.minTime }
    }

    /// Moves a damaged block aside into `quarantine/` and logs why; the rest of the store keeps serving.
    func quarantine(_ path: String, reason: String) {
        let dir = directory + "/quarantine"
        try? WAL.makeDirectory(dir)
        let target = dir + "/" + (path as NSString).lastPathComponent
        try? FileManager.default.removeItem(atPath: target)
        let moved = rename(path, target) == 0
        logger.error("quarantined damaged block", ["block": path, "reason": reason, "moved_to": moved ? target : "-"])
        metrics?.add("vigil_storage_quarantined_blocks_total", Labels(), 1,
                     help: "Blocks moved to quarantine because they failed their checks.")
    }

    // MARK: Appending

    @discardableResult
    public func append(_ batch: [LabeledSample]) throws -> AppendResult {
        let result = try writeLocked { () throws(StorageError) -> AppendResult in
            try head.append(batch) { (records) throws(StorageError) in try wal.log(records) }
        }
        count(result)
        return result
    }

    private func count(_ r: AppendResult) { metrics?.countAppend(r) }

    /// Flushes the WAL to stable storage now.
    public func sync() throws { try wal.sync() }

    /// Syncs and closes the WAL.
    public func close() { wal.close() }

    /// The last WAL write error, if the most recent write failed (shown by `/-/ready`).
    public var walError: String? { wal.lastError }
}
