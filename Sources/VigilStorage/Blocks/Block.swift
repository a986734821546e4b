import Foundation
import VigilCore

/// An immutable block opened for reading: the index in memory, chunk bytes memory-mapped.
final class Block: @unchecked Sendable {
    struct ChunkRef {
        var minTime: Int64
        var maxTime: Int64
        var offset: Int
        var length: Int
        var count: Int
        var encoding: ChunkEncoding
    }

    struct BlockSeries {
        var labels: Labels
        var chunks: [ChunkRef]
    }

    let path: String
    let meta: BlockMeta
    let series: [BlockSeries]
    private let postings: [String: [String: [Int32]]]
    private let map: UnsafeRawBufferPointer
    private let logger: Logger
    private let damaged = NSLock()
    private var reportedDamage = false

    /// Opens the block at `path`; throws when meta or index are missing or fail their checks.
    init(path: String, logger: Logger) throws(StorageError) {
        self.path = path
        self.logger = logger
        guard let metaData = FileManager.default.contents(atPath: path + "/meta.json"),
            let meta = try? JSONDecoder().decode(BlockMeta.self, from: metaData)
        else { throw StorageError.corrupt("block \(path): unreadable meta.json") }
        self.meta = meta
        guard let indexData = FileManager.default.contents(atPath: path + "/index") else {
            throw StorageError.corrupt("block \(path): missing index")
        }
        let parsed: [BlockSeries]
        do {
            parsed = try indexData.withUnsafeBytes { buf in try Block.parseIndex(buf, path: path) }
        } catch let e as StorageError {
            throw e
        } catch {
            throw StorageError.corrupt("block \(path): \(error)")
        }
        series = parsed
        var post: [String: [String: [Int32]]] = [:]
        for (i, s) in parsed.enumerated() {
            for p in s.labels.pairs { post[p.name, default: [:]][p.value, default: []].append(Int32(i)) }
        }
        postings = post
        map = try Block.mapFile(path + "/chunks")
        for s in parsed {
            for c in s.chunks where c.offset + c.length + 4 > map.count {
                throw StorageError.corrupt("block \(path): chunk reference beyond the end of the chunks file")
            }
        }
    }

    deinit {
        if let base = map.baseAddress, map.count > 0 { munmap(UnsafeMutableRawPointer(mutating: base), map.count) }
    }

    static func mapFile(_ path: String) throws(StorageError) -> UnsafeRawBufferPointer {
        let f = open(path, O_RDONLY | O_CLOEXEC)
        guard f >= 0 else { throw StorageError.corrupt("open \(path): \(String(cString: strerror(errno)))") }
        defer { close(f) }
        var st = stat()
        fstat(f, &st)
        let size = Int(st.st_size)
        if size == 0 { return UnsafeRawBufferPointer(start: nil, count: 0) }
        guard let p = mmap(nil, size, PROT_READ, MAP_SHARED, f, 0), p != MAP_FAILED else {
            throw StorageError.io("mmap \(path): \(String(cString: strerror(errno)))")
        }
        return UnsafeRawBufferPointer(start: p, count: size)
    }

    static func parseIndex(_ buf: UnsafeRawBufferPointer, path: String) throws(StorageError) -> [BlockSeries] {
        guard buf.count >= 9 else { throw StorageError.corrupt("block \(path): index too short") }
        var tail = ByteReader(buf, at: buf.count - 4)
        let crc = try tail.u32()
        guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: buf[0..<(buf.count - 4)])) == crc else {
            throw StorageError.corrupt("block \(path): index checksum mismatch")
        }
        var r = ByteReader(UnsafeRawBufferPointer(rebasing: buf[0..<(buf.count - 4)]))
        guard try r.u32() == BlockWriter.indexMagic, try r.u8() == 1 else {
            throw StorageError.corrupt("block \(path): not a Vigil index")
        }
        let nsym = Int(try r.uvarint())
        var symbols: [String] = []
        symbols.reserveCapacity(nsym)
        for _ in 0..<nsym { symbols.append(try r.string()) }
        let n = Int(try r.uvarint())
        var out: [BlockSeries] = []
        out.reserveCapacity(n)
        for _ in 0..<n {
            let nl = Int(try r.uvarint())
            var labels: [Label] = []
            labels.reserveCapacity(nl)
            for _ in 0..<nl {
                let a = Int(try r.uvarint())
                let b = Int(try r.uvarint())
                guard a < symbols.count, b < symbols.count else {
                    throw StorageError.corrupt("block \(path): bad symbol")
                }
                labels.append(Label(symbols[a], symbols[b]))
            }
            let nc = Int(try r.uvarint())
            var chunks: [ChunkRef] = []
            chunks.reserveCapacity(nc)
            for _ in 0..<nc {
                let minT = try r.varint()
                let span = Int64(try r.uvarint())
                let offset = Int(try r.uvarint())
                let length = Int(try r.uvarint())
                let count = Int(try r.uvarint())
                guard let encoding = ChunkEncoding(rawValue: try r.u8()) else {
                    throw StorageError.corrupt("block \(path): unknown chunk encoding")
                }
                chunks.append(ChunkRef(minTime: minT, maxTime: minT + span, offset: offset, length: length,
                                       count: count, encoding: encoding))
            }
            out.append(BlockSeries(labels: Labels(sortedUnchecked: labels), chunks: chunks))
        }
        return out
    }

    /// Indexes of series matching every matcher.
    func select(_ matchers: [LabelMatcher]) -> [Int] {
        var candidate: [Int32]? = nil
        var filters: [LabelMatcher] = []
        for m in matchers {
            if m.matchesEmpty {
                filters.append(m)
                continue
            }
            var ids: [Int32] = []
            if let values = postings[m.name] {
                if m.kind == .equal {
                    ids = values[m.value] ?? []
                } else {
                    var set = Set<Int32>()
                    for (v, list) in values where m.matches(v) { set.formUnion(list) }
                    ids = set.sorted()
                }
            }
            if let c = candidate {
                let s = Set(ids)
                candidate = c.filter { s.contains($0) }
            } else {
                candidate = ids
            }
            if candidate!.isEmpty { return [] }
        }
        let base = candidate.map { $0.map(Int.init) } ?? Array(series.indices)
        return filters.isEmpty ? base : base.filter { i in filters.allSatisfy { $0.matches(series[i].labels) } }
    }

    /// The chunk's bytes, or nil when its checksum fails (reported once per block).
    func chunkBytes(_ c: ChunkRef) -> UnsafeBufferPointer<UInt8>? {
        let raw = UnsafeRawBufferPointer(rebasing: map[c.offset..<(c.offset + c.length)])
        var r = ByteReader(map, at: c.offset + c.length)
        guard let crc = try? r.u32(), CRC32C.checksum(raw) == crc else {
            let first = damaged.withLock { () -> Bool in
                defer { reportedDamage = true }
                return !reportedDamage
            }
            if first { logger.warning("skipping damaged chunk", ["block": path, "chunk.offset": String(c.offset)]) }
            return nil
        }
        return raw.bindMemory(to: UInt8.self)
    }

    /// Decoded samples of one series in `[mint, maxt]`.
    func samples(_ index: Int, mint: Int64, maxt: Int64) -> [Sample] {
        var out: [Sample] = []
        for c in series[index].chunks where c.maxTime >= mint && c.minTime <= maxt {
            guard let bytes = chunkBytes(c) else { continue }
            EncodedChunk.decode(bytes, c.encoding, into: &out, mint: mint, maxt: maxt)
        }
        return out
    }

    /// The raw encoded chunks of one series (for compaction).
    func encodedChunks(_ index: Int) -> [EncodedChunk] {
        series[index].chunks.compactMap { c in
            chunkBytes(c).map {
                EncodedChunk(minTime: c.minTime, maxTime: c.maxTime, count: c.count, bytes: Array($0),
                             encoding: c.encoding)
            }
        }
    }

    /// Bytes on disk.
    var diskSize: Int {
        var total = 0
        for f in ["meta.json", "index", "chunks"] {
            var st = stat()
            if stat(path + "/" + f, &st) == 0 { total += Int(st.st_size) }
        }
        return total
    }
}
