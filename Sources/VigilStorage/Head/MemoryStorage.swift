import Foundation
import VigilCore

/// An in-memory store of every series with a label index and time-based retention.
///
/// Readers and writers share one reader-writer lock; selectors intersect postings lists per label pair.
public final class MemoryStorage: Storage, @unchecked Sendable {
    private struct MemSeries {
        var labels: Labels
        var samples: [Sample]
    }

    private var lock = pthread_rwlock_t()
    private var ids: [Labels: Int] = [:]
    private var series: [MemSeries?] = []
    private var freeIDs: [Int] = []
    /// name → value → sorted series ids.
    private var postings: [String: [String: [Int]]] = [:]
    private var sampleCount = 0
    private var newest: Int64 = .min
    /// Retention in milliseconds, counted back from the newest sample.
    public let retention: Int64
    private let metrics: MetricsRegistry?

    /// - Parameters:
    ///   - retention: how long samples are kept, counted back from the newest sample (default 2h).
    ///   - metrics: where `vigil_storage_*` metrics go.
    public init(retention: Int64 = 2 * 3_600_000, metrics: MetricsRegistry? = nil) {
        self.retention = retention
        self.metrics = metrics
        pthread_rwlock_init(&lock, nil)
        metrics?.register("vigil_storage_rejected_samples_total", .counter, help: "Samples rejected by the store, by reason.")
        metrics?.register("vigil_storage_appended_samples_total", .counter, help: "Samples accepted by the store.")
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

    private func write<T>(_ body: () -> T) -> T {
        pthread_rwlock_wrlock(&lock)
        defer { pthread_rwlock_unlock(&lock) }
        return body()
    }

    @discardableResult
    public func append(_ batch: [LabeledSample]) throws -> AppendResult {
        let result = write { () -> AppendResult in
            var r = AppendResult()
            for s in batch {
                let id = seriesID(for: s.labels)
                var samples = series[id]!.samples
                series[id]!.samples = []
                if let last = samples.last {
                    if s.t < last.t {
                        r.outOfOrder += 1
                        series[id]!.samples = samples
                        continue
                    }
                    if s.t == last.t {
                        if s.v.bitPattern != last.v.bitPattern { r.duplicate += 1 }
                        series[id]!.samples = samples
                        continue
                    }
                }
                samples.append(Sample(t: s.t, v: s.v))
                series[id]!.samples = samples
                sampleCount += 1
                if s.t > newest { newest = s.t }
                r.accepted += 1
            }
            return r
        }
        if let metrics {
            metrics.add("vigil_storage_appended_samples_total", Labels(), Double(result.accepted))
            if result.outOfOrder > 0 {
                metrics.add("vigil_storage_rejected_samples_total", ["reason": "out_of_order"], Double(result.outOfOrder))
            }
            if result.duplicate > 0 {
                metrics.add("vigil_storage_rejected_samples_total", ["reason": "duplicate"], Double(result.duplicate))
            }
        }
        return result
    }

    /// Must hold the write lock.
    private func seriesID(for labels: Labels) -> Int {
        if let id = ids[labels] { return id }
        let id: Int
        if let reused = freeIDs.popLast() {
            id = reused
            series[id] = MemSeries(labels: labels, samples: [])
        } else {
            id = series.count
            series.append(MemSeries(labels: labels, samples: []))
        }
        ids[labels] = id
        for p in labels.pairs {
            var list = postings[p.name, default: [:]][p.value, default: []]
            let pos = list.partitioningIndex { $0 >= id }
            list.insert(id, at: pos)
            postings[p.name, default: [:]][p.value] = list
        }
        return id
    }

    /// Series ids matching every matcher. Must hold a lock.
    ///
    /// - Complexity: O(sum of the postings lists touched) for `=` matchers; regex and negative matchers scan the
    ///   values of their label name, not the series.
    private func matchingIDs(_ matchers: [LabelMatcher]) -> [Int] {
        var candidate: [Int]? = nil
        var negatives: [LabelMatcher] = []
        for m in matchers {
            if m.matchesEmpty {
                negatives.append(m)
                continue
            }
            var ids: [Int] = []
            if let values = postings[m.name] {
                if m.kind == .equal {
                    ids = values[m.value] ?? []
                } else {
                    var lists: [[Int]] = []
                    for (v, list) in values where m.matches(v) { lists.append(list) }
                    ids = lists.count == 1 ? lists[0] : Array(Set(lists.joined())).sorted()
                }
            }
            candidate = candidate.map { intersect($0, ids) } ?? ids
            if candidate!.isEmpty { return [] }
        }
        var result: [Int]
        if let candidate {
            result = candidate
        } else {
            result = series.indices.filter { series[$0] != nil }
        }
        if !negatives.isEmpty {
            result = result.filter { id in negatives.allSatisfy { $0.matches(series[id]!.labels) } }
        }
        return result
    }

    private func intersect(_ a: [Int], _ b: [Int]) -> [Int] {
        var out: [Int] = []
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] {
                out.append(a[i])
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return out
    }

    public func select(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [Series] {
        read {
            var out: [Series] = []
            for id in matchingIDs(matchers) {
                let s = series[id]!
                let lo = s.samples.partitioningIndex { $0.t >= mint }
                let hi = s.samples.partitioningIndex { $0.t > maxt }
                if lo < hi { out.append(Series(labels: s.labels, samples: Array(s.samples[lo..<hi]))) }
            }
            return out
        }
    }

    public func series(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [Labels] {
        read {
            matchingIDs(matchers).compactMap { id -> Labels? in
                let s = series[id]!
                let lo = s.samples.partitioningIndex { $0.t >= mint }
                return lo < s.samples.count && s.samples[lo].t <= maxt ? s.labels : nil
            }.sorted()
        }
    }

    public func labelNames(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [String] {
        var names = Set<String>()
        for l in series(matchers, mint: mint, maxt: maxt) { for p in l.pairs { names.insert(p.name) } }
        return names.sorted()
    }

    public func labelValues(_ name: String, _ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [String] {
        var values = Set<String>()
        for l in series(matchers, mint: mint, maxt: maxt) { if let v = l.get(name) { values.insert(v) } }
        return values.sorted()
    }

    public var stats: StorageStats {
        read {
            var minT: Int64? = nil
            for s in series { if let s, let f = s.samples.first { minT = min(minT ?? f.t, f.t) } }
            return StorageStats(series: ids.count, samples: sampleCount, minTime: minT, maxTime: newest == .min ? nil : newest)
        }
    }

    public func applyRetention(now: Int64) {
        write {
            guard newest != .min else { return }
            let horizon = max(newest, now) - retention
            for id in series.indices {
                guard let s = series[id] else { continue }
                let cut = s.samples.partitioningIndex { $0.t >= horizon }
                if cut == 0 { continue }
                sampleCount -= cut
                if cut == s.samples.count {
                    removeSeries(id)
                } else {
                    series[id]!.samples.removeFirst(cut)
                }
            }
        }
    }

    /// Must hold the write lock.
    private func removeSeries(_ id: Int) {
        let labels = series[id]!.labels
        ids[labels] = nil
        for p in labels.pairs {
            postings[p.name]?[p.value]?.removeAll { $0 == id }
            if postings[p.name]?[p.value]?.isEmpty == true { postings[p.name]?[p.value] = nil }
            if postings[p.name]?.isEmpty == true { postings[p.name] = nil }
        }
        series[id] = nil
        freeIDs.append(id)
    }
}

extension Array {
    /// The first index whose element satisfies `belongsInSecondPartition`, assuming the array is partitioned.
    ///
    /// - Complexity: O(log n).
    @inlinable
    func partitioningIndex(where belongsInSecondPartition: (Element) -> Bool) -> Int {
        var lo = 0
        var hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if belongsInSecondPartition(self[mid]) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
