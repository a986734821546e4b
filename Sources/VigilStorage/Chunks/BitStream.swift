/// An append-only big-endian bit writer over a byte array.
///
/// - Complexity: O(1) amortised per call.
struct BitWriter {
    private(set) var bytes: [UInt8] = []
    /// Bits still free in the last byte (0...8; 0 means a new byte is needed).
    private(set) var freeBits = 0

    init() {}

    init(bytes: [UInt8], freeBits: Int) {
        self.bytes = bytes
        self.freeBits = freeBits
    }

    var bitCount: Int { bytes.count * 8 - freeBits }

    mutating func writeBit(_ bit: Bool) {
        if freeBits == 0 {
            bytes.append(0)
            freeBits = 8
        }
        if bit { bytes[bytes.count - 1] |= 1 << (freeBits - 1) }
        freeBits -= 1
    }

    /// Writes the low `count` bits of `value`, most significant first.
    mutating func writeBits(_ value: UInt64, _ count: Int) {
        var n = count
        while n > 0 {
            if freeBits == 0 {
                bytes.append(0)
                freeBits = 8
            }
            let take = min(freeBits, n)
            let shift = n - take
            let chunk = UInt8(truncatingIfNeeded: (value >> UInt64(shift)) & ((1 << UInt64(take)) - 1))
            bytes[bytes.count - 1] |= chunk << (freeBits - take)
            freeBits -= take
            n -= take
        }
    }

    mutating func writeByte(_ b: UInt8) { writeBits(UInt64(b), 8) }

    /// Writes an unsigned LEB128 varint (byte aligned only when the stream is).
    mutating func writeUVarint(_ v: UInt64) {
        var x = v
        while x >= 0x80 {
            writeByte(UInt8(truncatingIfNeeded: x) | 0x80)
            x >>= 7
        }
        writeByte(UInt8(x))
    }

    /// Writes a zig-zag signed varint.
    mutating func writeVarint(_ v: Int64) {
        writeUVarint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
    }
}

/// A big-endian bit reader over bytes.
struct BitReader {
    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position = 0  // in bits

    init(_ bytes: UnsafeBufferPointer<UInt8>, bitOffset: Int = 0) {
        self.bytes = bytes
        self.position = bitOffset
    }

    var remainingBits: Int { bytes.count * 8 - position }

    mutating func readBit() throws(ChunkError) -> Bool {
        guard position < bytes.count * 8 else { throw ChunkError.truncated }
        let b = bytes[position >> 3] & (0x80 >> UInt8(position & 7))
        position += 1
        return b != 0
    }

    mutating func readBits(_ count: Int) throws(ChunkError) -> UInt64 {
        guard count <= remainingBits else { throw ChunkError.truncated }
        var v: UInt64 = 0
        var n = count
        while n > 0 {
            let bitInByte = position & 7
            let avail = 8 - bitInByte
            let take = min(avail, n)
            let byte = UInt64(bytes[position >> 3])
            let chunk = (byte >> UInt64(avail - take)) & ((1 << UInt64(take)) - 1)
            v = (v << UInt64(take)) | chunk
            position += take
            n -= take
        }
        return v
    }

    mutating func readUVarint() throws(ChunkError) -> UInt64 {
        var x: UInt64 = 0
        var s: UInt64 = 0
        for _ in 0..<10 {
            let b = try readBits(8)
            if b < 0x80 { return x | (b << s) }
            x |= (b & 0x7f) << s
            s += 7
        }
        throw ChunkError.corrupt("varint overflows 64 bits")
    }

    mutating func readVarint() throws(ChunkError) -> Int64 {
        let u = try readUVarint()
        return Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1)
    }
}

/// Delta-of-delta timestamps in five bit buckets: `0` (0), `10`+14 bits, `110`+17, `1110`+20, `1111`+64
/// (two's complement), shared by every chunk encoding.
enum DeltaOfDelta {
    static func write(_ w: inout BitWriter, _ dod: Int64) {
        switch dod {
        case 0: w.writeBit(false)
        case -8192...8191:
            w.writeBits(0b10, 2)
            w.writeBits(UInt64(bitPattern: dod), 14)
        case -65536...65535:
            w.writeBits(0b110, 3)
            w.writeBits(UInt64(bitPattern: dod), 17)
        case -524_288...524_287:
            w.writeBits(0b1110, 4)
            w.writeBits(UInt64(bitPattern: dod), 20)
        default:
            w.writeBits(0b1111, 4)
            w.writeBits(UInt64(bitPattern: dod), 64)
        }
    }

    static func read(_ r: inout BitReader) throws(ChunkError) -> Int64 {
        var prefix = 0
        while prefix < 4 {
            guard try r.readBit() else { break }
            prefix += 1
        }
        let width = [0, 14, 17, 20, 64][prefix]
        guard width > 0 else { return 0 }
        let raw = try r.readBits(width)
        if width == 64 { return Int64(bitPattern: raw) }
        let shift = UInt64(64 - width)
        return Int64(bitPattern: raw << shift) >> Int64(shift)
    }
}

/// A chunk that cannot be decoded.
public enum ChunkError: Error, Equatable, CustomStringConvertible {
    case truncated
    case corrupt(String)

    public var description: String {
        switch self {
        case .truncated: "chunk truncated"
        case .corrupt(let why): "chunk corrupt: \(why)"
        }
    }
}
