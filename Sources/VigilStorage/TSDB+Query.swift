import Foundation
import VigilCore

extension TSDB {
    public func select(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [Series] {
        select(matchers, mint: mint, maxt: maxt, hints: SelectHints())
    }

    /// Selects with explicit rollup hints (`max_source_resolution`); see `SelectHints`.
    public func select(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64, hints: SelectHints) -> [Series] {
        readLocked {
            var parts: [Labels: [[Sample]]] = [:]
            var order: [Labels] = []
            func add(_ labels: Labels, _ samples: [Sample]) {
                guard !samples.isEmpty else { return }
                if parts[labels] == nil { order.append(labels) }
                parts[labels, default: []].append(samples)
            }
            var rawRanges = [(mint, maxt)]
            if let r = hints.maxSourceResolution, r > 0 {
                if let level = rollupLevels.filter({ $0 <= r }).max() {
                    let chosen = blocks.filter { $0.meta.resolution == level }
                    let lo = chosen.map(\.meta.minTime).min()!
                    let hi = chosen.map(\.meta.maxTime).max()!
                    addRollups(chosen, matchers, hints.aggregate, from: max(mint, lo), to: min(maxt, hi - 1), add)
                    rawRanges = [(mint, min(maxt, lo - 1)), (max(mint, hi), maxt)]
                }
            } else if hints.maxSourceResolution == nil {
                var upper = rawHorizon
                for level in rollupLevels.sorted() where mint < upper {
                    let chosen = blocks.filter {
                        $0.meta.resolution == level && $0.meta.maxTime > mint && $0.meta.minTime < upper
                    }
                    guard let start = chosen.map(\.meta.minTime).min() else { continue }
                    addRollups(chosen, matchers, hints.aggregate, from: mint, to: min(maxt, upper - 1), add)
                    upper = start
                }
            }
            for (lo, hi) in rawRanges where lo <= hi {
                for b in blocks where b.meta.resolution == 0 && b.meta.maxTime > lo && b.meta.minTime <= hi {
                    for i in b.select(matchers) { add(b.series[i].labels, b.samples(i, mint: lo, maxt: hi)) }
                }
                for s in head.select(matchers) { add(s.labels, s.samples(mint: lo, maxt: hi)) }
            }
            return order.map { labels in
                let lists = parts[labels]!
                return Series(labels: labels, samples: lists.count == 1 ? lists[0] : TSDB.combine(lists))
            }
        }
    }

    /// Resolutions of the rollup blocks present.
    var rollupLevels: Set<Int64> { Set(blocks.map(\.meta.resolution).filter { $0 > 0 }) }

    /// Adds the `aggregate` rollup series of `chosen` in `[from, to]`, without their `__rollup__` label.
    func addRollups(_ chosen: [Block], _ matchers: [LabelMatcher], _ aggregate: RollupAggregate, from: Int64, to: Int64,
                    _ add: (Labels, [Sample]) -> Void) {
        guard from <= to else { return }
        let withAggregate = matchers + [try! LabelMatcher(.equal, RollupAggregate.label, aggregate.rawValue)]
        for b in chosen {
            for i in b.select(withAggregate) {
                add(b.series[i].labels.removing([RollupAggregate.label]), b.samples(i, mint: from, maxt: to))
            }
        }
    }

    /// The oldest time raw data is held for (raw blocks and head); rollups serve what lies before it.
    var rawHorizon: Int64 {
        let raw = blocks.filter { $0.meta.resolution == 0 }.map(\.meta.minTime).min()
        return [raw, head.minTime].compactMap { $0 }.min() ?? .max
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
            for b in blocks where b.meta.resolution == 0 && b.meta.maxTime > mint && b.meta.minTime <= maxt {
                for i in b.select(matchers)
                where b.series[i].chunks.contains(where: { $0.maxTime >= mint && $0.minTime <= maxt }) {
                    set.insert(b.series[i].labels)
                }
            }
            set.formUnion(head.labelSets(matchers, mint: mint, maxt: maxt))
            return set.sorted()
        }
    }

    public var stats: StorageStats {
        readLocked {
            let blockSamples = blocks.filter { $0.meta.resolution == 0 }.reduce(0) { $0 + $1.meta.stats.numSamples }
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
