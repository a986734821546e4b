import VigilCore

/// One logical WAL record: new series, or samples of known series.
public enum WALRecord: Equatable, Sendable {
    case series([WALSeries])
    case samples([WALSample])

    static let seriesType: UInt8 = 1
    static let samplesType: UInt8 = 2

    /// Header: type (1 byte), payload length (4 bytes BE), CRC-32C of the payload (4 bytes BE).
    static let headerSize = 9

    /// The record framed for a segment file.
    func encoded() -> [UInt8] {
        var payload = ByteWriter()
        let type: UInt8
        switch self {
        case .series(let list):
            type = WALRecord.seriesType
            payload.uvarint(UInt64(list.count))
            for s in list {
                payload.uvarint(s.id)
                payload.uvarint(UInt64(s.labels.count))
                for l in s.labels.pairs {
                    payload.string(l.name)
                    payload.string(l.value)
                }
            }
        case .samples(let list):
            type = WALRecord.samplesType
            payload.uvarint(UInt64(list.count))
            var prevT: Int64 = 0
            for s in list {
                payload.uvarint(s.id)
                payload.varint(s.t &- prevT)
                payload.u64(s.v.bitPattern)
                prevT = s.t
            }
        }
        var out = ByteWriter(capacity: payload.bytes.count + WALRecord.headerSize)
        out.u8(type)
        out.u32(UInt32(payload.bytes.count))
        out.u32(CRC32C.checksum(payload.bytes))
        out.raw(payload.bytes)
        return out.bytes
    }

    /// Decodes one framed record at `reader.pos`; throws on a short, mismatched or malformed record.
    static func decode(_ reader: inout ByteReader) throws(StorageError) -> WALRecord {
        let type = try reader.u8()
        let length = Int(try reader.u32())
        let crc = try reader.u32()
        let payload = try reader.bytes(length)
        guard CRC32C.checksum(payload) == crc else { throw StorageError.corrupt("checksum mismatch") }
        var p = ByteReader(payload)
        switch type {
        case seriesType:
            let n = Int(try p.uvarint())
            var list: [WALSeries] = []
            list.reserveCapacity(min(n, 1 << 16))
            for _ in 0..<n {
                let id = try p.uvarint()
                let count = Int(try p.uvarint())
                var labels: [Label] = []
                for _ in 0..<count { labels.append(Label(try p.string(), try p.string())) }
                list.append(WALSeries(id: id, labels: Labels(labels)))
            }
            return .series(list)
        case samplesType:
            let n = Int(try p.uvarint())
            var list: [WALSample] = []
            list.reserveCapacity(min(n, 1 << 16))
            var t: Int64 = 0
            for _ in 0..<n {
                let id = try p.uvarint()
                t = t &+ (try p.varint())
                list.append(WALSample(id: id, t: t, v: Double(bitPattern: try p.u64())))
            }
            return .samples(list)
        default:
            throw StorageError.corrupt("unknown record type \(type)")
        }
    }
}

/// A series definition in the WAL: the head's id for it and its labels.
public struct WALSeries: Equatable, Sendable {
    public var id: UInt64
    public var labels: Labels
    public init(id: UInt64, labels: Labels) {
        self.id = id
        self.labels = labels
    }
}

/// A sample in the WAL, by series id.
public struct WALSample: Equatable, Sendable {
    public var id: UInt64
    public var t: Int64
    public var v: Double
    public init(id: UInt64, t: Int64, v: Double) {
        self.id = id
        self.t = t
        self.v = v
    }
    public static func == (a: WALSample, b: WALSample) -> Bool {
        a.id == b.id && a.t == b.t && a.v.bitPattern == b.v.bitPattern
    }
}
