import Foundation
import VigilCore

/// A store that keeps everything in memory: the same head as `TSDB` (compressed chunks, postings index) without
/// WAL or blocks, with time-based retention. For tests and tools that need no durability.
public final class MemoryStorage: Storage, @unchecked Sendable {
    private var lock = pthread_rwlock_t()
    private let head = Head(blockRange: 2 * 3_600_000, outOfOrderWindow: 0)
    /// Retention in milliseconds, counted back from the newest sample.
    public let retention: Int64
    private let metrics: MetricsRegistry?

    /// - Parameters:
    ///   - retention: how long samples are kept, counted back from the newest sample (default 2h).
    ///   - metrics: where `vigil_storage_*` metrics go.
    public init(retention: Int64 = 2 * 3_600_000, metrics: MetricsRegistry? = nil) {
        self.retention = retention
        self.metrics = metrics
        initWriterPreferringLock(&lock)
        metrics?.registerStorageFamilies()
        metrics?.collect("vigil_storage_series", .gauge, help: "Series held in the store.") { [weak self] in
            [(Labels(), Double(self?.stats.series ?? 0))]
        }
        metrics?.collect("vigil_storage_samples", .gauge, help: "Samples held in the store.") { [weak self] in
            [(Labels(), Double(self?.stats.samples ?? 0))]
        }
    }

    deinit { pthread_rwlock_destroy(&lock) }

    private func read<T>(_ body: () -> T) -> T {
        pthread_rwlock_rdlock(&lock)
        defer { pthread_rwlock_unlock(&lock) }
        return body()
    }

    @discardableResult
    public func append(_ batch: [LabeledSample]) throws -> AppendResult {
        pthread_rwlock_wrlock(&lock)
        let result = try? head.append(batch) { (_: [WALRecord]) throws(StorageError) in }
        pthread_rwlock_unlock(&lock)
        let r = result ?? AppendResult()
        metrics?.countAppend(r)
        return r
    }

    public func select(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [Series] {
        read {
            head.select(matchers).compactMap { s in
                let samples = s.samples(mint: mint, maxt: maxt)
                return samples.isEmpty ? nil : Series(labels: s.labels, samples: samples)
            }
        }
    }

    public func series(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [Labels] {
        read { head.labelSets(matchers, mint: mint, maxt: maxt).sorted() }
    }

    public var stats: StorageStats {
        read {
            StorageStats(series: head.seriesCount, samples: head.sampleCount, minTime: head.minTime,
                         maxTime: head.maxTime == .min ? nil : head.maxTime)
        }
    }

    public func applyRetention(now: Int64) {
        pthread_rwlock_wrlock(&lock)
        defer { pthread_rwlock_unlock(&lock) }
        guard head.maxTime != .min else { return }
        head.truncate(before: head.maxTime - retention)
    }
}
