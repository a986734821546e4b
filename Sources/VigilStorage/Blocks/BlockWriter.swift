import Foundation
import VigilCore

/// Writes one immutable block directory (`meta.json`, `index`, `chunks`) atomically (format in `Blocks/FORMAT.md`).
struct BlockWriter {
    struct SeriesChunks {
        var labels: Labels
        var chunks: [EncodedChunk]
    }

    static let indexMagic: UInt32 = 0x5647_4958  // "VGIX"

    /// Writes `series` (any order) as block `meta.ulid` under `directory`; returns the final path.
    static func write(_ series: [SeriesChunks], meta: BlockMeta, directory: String) throws(StorageError) -> String {
        let tmp = directory + "/" + meta.ulid + ".tmp"
        do {
            return try writeUnchecked(series, meta: meta, directory: directory)
        } catch {
            // A failed write (disk full, say) leaves nothing behind.
            try? FileManager.default.removeItem(atPath: tmp)
            throw error
        }
    }

    private static func writeUnchecked(_ series: [SeriesChunks], meta: BlockMeta, directory: String)
        throws(StorageError) -> String
    {
        let final = directory + "/" + meta.ulid
        let tmp = final + ".tmp"
        try? FileManager.default.removeItem(atPath: tmp)
        try WAL.makeDirectory(tmp)
        let sorted = series.filter { !$0.chunks.isEmpty }.sorted { $0.labels < $1.labels }

        var chunkFile = ByteWriter()
        var symbols = Set<String>()
        for s in sorted {
            for p in s.labels.pairs {
                symbols.insert(p.name)
                symbols.insert(p.value)
            }
        }
        let symbolList = symbols.sorted()
        var symbolIndex: [String: Int] = [:]
        for (i, s) in symbolList.enumerated() { symbolIndex[s] = i }

        var index = ByteWriter()
        index.u32(indexMagic)
        index.u8(1)
        index.uvarint(UInt64(symbolList.count))
        for s in symbolList { index.string(s) }
        index.uvarint(UInt64(sorted.count))
        var numSamples = 0
        var numChunks = 0
        for s in sorted {
            index.uvarint(UInt64(s.labels.count))
            for p in s.labels.pairs {
                index.uvarint(UInt64(symbolIndex[p.name]!))
                index.uvarint(UInt64(symbolIndex[p.value]!))
            }
            index.uvarint(UInt64(s.chunks.count))
            for c in s.chunks {
                let offset = chunkFile.bytes.count
                chunkFile.raw(c.bytes)
                chunkFile.u32(CRC32C.checksum(c.bytes))
                index.varint(c.minTime)
                index.uvarint(UInt64(c.maxTime - c.minTime))
                index.uvarint(UInt64(offset))
                index.uvarint(UInt64(c.bytes.count))
                index.uvarint(UInt64(c.count))
                index.u8(c.encoding.rawValue)
                numSamples += c.count
                numChunks += 1
            }
        }
        index.u32(CRC32C.checksum(index.bytes))

        var m = meta
        m.stats = BlockMeta.Stats(numSeries: sorted.count, numSamples: numSamples, numChunks: numChunks)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let metaData = try? encoder.encode(m) else { throw StorageError.io("encode meta.json of \(m.ulid)") }
        try writeFile(tmp + "/chunks", chunkFile.bytes)
        try writeFile(tmp + "/index", index.bytes)
        try writeFile(tmp + "/meta.json", Array(metaData))
        WAL.syncDirectory(tmp)
        guard rename(tmp, final) == 0 else {
            let message = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: tmp)
            throw StorageError.io("rename block \(tmp): \(message)")
        }
        WAL.syncDirectory(directory)
        return final
    }

    static func writeFile(_ path: String, _ bytes: [UInt8]) throws(StorageError) {
        let f = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard f >= 0 else { throw StorageError.io("create \(path): \(String(cString: strerror(errno)))") }
        defer { close(f) }
        let err: Int32? = bytes.withUnsafeBytes { buf -> Int32? in
            var off = 0
            while off < buf.count {
                let n = Glibc.write(f, buf.baseAddress! + off, buf.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                off += n
            }
            return fsync(f) == 0 ? nil : errno
        }
        if let err { throw StorageError.io("write \(path): \(String(cString: strerror(err)))") }
    }
}
