import VigilCore

/// A Gorilla-style chunk: delta-of-delta timestamps and XOR-compressed float values.
///
/// Layout (see `Chunks/FORMAT.md`): a 2-byte big-endian sample count, the first timestamp as a zig-zag varint and
/// its value as 64 raw bits, the second timestamp as an unsigned varint delta and its value XOR-encoded, then per
/// sample a delta-of-delta in one of five bit buckets followed by the XOR-encoded value.
/// Source: Pelkonen et al., "Gorilla: A Fast, Scalable, In-Memory Time Series Database", VLDB 2015, §4.1.
public struct XORChunk: Sendable {
    private var writer = BitWriter()
    public private(set) var count = 0
    private var lastT: Int64 = 0
    private var lastDelta: Int64 = 0
    private var lastV: UInt64 = 0
    private var leading: UInt8 = 0xff
    private var trailing: UInt8 = 0
    public private(set) var minTime: Int64 = .max
    public private(set) var maxTime: Int64 = .min

    public init() {
        writer.writeBits(0, 16)
    }

    /// The encoded bytes, sample count included.
    public var bytes: [UInt8] {
        var b = writer.bytes
        b[0] = UInt8(truncatingIfNeeded: count >> 8)
        b[1] = UInt8(truncatingIfNeeded: count)
        return b
    }

    /// Encoded size in bytes.
    public var byteCount: Int { writer.bytes.count }

    /// Appends a sample; timestamps must not decrease (the caller rejects out-of-order samples).
    ///
    /// - Complexity: O(1).
    public mutating func append(t: Int64, v: Double) {
        precondition(count < 0xffff, "chunk holds at most 65535 samples")
        let bits = v.bitPattern
        switch count {
        case 0:
            writer.writeVarint(t)
            writer.writeBits(bits, 64)
            minTime = t
        case 1:
            let delta = t - lastT
            writer.writeUVarint(UInt64(bitPattern: delta))
            writeValue(bits)
            lastDelta = delta
        default:
            let delta = t - lastT
            DeltaOfDelta.write(&writer, delta - lastDelta)
            writeValue(bits)
            lastDelta = delta
        }
        lastT = t
        lastV = bits
        maxTime = t
        count += 1
    }

    private mutating func writeValue(_ bits: UInt64) {
        let x = bits ^ lastV
        if x == 0 {
            writer.writeBit(false)
            return
        }
        writer.writeBit(true)
        var lead = UInt8(x.leadingZeroBitCount)
        let trail = UInt8(x.trailingZeroBitCount)
        if lead >= 32 { lead = 31 }
        if leading != 0xff && lead >= leading && trail >= trailing {
            writer.writeBit(false)
            writer.writeBits(x >> UInt64(trailing), 64 - Int(leading) - Int(trailing))
        } else {
            leading = lead
            trailing = trail
            writer.writeBit(true)
            writer.writeBits(UInt64(lead), 5)
            let sig = 64 - Int(lead) - Int(trail)
            writer.writeBits(UInt64(sig & 63), 6)
            writer.writeBits(x >> UInt64(trail), sig)
        }
    }

    /// Decodes every sample of an encoded chunk.
    ///
    /// - Complexity: O(n).
    public static func decode(_ bytes: [UInt8]) throws(ChunkError) -> [Sample] {
        try bytes.withUnsafeBufferPointer { (buf) throws(ChunkError) -> [Sample] in
            var it = try XORChunkIterator(buf)
            var out: [Sample] = []
            out.reserveCapacity(it.count)
            while let s = try it.next() { out.append(s) }
            return out
        }
    }
}

/// Decodes an `XORChunk` one sample at a time.
public struct XORChunkIterator {
    private var reader: BitReader
    /// The number of samples the chunk holds.
    public let count: Int
    private var index = 0
    private var t: Int64 = 0
    private var delta: Int64 = 0
    private var v: UInt64 = 0
    private var leading: UInt8 = 0
    private var trailing: UInt8 = 0

    public init(_ bytes: UnsafeBufferPointer<UInt8>) throws(ChunkError) {
        guard bytes.count >= 2 else { throw ChunkError.truncated }
        count = Int(bytes[0]) << 8 | Int(bytes[1])
        reader = BitReader(bytes, bitOffset: 16)
    }

    /// The next sample, or nil after the last.
    public mutating func next() throws(ChunkError) -> Sample? {
        guard index < count else { return nil }
        switch index {
        case 0:
            t = try reader.readVarint()
            v = try reader.readBits(64)
        case 1:
            delta = Int64(bitPattern: try reader.readUVarint())
            t += delta
            try readValue()
        default:
            delta += try DeltaOfDelta.read(&reader)
            t += delta
            try readValue()
        }
        index += 1
        return Sample(t: t, v: Double(bitPattern: v))
    }

    private mutating func readValue() throws(ChunkError) {
        guard try reader.readBit() else { return }
        if try reader.readBit() {
            leading = UInt8(try reader.readBits(5))
            var sig = Int(try reader.readBits(6))
            if sig == 0 { sig = 64 }
            guard Int(leading) + sig <= 64 else { throw ChunkError.corrupt("value bit widths exceed 64") }
            trailing = UInt8(64 - Int(leading) - sig)
        }
        let sig = 64 - Int(leading) - Int(trailing)
        let bits = try reader.readBits(sig)
        v ^= bits << UInt64(trailing)
    }
}
