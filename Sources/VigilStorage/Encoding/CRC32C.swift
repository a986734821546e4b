/// CRC-32C (Castagnoli), the checksum of WAL records, chunks and block indexes.
///
/// - Complexity: O(n), slicing-by-1 table lookup.
public enum CRC32C {
    private static let table: [UInt32] = (0..<256).map { i -> UInt32 in
        var c = UInt32(i)
        for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
        return c
    }

    /// The checksum of `bytes`, continuing from `crc` (0 for a fresh one).
    public static func checksum<C: Collection>(_ bytes: C, crc: UInt32 = 0) -> UInt32 where C.Element == UInt8 {
        var c = ~crc
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xff)] ^ (c >> 8) }
        return ~c
    }

    /// The checksum of a raw buffer.
    public static func checksum(_ buf: UnsafeRawBufferPointer) -> UInt32 {
        var c: UInt32 = ~0
        table.withUnsafeBufferPointer { t in
            for b in buf { c = t[Int((c ^ UInt32(b)) & 0xff)] ^ (c >> 8) }
        }
        return ~c
    }
}

/// Byte-level encoding helpers for on-disk formats.
struct ByteWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func u8(_ v: UInt8) { bytes.append(v) }

    mutating func u32(_ v: UInt32) {
        bytes.append(UInt8(truncatingIfNeeded: v >> 24))
        bytes.append(UInt8(truncatingIfNeeded: v >> 16))
        bytes.append(UInt8(truncatingIfNeeded: v >> 8))
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    mutating func u64(_ v: UInt64) {
        u32(UInt32(truncatingIfNeeded: v >> 32))
        u32(UInt32(truncatingIfNeeded: v))
    }

    mutating func uvarint(_ v: UInt64) {
        var x = v
        while x >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: x) | 0x80)
            x >>= 7
        }
        bytes.append(UInt8(x))
    }

    mutating func varint(_ v: Int64) { uvarint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }

    mutating func string(_ s: String) {
        uvarint(UInt64(s.utf8.count))
        bytes.append(contentsOf: s.utf8)
    }

    mutating func raw(_ b: [UInt8]) { bytes.append(contentsOf: b) }
}

/// Reads what `ByteWriter` wrote; every read throws `.truncated` past the end.
struct ByteReader {
    let buf: UnsafeRawBufferPointer
    var pos: Int

    init(_ buf: UnsafeRawBufferPointer, at pos: Int = 0) {
        self.buf = buf
        self.pos = pos
    }

    var remaining: Int { buf.count - pos }

    mutating func u8() throws(StorageError) -> UInt8 {
        guard pos < buf.count else { throw StorageError.truncated }
        defer { pos += 1 }
        return buf[pos]
    }

    mutating func u32() throws(StorageError) -> UInt32 {
        guard pos + 4 <= buf.count else { throw StorageError.truncated }
        defer { pos += 4 }
        return UInt32(buf[pos]) << 24 | UInt32(buf[pos + 1]) << 16 | UInt32(buf[pos + 2]) << 8 | UInt32(buf[pos + 3])
    }

    mutating func u64() throws(StorageError) -> UInt64 {
        let hi = try u32()
        let lo = try u32()
        return UInt64(hi) << 32 | UInt64(lo)
    }

    mutating func uvarint() throws(StorageError) -> UInt64 {
        var x: UInt64 = 0
        var s: UInt64 = 0
        for _ in 0..<10 {
            let b = try u8()
            if b < 0x80 { return x | (UInt64(b) << s) }
            x |= UInt64(b & 0x7f) << s
            s += 7
        }
        throw StorageError.corrupt("varint overflows 64 bits")
    }

    mutating func varint() throws(StorageError) -> Int64 {
        let u = try uvarint()
        return Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1)
    }

    mutating func string() throws(StorageError) -> String {
        let n = Int(try uvarint())
        guard n <= remaining else { throw StorageError.truncated }
        defer { pos += n }
        return String(decoding: UnsafeRawBufferPointer(rebasing: buf[pos..<(pos + n)]), as: UTF8.self)
    }

    mutating func bytes(_ n: Int) throws(StorageError) -> UnsafeRawBufferPointer {
        guard n >= 0, n <= remaining else { throw StorageError.truncated }
        defer { pos += n }
        return UnsafeRawBufferPointer(rebasing: buf[pos..<(pos + n)])
    }
}

/// Errors of the storage engine; messages say what failed and where.
public enum StorageError: Error, Equatable, CustomStringConvertible {
    case truncated
    case corrupt(String)
    case io(String)

    public var description: String {
        switch self {
        case .truncated: "unexpected end of data"
        case .corrupt(let why): "corrupt data: \(why)"
        case .io(let why): why
        }
    }
}
