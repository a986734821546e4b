import Foundation
import Testing
import VigilCore
@testable import VigilStorage

struct TSDBTests {
    static func tempDir() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-tsdb-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func open(_ dir: String, _ configure: (inout TSDBOptions) -> Void = { _ in },
                     sink: MemoryLogSink = MemoryLogSink()) throws -> TSDB {
        var o = TSDBOptions()
        o.walSync = .always
        configure(&o)
        return try TSDB(directory: dir, options: o, logger: Logger(level: .info, sink: sink))
    }

    static func series(_ name: String, _ extra: [String: String] = [:]) -> Labels {
        var d = extra
        d["__name__"] = name
        return Labels(d)
    }

    static let all = [try! LabelMatcher(.regexMatch, "__name__", ".+")]

    @Test func appendedSamplesAreSelectable() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = try Self.open(dir)
        let a = Self.series("a", ["job": "x"])
        let r = try db.append((0..<300).map { LabeledSample(a, t: Int64($0) * 15000, v: Double($0)) })
        #expect(r.accepted == 300)
        let got = db.select([try LabelMatcher(.equal, "job", "x")], mint: 15000, maxt: 30000)
        #expect(got.count == 1)
        #expect(got.first?.samples == [Sample(t: 15000, v: 1), Sample(t: 30000, v: 2)])
    }

    @Test func outOfOrderAndDuplicatesAreRejectedAndCounted() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = try Self.open(dir)
        let a = Self.series("a")
        try db.append([LabeledSample(a, t: 1000, v: 1), LabeledSample(a, t: 2000, v: 2)])
        let r = try db.append([LabeledSample(a, t: 1500, v: 9), LabeledSample(a, t: 2000, v: 3),
                               LabeledSample(a, t: 2000, v: 2), LabeledSample(a, t: 3000, v: 3)])
        #expect(r == AppendResult(accepted: 1, outOfOrder: 1, duplicate: 1))
        #expect(db.select(Self.all, mint: 0, maxt: 10000).first?.samples.map(\.t) == [1000, 2000, 3000])
    }

    @Test func outOfOrderWindowAcceptsLateSamples() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = try Self.open(dir) { $0.outOfOrderWindow = 60_000 }
        let a = Self.series("a")
        try db.append([LabeledSample(a, t: 100_000, v: 1), LabeledSample(a, t: 200_000, v: 2)])
        let r = try db.append([LabeledSample(a, t: 150_000, v: 9), LabeledSample(a, t: 120_000, v: 8)])
        #expect(r.accepted == 1)
        #expect(r.outOfOrder == 1)
        #expect(db.select(Self.all, mint: 0, maxt: 300_000).first?.samples.map(\.t) == [100_000, 150_000, 200_000])
    }

    @Test func restartReplaysTheWAL() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var expected: [Sample] = []
        do {
            let db = try Self.open(dir)
            for i in 0..<50 {
                try db.append([LabeledSample(Self.series("a", ["i": "1"]), t: Int64(i) * 1000, v: Double(i) * 0.5)])
                expected.append(Sample(t: Int64(i) * 1000, v: Double(i) * 0.5))
            }
            db.close()
        }
        let db = try Self.open(dir)
        #expect(db.select(Self.all, mint: .min, maxt: .max).first?.samples == expected)
        try db.append([LabeledSample(Self.series("b"), t: 1, v: 1)])
        #expect(db.stats.series == 2)
    }

    /// A samples record of one sample is 20 bytes (9 header + count, id, time delta, 8 value bytes): cut inside it.
    @Test(arguments: [3, 11, 19])
    func tornTailIsTruncatedWithAWarning(cut: Int) throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            let db = try Self.open(dir)
            for i in 0..<10 { try db.append([LabeledSample(Self.series("a"), t: Int64(i), v: 1)]) }
            db.close()
        }
        let segment = dir + "/wal/00000000"
        let size = try #require(try FileManager.default.attributesOfItem(atPath: segment)[.size] as? Int)
        #expect(truncate(segment, off_t(size - cut)) == 0)
        let sink = MemoryLogSink()
        let db = try Self.open(dir, sink: sink)
        let samples = try #require(db.select(Self.all, mint: .min, maxt: .max).first?.samples)
        #expect(samples.map(\.t) == Array(0..<9))
        let warning = try #require(sink.lines.first { $0.contains("torn or corrupt WAL tail") })
        #expect(warning.contains("wal.offset="))
        // The store keeps working after the repair.
        try db.append([LabeledSample(Self.series("a"), t: 100, v: 1)])
        db.close()
        #expect(try Self.open(dir).select(Self.all, mint: .min, maxt: .max).first?.samples.count == 10)
    }

    @Test func flippedBytesInTheWALKeepTheRecordsBeforeThem() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            let db = try Self.open(dir)
            for i in 0..<20 { try db.append([LabeledSample(Self.series("a"), t: Int64(i), v: Double(i))]) }
            db.close()
        }
        let segment = dir + "/wal/00000000"
        var bytes = try #require(FileManager.default.contents(atPath: segment).map(Array.init))
        bytes[bytes.count * 2 / 3] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        let db = try Self.open(dir)
        let samples = try #require(db.select(Self.all, mint: .min, maxt: .max).first?.samples)
        #expect(samples.count > 5 && samples.count < 20)
        #expect(samples.map(\.t) == Array(0..<Int64(samples.count)))
    }

    @Test func headIsCutIntoBlocksAndServedExactly() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let hour: Int64 = 3_600_000
        var expected: [Labels: [Sample]] = [:]
        do {
            let db = try Self.open(dir) { $0.blockRange = 2 * hour }
            for step in 0..<(6 * 240) {
                let t = Int64(step) * 15_000
                var batch: [LabeledSample] = []
                for k in 0..<3 {
                    let l = Self.series("m", ["k": String(k)])
                    let v = k == 0 ? Double(step) : (k == 1 ? 42 : sin(Double(step)) * 1e3)
                    batch.append(LabeledSample(l, t: t, v: v))
                    expected[l, default: []].append(Sample(t: t, v: v))
                }
                try db.append(batch)
            }
            db.applyRetention(now: 6 * hour)
            #expect(db.blockMetas.count == 2)
            #expect(db.blockMetas.first?.minTime == 0)
            #expect(db.blockMetas.first?.maxTime == 2 * hour)
            for s in db.select(Self.all, mint: .min, maxt: .max) { #expect(s.samples == expected[s.labels]) }
            db.close()
        }
        let db = try Self.open(dir) { $0.blockRange = 2 * hour }
        let got = db.select(Self.all, mint: .min, maxt: .max)
        #expect(got.count == 3)
        for s in got { #expect(s.samples == expected[s.labels]) }
        let window = db.select([try LabelMatcher(.equal, "k", "0")], mint: hour + 1, maxt: 3 * hour)
        #expect(window.first?.samples.first?.t == hour + 15_000)
        #expect(window.first?.samples.last?.t == 3 * hour)
    }

    @Test func corruptBlockIsQuarantinedAndTheRestServed() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let hour: Int64 = 3_600_000
        do {
            let db = try Self.open(dir) { $0.blockRange = 2 * hour }
            for step in 0..<(6 * 60) {
                try db.append([LabeledSample(Self.series("m"), t: Int64(step) * 60_000, v: Double(step))])
            }
            db.applyRetention(now: 6 * hour)
            db.close()
        }
        let blocks = try FileManager.default.contentsOfDirectory(atPath: dir + "/blocks").sorted { a, b in
            let meta = { (n: String) in
                (try? JSONDecoder().decode(BlockMeta.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/blocks/" + n
                    + "/meta.json"))))?.minTime ?? 0
            }
            return meta(a) < meta(b)
        }
        #expect(blocks.count == 2)
        let index = dir + "/blocks/" + blocks[0] + "/index"
        var bytes = try #require(FileManager.default.contents(atPath: index).map(Array.init))
        bytes[bytes.count / 2] ^= 0x55
        try Data(bytes).write(to: URL(fileURLWithPath: index))
        let sink = MemoryLogSink()
        let db = try Self.open(dir, { $0.blockRange = 2 * hour }, sink: sink)
        #expect(sink.lines.contains { $0.contains("quarantined damaged block") })
        #expect(FileManager.default.fileExists(atPath: dir + "/quarantine/" + blocks[0]))
        let samples = try #require(db.select(Self.all, mint: .min, maxt: .max).first?.samples)
        let first = try #require(samples.first)
        let last = try #require(samples.last)
        #expect(first.t == 2 * hour)
        #expect(last.t == 359 * 60_000)
    }

    @Test func retentionDeletesOldBlocksCountingFromTheNewestSample() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let hour: Int64 = 3_600_000
        let db = try Self.open(dir) {
            $0.blockRange = 2 * hour
            $0.retention = 5 * hour
            $0.downsample = []
        }
        for step in 0..<(12 * 60) {
            try db.append([LabeledSample(Self.series("m"), t: Int64(step) * 60_000, v: 1)])
        }
        // Wall-clock "now" far in the future must not matter: retention counts from the newest sample.
        db.applyRetention(now: 1_000 * hour)
        let metas = db.blockMetas
        #expect(!metas.isEmpty)
        #expect(metas.allSatisfy { $0.maxTime > 12 * hour - 60_000 - 5 * hour })
        let first = try #require(db.select(Self.all, mint: .min, maxt: .max).first?.samples.first)
        #expect(first.t >= 4 * hour)
    }

    @Test func blocksAreCompactedIntoLargerRanges() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let hour: Int64 = 3_600_000
        let db = try Self.open(dir) {
            $0.blockRange = 2 * hour
            $0.retention = 100 * hour
        }
        var expected: [Sample] = []
        for step in 0..<(10 * 60) {
            let s = Sample(t: Int64(step) * 60_000, v: Double(step % 7))
            try db.append([LabeledSample(Self.series("m"), t: s.t, v: s.v)])
            expected.append(s)
        }
        db.applyRetention(now: 10 * hour)
        let metas = db.blockMetas
        #expect(metas.first?.minTime == 0)
        #expect(metas.first?.maxTime == 6 * hour)
        #expect(metas.first?.compaction.level == 2)
        #expect(db.select(Self.all, mint: .min, maxt: .max).first?.samples == expected)
    }
}
