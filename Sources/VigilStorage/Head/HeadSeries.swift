import VigilCore

/// A closed, immutable compressed chunk of one series.
public struct EncodedChunk: Sendable {
    public var minTime: Int64
    public var maxTime: Int64
    public var count: Int
    public var bytes: [UInt8]
    public var encoding: ChunkEncoding

    public init(minTime: Int64, maxTime: Int64, count: Int, bytes: [UInt8], encoding: ChunkEncoding = .xor) {
        self.minTime = minTime
        self.maxTime = maxTime
        self.count = count
        self.bytes = bytes
        self.encoding = encoding
    }

    /// Decoded samples inside `[mint, maxt]`, appended to `out`.
    func decode(into out: inout [Sample], mint: Int64, maxt: Int64) {
        guard maxTime >= mint, minTime <= maxt else { return }
        bytes.withUnsafeBufferPointer { EncodedChunk.decode($0, encoding, into: &out, mint: mint, maxt: maxt) }
    }

    /// Decodes a chunk of either encoding into `out`, keeping samples in `[mint, maxt]`; a damaged tail is dropped.
    static func decode(_ buf: UnsafeBufferPointer<UInt8>, _ encoding: ChunkEncoding, into out: inout [Sample],
                       mint: Int64, maxt: Int64) {
        switch encoding {
        case .xor:
            guard var it = try? XORChunkIterator(buf) else { return }
            while let s = try? it.next() {
                if s.t > maxt { break }
                if s.t >= mint { out.append(s) }
            }
        case .decimal:
            guard let all = try? DecimalChunk.decode(buf) else { return }
            for s in all where s.t >= mint && s.t <= maxt { out.append(s) }
        }
    }

    /// Every sample of the chunk.
    var samples: [Sample] {
        var out: [Sample] = []
        decode(into: &out, mint: .min, maxt: .max)
        return out
    }
}

/// One series in the head: closed chunks, the open chunk being appended to, and late samples.
final class HeadSeries: @unchecked Sendable {
    static let samplesPerChunk = 120

    let id: UInt64
    let labels: Labels
    /// Closed chunks in time order: in memory, or written to `chunks_head/` (a `diskRefs` entry, `bytes` empty).
    var closed: [EncodedChunk] = []
    var diskRefs: [DiskChunkRef?] = []
    var open = XORChunk()
    var lastT: Int64 = .min
    var lastV: UInt64 = 0
    /// Samples accepted inside the out-of-order window, sorted by time.
    var late: [Sample] = []

    /// Where this series' closed chunks are written; nil keeps them in memory.
    let files: HeadChunkFiles?

    init(id: UInt64, labels: Labels, files: HeadChunkFiles? = nil) {
        self.id = id
        self.labels = labels
        self.files = files
    }

    var minTime: Int64? {
        let a = closed.first?.minTime ?? (open.count > 0 ? open.minTime : nil)
        guard let l = late.first?.t else { return a }
        return min(a ?? l, l)
    }

    var sampleCount: Int { closed.reduce(0) { $0 + $1.count } + open.count + late.count }

    /// Appends an in-order sample, closing the open chunk when full or when `t` enters a new block range.
    func append(t: Int64, v: Double, blockRange: Int64) {
        if open.count >= HeadSeries.samplesPerChunk
            || (open.count > 0 && HeadSeries.rangeIndex(t, blockRange) != HeadSeries.rangeIndex(lastT, blockRange))
        {
            closeOpenChunk()
        }
        open.append(t: t, v: v)
        lastT = t
        lastV = v.bitPattern
    }

    func closeOpenChunk() {
        guard open.count > 0 else { return }
        var chunk = EncodedChunk(minTime: open.minTime, maxTime: open.maxTime, count: open.count, bytes: open.bytes)
        let ref = files?.write(chunk.bytes, maxTime: chunk.maxTime)
        if ref != nil { chunk.bytes = [] }
        closed.append(chunk)
        diskRefs.append(ref)
        open = XORChunk()
    }

    /// Inserts a late sample (inside the out-of-order window); false when that timestamp already exists.
    func insertLate(t: Int64, v: Double) -> Bool {
        var lo = 0
        var hi = late.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if late[mid].t < t { lo = mid + 1 } else { hi = mid }
        }
        if lo < late.count && late[lo].t == t { return false }
        late.insert(Sample(t: t, v: v), at: lo)
        return true
    }

    static func rangeIndex(_ t: Int64, _ range: Int64) -> Int64 {
        t >= 0 ? t / range : (t - range + 1) / range
    }

    /// Samples in `[mint, maxt]` in time order, late samples merged in (in-order samples win on equal times).
    func samples(mint: Int64, maxt: Int64) -> [Sample] {
        var out: [Sample] = []
        for (i, c) in closed.enumerated() where c.maxTime >= mint && c.minTime <= maxt {
            if let ref = diskRefs[i], let files {
                EncodedChunk.decode(files.bytes(ref), c.encoding, into: &out, mint: mint, maxt: maxt)
            } else {
                c.decode(into: &out, mint: mint, maxt: maxt)
            }
        }
        if open.count > 0 && open.maxTime >= mint && open.minTime <= maxt {
            let bytes = open.bytes
            EncodedChunk(minTime: open.minTime, maxTime: open.maxTime, count: open.count, bytes: bytes)
                .decode(into: &out, mint: mint, maxt: maxt)
        }
        let extra = late.filter { $0.t >= mint && $0.t <= maxt }
        return extra.isEmpty ? out : Head.merge(out, extra)
    }

    /// Drops everything before `t` (closed chunks entirely before it, late samples before it).
    func truncate(before t: Int64) {
        let keep = closed.firstIndex { $0.maxTime >= t } ?? closed.count
        closed.removeFirst(keep)
        diskRefs.removeFirst(keep)
        if open.count > 0 && open.maxTime < t { open = XORChunk() }
        late.removeAll { $0.t < t }
    }
}
