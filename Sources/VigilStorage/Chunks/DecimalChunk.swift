import VigilCore

/// How a chunk's bytes are encoded.
public enum ChunkEncoding: UInt8, Sendable {
    /// `XORChunk`: Gorilla floats, appendable; the head's encoding.
    case xor = 1
    /// `DecimalChunk`: values that are exact decimals, as integers scaled by a common power of ten.
    case decimal = 2
}

/// A chunk for values that exporters print with a few decimals (`42.37`, `1826`): each value is stored as an
/// integer mantissa `m` with one exponent for the chunk (`v = m / 10^e`), and the mantissas as bucketed deltas.
///
/// Only used when every value round-trips bit for bit; NaN, ±Inf, stale markers, `-0` and values with more than
/// 15 significant decimals fall back to `XORChunk`. Timestamps use the same delta-of-delta buckets as `XORChunk`.
/// Layout: 2-byte count, 1-byte exponent, first time (zig-zag varint), first mantissa (zig-zag varint), second
/// time delta (uvarint), then per sample a timestamp delta-of-delta bucket and a mantissa-delta bucket:
/// `0` (0), `10`+7 bits, `110`+14, `1110`+21, `11110`+32, `11111`+64 (two's complement).
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
        var w = BitWriter()
        w.writeBits(UInt64(samples.count), 16)
        w.writeBits(UInt64(e), 8)
        var prevT: Int64 = 0
        var prevDelta: Int64 = 0
        var prevM: Int64 = 0
        for (i, s) in samples.enumerated() {
            let m = Int64((s.v * powers[e]).rounded())
            switch i {
            case 0:
                w.writeVarint(s.t)
                w.writeVarint(m)
            case 1:
                prevDelta = s.t - prevT
                w.writeUVarint(UInt64(bitPattern: prevDelta))
                writeDelta(&w, m &- prevM)
            default:
                let delta = s.t - prevT
                writeTimeDoD(&w, delta - prevDelta)
                prevDelta = delta
                writeDelta(&w, m &- prevM)
            }
            prevT = s.t
            prevM = m
        }
        return w.bytes
    }

    static func writeTimeDoD(_ w: inout BitWriter, _ dod: Int64) {
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

    static let deltaWidths = [7, 14, 21, 32, 64]

    static func writeDelta(_ w: inout BitWriter, _ d: Int64) {
        if d == 0 {
            w.writeBit(false)
            return
        }
        for (k, width) in deltaWidths.enumerated() {
            let limit = width == 64 ? Int64.max : (Int64(1) << (width - 1)) - 1
            if width == 64 || (d >= -limit - 1 && d <= limit) {
                // prefix: k+1 ones then a zero, except the last class which has no terminating zero.
                let ones = k + 1
                if k < deltaWidths.count - 1 {
                    w.writeBits((UInt64(1) << UInt64(ones + 1)) - 2, ones + 1)
                } else {
                    w.writeBits((UInt64(1) << UInt64(ones)) - 1, ones)
                }
                w.writeBits(UInt64(bitPattern: d), width)
                return
            }
        }
    }

    /// Decodes every sample.
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(ChunkError) -> [Sample] {
        var r = BitReader(bytes)
        let count = Int(try r.readBits(16))
        let e = Int(try r.readBits(8))
        guard e < powers.count else { throw ChunkError.corrupt("decimal exponent \(e)") }
        var out: [Sample] = []
        out.reserveCapacity(count)
        var t: Int64 = 0
        var delta: Int64 = 0
        var m: Int64 = 0
        for i in 0..<count {
            switch i {
            case 0:
                t = try r.readVarint()
                m = try r.readVarint()
            case 1:
                delta = Int64(bitPattern: try r.readUVarint())
                t += delta
                m = m &+ (try readDelta(&r))
            default:
                delta += try readTimeDoD(&r)
                t += delta
                m = m &+ (try readDelta(&r))
            }
            out.append(Sample(t: t, v: Double(m) / powers[e]))
        }
        return out
    }

    static func readTimeDoD(_ r: inout BitReader) throws(ChunkError) -> Int64 {
        var prefix = 0
        while prefix < 4 {
            guard try r.readBit() else { break }
            prefix += 1
        }
        let width = [0, 14, 17, 20, 64][prefix]
        guard width > 0 else { return 0 }
        return signExtend(try r.readBits(width), width)
    }

    static func readDelta(_ r: inout BitReader) throws(ChunkError) -> Int64 {
        var ones = 0
        while ones < deltaWidths.count {
            guard try r.readBit() else { break }
            ones += 1
        }
        guard ones > 0 else { return 0 }
        let width = deltaWidths[ones - 1]
        return signExtend(try r.readBits(width), width)
    }

    @inline(__always)
    static func signExtend(_ raw: UInt64, _ width: Int) -> Int64 {
        if width == 64 { return Int64(bitPattern: raw) }
        let shift = UInt64(64 - width)
        return Int64(bitPattern: raw << shift) >> Int64(shift)
    }
}
