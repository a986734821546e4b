import Foundation
import VigilCore

/// The storage interface every store implements: the in-memory store now, the durable engine later.
public protocol Storage: SampleAppender, AnyObject {
    /// Series matching all `matchers` with their samples in `[mint, maxt]` (inclusive, milliseconds).
    ///
    /// Series with no sample in the range are omitted. Samples include stale markers.
    func select(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [Series]

    /// Label sets of series matching `matchers` (all series when empty) with a sample in `[mint, maxt]`.
    func series(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [Labels]

    /// Sorted label names of matching series.
    func labelNames(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [String]

    /// Sorted values of label `name` across matching series.
    func labelValues(_ name: String, _ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [String]

    /// Counts of what the store holds.
    var stats: StorageStats { get }

    /// Drops data older than the retention horizon; called periodically.
    func applyRetention(now: Int64)
}

/// Counts of what a store holds.
public struct StorageStats: Sendable, Equatable {
    public var series: Int
    public var samples: Int
    public var minTime: Int64?
    public var maxTime: Int64?

    public init(series: Int, samples: Int, minTime: Int64?, maxTime: Int64?) {
        self.series = series
        self.samples = samples
        self.minTime = minTime
        self.maxTime = maxTime
    }
}

extension Storage {
    /// Sorted label names of matching series, derived from `series(_:mint:maxt:)`.
    public func labelNames(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [String] {
        var names = Set<String>()
        for l in series(matchers, mint: mint, maxt: maxt) { for p in l.pairs { names.insert(p.name) } }
        return names.sorted()
    }

    /// Sorted values of label `name` across matching series, derived from `series(_:mint:maxt:)`.
    public func labelValues(_ name: String, _ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [String] {
        var values = Set<String>()
        for l in series(matchers, mint: mint, maxt: maxt) { if let v = l.get(name) { values.insert(v) } }
        return values.sorted()
    }
}

/// Initialises a reader-writer lock that lets a waiting writer in before new readers, so appends (scrapes, pushes)
/// are never starved by a stream of long queries (glibc's default prefers readers).
func initWriterPreferringLock(_ lock: UnsafeMutablePointer<pthread_rwlock_t>) {
    var attr = pthread_rwlockattr_t()
    pthread_rwlockattr_init(&attr)
    pthread_rwlockattr_setkind_np(&attr, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
    pthread_rwlock_init(lock, &attr)
    pthread_rwlockattr_destroy(&attr)
}

extension MetricsRegistry {
    /// Counts an append's accepted and rejected samples in `vigil_storage_*`.
    func countAppend(_ r: AppendResult) {
        add("vigil_storage_appended_samples_total", Labels(), Double(r.accepted))
        let reasons = [("out_of_order", r.outOfOrder), ("duplicate", r.duplicate), ("too_old", r.tooOld)]
        for (reason, n) in reasons where n > 0 {
            add("vigil_storage_rejected_samples_total", ["reason": reason], Double(n))
        }
    }

    /// Declares the families every store reports.
    func registerStorageFamilies() {
        register("vigil_storage_rejected_samples_total", .counter, help: "Samples rejected by the store, by reason.")
        register("vigil_storage_appended_samples_total", .counter, help: "Samples accepted by the store.")
    }
}
