import Foundation
import VigilCore

extension TSDB {
    public func select(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [Series] {
        readLocked {
            var parts: [Labels: [[Sample]]] = [:]
            var order: [Labels] = []
            for b in blocks where b.meta.maxTime > mint && b.meta.minTime <= maxt {
                for i in b.select(matchers) {
                    let samples = b.samples(i, mint: mint, maxt: maxt)
                    guard !samples.isEmpty else { continue }
                    let labels = b.series[i].labels
                    if parts[labels] == nil { order.append(labels) }
                    parts[labels, default: []].append(samples)
                }
            }
            for s in head.select(matchers) {
                let samples = s.samples(mint: mint, maxt: maxt)
                guard !samples.isEmpty else { continue }
                if parts[s.labels] == nil { order.append(s.labels) }
                parts[s.labels, default: []].append(samples)
            }
            return order.map { labels in
                let lists = parts[labels]!
                return Series(labels: labels, samples: lists.count == 1 ? lists[0] : TSDB.combine(lists))
            }
        }
    }

    /// Joins sample lists of one series from several sources into one time-ordered list without duplicates.
    static func combine(_ lists: [[Sample]]) -> [Sample] {
        var out = lists[0]
        for next in lists.dropFirst() {
            if let last = out.last, let first = next.first, first.t > last.t {
                out.append(contentsOf: next)
            } else {
                out = Head.merge(out, next)
            }
        }
        return out
    }

    public func series(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [Labels] {
        readLocked {
            var set = Set<Labels>()
            for b in blocks where b.meta.maxTime > mint && b.meta.minTime <= maxt {
                for i in b.select(matchers)
                where b.series[i].chunks.contains(where: { $0.maxTime >= mint && $0.minTime <= maxt }) {
                    set.insert(b.series[i].labels)
                }
            }
            for s in head.select(matchers) {
                if let lo = s.minTime, lo <= maxt, max(s.lastT, s.late.last?.t ?? .min) >= mint { set.insert(s.labels) }
            }
            return set.sorted()
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
        readLocked {
            let blockSamples = blocks.reduce(0) { $0 + $1.meta.stats.numSamples }
            let minT = [blocks.first?.meta.minTime, head.minTime].compactMap { $0 }.min()
            let maxT = [blocks.last.map { $0.meta.maxTime - 1 }, head.maxTime == .min ? nil : head.maxTime]
                .compactMap { $0 }.max()
            return StorageStats(series: head.seriesCount, samples: head.sampleCount + blockSamples, minTime: minT,
                                maxTime: maxT)
        }
    }

    /// The blocks currently served, oldest first (for tests and the status API).
    public var blockMetas: [BlockMeta] { readLocked { blocks.map(\.meta) } }
}
