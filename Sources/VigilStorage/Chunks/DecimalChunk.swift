import VigilCore

/// How a chunk's bytes are encoded.
public enum ChunkEncoding: UInt8, Sendable {
    /// `XORChunk`: Gorilla floats, appendable; the head's encoding.
    case xor = 1
    /// `DecimalChunk`: values that are exact decimals, as integers scaled by a common power of ten.
    case decimal = 2
}

/// A chunk for values that exporters print with a few decimals (`42.37`, `1826`): each value is stored as an
/// integer mantissa `m` with one exponent for the chunk (`v = m / 10^e`), and the mantissa deltas bit-packed at a
/// width chosen per chunk.
///
/// Only used when every value round-trips bit for bit; NaN, ±Inf, stale markers, `-0` and values with more than
/// 15 significant decimals fall back to `XORChunk`. Layout (bits, big-endian):
/// count (16), exponent (8), regular-timestamps flag (1), value width W (7), first time (zig-zag varint), first
/// mantissa (zig-zag varint), then for each later sample: the time (sample 1: uvarint delta; later ones: nothing
/// when regular, else a delta-of-delta bucket as in `XORChunk`) and the mantissa delta, zig-zagged: `0` + W bits
/// when it fits, else `1` + 6 bits (length − 1) + that many bits.
public enum DecimalChunk {
    static let powers: [Double] = (0...15).map { pow10($0) }

    static func pow10(_ e: Int) -> Double {
        var p = 1.0
        for _ in 0..<e { p *= 10 }
        return p
    }

    /// The smallest exponent at which every value is an exact scaled integer, or nil.
    static func exponent(_ samples: [Sample]) -> Int? {
        var e = 0
        for s in samples {
            let v = s.v
            guard v.isFinite, !(v == 0 && v.sign == .minus), abs(v) < 1e15 else { return nil }
            while !fits(v, e) {
                e += 1
                if e > 15 { return nil }
            }
        }
        // A value that fitted a smaller exponent must still round-trip at the final one.
        for s in samples where !fits(s.v, e) { return nil }
        return e
    }

    @inline(__always)
    static func fits(_ v: Double, _ e: Int) -> Bool {
        let scaled = (v * powers[e]).rounded()
        guard abs(scaled) < 9.0e15 else { return false }
        return (scaled / powers[e]).bitPattern == v.bitPattern
    }

    /// Encodes `samples`, or returns nil when a value is not an exact decimal.
    public static func encode(_ samples: [Sample]) -> [UInt8]? {
        guard !samples.isEmpty, samples.count <= 0xffff, let e = exponent(samples) else { return nil }
        let mantissas = samples.map { Int64(($0.v * powers[e]).rounded()) }
        var zigzags: [UInt64] = []
        zigzags.reserveCapacity(samples.count)
        for i in 1..<max(samples.count, 1) {
            let d = mantissas[i] &- mantissas[i - 1]
            zigzags.append(UInt64(bitPattern: (d << 1) ^ (d >> 63)))
        }
        let width = bestWidth(zigzags)
        var regular = samples.count > 2
        if regular {
            let step = samples[1].t - samples[0].t
            for i in 2..<samples.count where samples[i].t - samples[i - 1].t != step {
                regular = false
                break
            }
        }
        var w = BitWriter()
        w.writeBits(UInt64(samples.count), 16)
        w.writeBits(UInt64(e), 8)
        w.writeBit(regular)
        w.writeBits(UInt64(width), 7)
        w.writeVarint(samples[0].t)
        w.writeVarint(mantissas[0])
        var prevDelta: Int64 = 0
        for i in 1..<max(samples.count, 1) {
            let delta = samples[i].t - samples[i - 1].t
            if i == 1 {
                w.writeUVarint(UInt64(bitPattern: delta))
            } else if !regular {
                DeltaOfDelta.write(&w, delta - prevDelta)
            }
            prevDelta = delta
            writeValue(&w, zigzags[i - 1], width: width)
        }
        return w.bytes
    }

    static func bitLength(_ z: UInt64) -> Int { 64 - z.leadingZeroBitCount }

    /// The width W minimising `Σ (fits ? 1 + W : 7 + len)` over the zig-zagged deltas.
    static func bestWidth(_ zigzags: [UInt64]) -> Int {
        var histogram = [Int](repeating: 0, count: 65)
        for z in zigzags { histogram[bitLength(z)] += 1 }
        var best = 64
        var bestCost = Int.max
        for width in 0...64 {
            var cost = 0
            for len in 0...64 where histogram[len] > 0 {
                cost += histogram[len] * (len <= width ? 1 + width : 7 + len)
            }
            if cost < bestCost {
                bestCost = cost
                best = width
            }
        }
        return best
    }

    static func writeValue(_ w: inout BitWriter, _ z: UInt64, width: Int) {
        let len = bitLength(z)
        if len <= width {
            w.writeBit(false)
            w.writeBits(z, width)
        } else {
            w.writeBit(true)
            w.writeBits(UInt64(len - 1), 6)
            w.writeBits(z, len)
        }
    }

    /// Decodes every sample.
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(ChunkError) -> [Sample] {
        var r = BitReader(bytes)
        let count = Int(try r.readBits(16))
        let e = Int(try r.readBits(8))
        let regular = try r.readBit()
        let width = Int(try r.readBits(7))
        guard e < powers.count, width <= 64 else { throw ChunkError.corrupt("decimal chunk header") }
        var out: [Sample] = []
        out.reserveCapacity(count)
        guard count > 0 else { return out }
        var t = try r.readVarint()
        var m = try r.readVarint()
        out.append(Sample(t: t, v: Double(m) / powers[e]))
        var delta: Int64 = 0
        for i in 1..<count {
            if i == 1 {
                delta = Int64(bitPattern: try r.readUVarint())
            } else if !regular {
                delta += try DeltaOfDelta.read(&r)
            }
            t += delta
            let z: UInt64
            if try r.readBit() {
                z = try r.readBits(Int(try r.readBits(6)) + 1)
            } else {
                z = try r.readBits(width)
            }
            m = m &+ (Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1))
            out.append(Sample(t: t, v: Double(m) / powers[e]))
        }
        return out
    }
}
