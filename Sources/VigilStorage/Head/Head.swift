import Foundation
import VigilCore

/// Recent data in memory: compressed chunks per series and a postings index per label pair.
///
/// Not thread-safe on its own: `TSDB` guards it with a reader-writer lock.
final class Head: @unchecked Sendable {
    let blockRange: Int64
    let outOfOrderWindow: Int64
    private(set) var byLabels: [Labels: HeadSeries] = [:]
    private(set) var byID: [UInt64: HeadSeries] = [:]
    /// name → value → ascending series ids. Ids only grow, so appends keep the lists sorted.
    private var postings: [String: [String: [UInt64]]] = [:]
    private(set) var nextID: UInt64 = 1
    private(set) var maxTime: Int64 = .min
    /// Samples older than this belong to persisted blocks and are rejected as too old.
    var minValidTime: Int64 = .min

    /// Where closed chunks go to leave the heap; nil keeps them in memory.
    let chunkFiles: HeadChunkFiles?

    init(blockRange: Int64, outOfOrderWindow: Int64, chunkFiles: HeadChunkFiles? = nil) {
        self.blockRange = blockRange
        self.outOfOrderWindow = outOfOrderWindow
        self.chunkFiles = chunkFiles
    }

    var seriesCount: Int { byID.count }

    /// The oldest sample time held, kept up to date by `apply` and `truncate` (selects ask for it every time).
    private(set) var minTime: Int64?

    private func recomputeTotals() {
        var m: Int64? = nil
        var n = 0
        for s in byID.values {
            if let t = s.minTime { m = min(m ?? t, t) }
            n += s.sampleCount
        }
        minTime = m
        sampleCount = n
    }

    /// Samples held, kept up to date by `apply` and `truncate`.
    private(set) var sampleCount = 0

    /// Adds a series with a known id (WAL replay) or a fresh one.
    @discardableResult
    func addSeries(_ labels: Labels, id: UInt64? = nil) -> HeadSeries {
        if let s = byLabels[labels] { return s }
        let sid = id ?? nextID
        nextID = max(nextID, sid + 1)
        let s = HeadSeries(id: sid, labels: labels, files: chunkFiles)
        byLabels[labels] = s
        byID[sid] = s
        for p in labels.pairs {
            var list = postings[p.name, default: [:]][p.value, default: []]
            if let last = list.last, last > sid {
                list.insert(sid, at: list.firstIndex { $0 > sid }!)
            } else {
                list.append(sid)
            }
            postings[p.name, default: [:]][p.value] = list
        }
        return s
    }

    /// What to do with one incoming sample.
    enum Verdict {
        case inOrder, late, duplicateIgnored, duplicate, outOfOrder, tooOld
    }

    /// Classifies a sample against the series' newest time (`lastT`), the out-of-order window and block horizon.
    func verdict(lastT: Int64, lastV: UInt64, t: Int64, v: Double) -> Verdict {
        if t < minValidTime { return .tooOld }
        if t > lastT { return .inOrder }
        if t == lastT { return v.bitPattern == lastV ? .duplicateIgnored : .duplicate }
        if outOfOrderWindow > 0 && t >= maxTime - outOfOrderWindow { return .late }
        return .outOfOrder
    }

    /// Applies an in-order or late sample that was already validated and logged.
    func apply(_ s: HeadSeries, t: Int64, v: Double, late: Bool) {
        if late {
            guard s.insertLate(t: t, v: v) else { return }
        } else {
            s.append(t: t, v: v, blockRange: blockRange)
        }
        if t > maxTime { maxTime = t }
        if t < minTime ?? .max { minTime = t }
        sampleCount += 1
    }

    /// Validates and applies a batch; new series and accepted samples go to `log` first (the WAL), so nothing is
    /// applied when logging fails.
    func append(_ batch: [LabeledSample], log: ([WALRecord]) throws(StorageError) -> Void) throws(StorageError)
        -> AppendResult
    {
        var r = AppendResult()
        var newSeries: [WALSeries] = []
        var accepted: [(HeadSeries, Int64, Double, Bool)] = []
        var last: [UInt64: (Int64, UInt64)] = [:]
        accepted.reserveCapacity(batch.count)
        for s in batch {
            let series: HeadSeries
            if let existing = byLabels[s.labels] {
                series = existing
            } else {
                series = addSeries(s.labels)
                newSeries.append(WALSeries(id: series.id, labels: s.labels))
            }
            let (lt, lv) = last[series.id] ?? (series.lastT, series.lastV)
            switch verdict(lastT: lt, lastV: lv, t: s.t, v: s.v) {
            case .inOrder:
                accepted.append((series, s.t, s.v, false))
                last[series.id] = (s.t, s.v.bitPattern)
            case .late:
                accepted.append((series, s.t, s.v, true))
            case .duplicateIgnored: break
            case .duplicate: r.duplicate += 1
            case .outOfOrder: r.outOfOrder += 1
            case .tooOld: r.tooOld += 1
            }
        }
        var records: [WALRecord] = []
        if !newSeries.isEmpty { records.append(.series(newSeries)) }
        if !accepted.isEmpty { records.append(.samples(accepted.map { WALSample(id: $0.0.id, t: $0.1, v: $0.2) })) }
        if !records.isEmpty { try log(records) }
        for (series, t, v, late) in accepted { apply(series, t: t, v: v, late: late) }
        r.accepted = accepted.count
        return r
    }

    /// Label sets of series with a sample in `[mint, maxt]`.
    func labelSets(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [Labels] {
        select(matchers).compactMap { s in
            guard let lo = s.minTime, lo <= maxt, max(s.lastT, s.late.last?.t ?? .min) >= mint else { return nil }
            return s.labels
        }
    }

    /// Series matching every matcher.
    ///
    /// - Complexity: intersects the postings of matchers that do not match the empty string; regex matchers scan the
    ///   values of their label, never the series. Matchers that match empty filter the candidates afterwards.
    func select(_ matchers: [LabelMatcher]) -> [HeadSeries] {
        var candidate: [UInt64]? = nil
        var filters: [LabelMatcher] = []
        for m in matchers {
            if m.matchesEmpty {
                filters.append(m)
                continue
            }
            var ids: [UInt64] = []
            if let values = postings[m.name] {
                if m.kind == .equal {
                    ids = values[m.value] ?? []
                } else {
                    var lists: [[UInt64]] = []
                    for (v, list) in values where m.matches(v) { lists.append(list) }
                    ids = Head.union(lists)
                }
            }
            candidate = candidate.map { Head.intersect($0, ids) } ?? ids
            if candidate!.isEmpty { return [] }
        }
        let base: [HeadSeries] = candidate.map { $0.compactMap { byID[$0] } } ?? Array(byID.values)
        return filters.isEmpty ? base : base.filter { s in filters.allSatisfy { $0.matches(s.labels) } }
    }

    /// Drops data before `t` and series left empty; returns the removed series count.
    @discardableResult
    func truncate(before t: Int64) -> Int {
        var removed: [HeadSeries] = []
        for s in byID.values {
            s.truncate(before: t)
            if s.sampleCount == 0 && s.lastT < t { removed.append(s) }
        }
        for s in removed {
            byLabels[s.labels] = nil
            byID[s.id] = nil
            for p in s.labels.pairs {
                postings[p.name]?[p.value]?.removeAll { $0 == s.id }
                if postings[p.name]?[p.value]?.isEmpty == true { postings[p.name]?[p.value] = nil }
                if postings[p.name]?.isEmpty == true { postings[p.name] = nil }
            }
        }
        minValidTime = max(minValidTime, t)
        chunkFiles?.truncate(before: t)
        recomputeTotals()
        return removed.count
    }

    static func intersect(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        var out: [UInt64] = []
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

    static func union(_ lists: [[UInt64]]) -> [UInt64] {
        if lists.count == 1 { return lists[0] }
        var all = Array(lists.joined())
        all.sort()
        var out: [UInt64] = []
        out.reserveCapacity(all.count)
        for x in all where out.last != x { out.append(x) }
        return out
    }

    /// Merges two time-sorted sample lists; on equal timestamps the first list wins.
    static func merge(_ a: [Sample], _ b: [Sample]) -> [Sample] {
        var out: [Sample] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if j >= b.count || (i < a.count && a[i].t <= b[j].t) {
                if j < b.count && a[i].t == b[j].t { j += 1 }
                out.append(a[i])
                i += 1
            } else {
                out.append(b[j])
                j += 1
            }
        }
        return out
    }
}
