import Foundation
import Testing
import VigilCore
@testable import VigilStorage

struct DownsampleTests {
    /// Hand calculation: samples at 0s..9m (value = minute), 5m steps → buckets [0,5m) and [5m,10m).
    @Test func rollupKeepsMinMaxSumCountLast() {
        let samples = (0..<10).map { Sample(t: Int64($0) * 60_000, v: Double($0)) }
        let r = Rollup.compute(samples, resolution: 300_000)
        #expect(r[.min] == [Sample(t: 240_000, v: 0), Sample(t: 540_000, v: 5)])
        #expect(r[.max] == [Sample(t: 240_000, v: 4), Sample(t: 540_000, v: 9)])
        #expect(r[.sum] == [Sample(t: 240_000, v: 10), Sample(t: 540_000, v: 35)])
        #expect(r[.count] == [Sample(t: 240_000, v: 5), Sample(t: 540_000, v: 5)])
        #expect(r[.last] == [Sample(t: 240_000, v: 4), Sample(t: 540_000, v: 9)])
    }

    @Test func staleMarkersAreNotAggregated() {
        let samples = [Sample(t: 0, v: 1), Sample(t: 1000, v: StaleMarker.value), Sample(t: 2000, v: 3)]
        let r = Rollup.compute(samples, resolution: 300_000)
        #expect(r[.count] == [Sample(t: 2000, v: 2)])
        #expect(r[.sum] == [Sample(t: 2000, v: 4)])
    }

    @Test func queriesReadRollupsOnlyWhereRawDataExpired() throws {
        let dir = TSDBTests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let hour: Int64 = 3_600_000
        let db = try TSDBTests.open(dir) {
            $0.blockRange = 2 * hour
            $0.retention = 12 * hour
            $0.downsample = [DownsampleLevel(resolution: 5 * 60_000, retention: 1000 * hour)]
        }
        let minutes = 30 * 60
        for m in 0..<minutes {
            try db.append([LabeledSample(TSDBTests.series("m", ["job": "j"]), t: Int64(m) * 60_000, v: Double(m))])
        }
        db.applyRetention(now: 30 * hour)
        let metas = db.blockMetas
        #expect(metas.contains { $0.resolution == 300_000 })
        let newest = Int64(minutes - 1) * 60_000

        let auto = try #require(db.select(TSDBTests.all, mint: .min, maxt: .max).first?.samples)
        let raw = try #require(db.select(TSDBTests.all, mint: .min, maxt: .max,
                                         hints: SelectHints(maxSourceResolution: 0)).first?.samples)
        // Raw data reaches back at most the retention; everything it holds is exact.
        #expect(raw.first!.t >= newest - 12 * hour - 6 * hour)
        #expect(raw.allSatisfy { $0.v == Double($0.t / 60_000) })
        #expect(zip(raw, raw.dropFirst()).allSatisfy { $1.t - $0.t == 60_000 })
        // Before the raw horizon the answer comes from 5m rollups (`last` of each step), then raw data exactly.
        #expect(auto.first == Sample(t: 4 * 60_000, v: 4))
        let rolled = auto.prefix { $0.t < raw.first!.t }
        #expect(!rolled.isEmpty)
        #expect(rolled.allSatisfy { ($0.t / 60_000) % 5 == 4 && $0.v == Double($0.t / 60_000) })
        #expect(Array(auto.suffix(raw.count)) == raw)

        // An explicit resolution reads rollups where they exist, with another aggregate.
        let maxes = try #require(db.select(TSDBTests.all, mint: 0, maxt: 6 * hour - 1,
                                           hints: SelectHints(maxSourceResolution: 3_600_000, aggregate: .max))
            .first?.samples)
        #expect(maxes.count == 72)
        #expect(maxes.first == Sample(t: 4 * 60_000, v: 4))
    }
}
