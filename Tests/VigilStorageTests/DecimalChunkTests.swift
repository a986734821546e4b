import Testing
import VigilCore
@testable import VigilStorage

struct DecimalChunkTests {
    static func roundTrip(_ samples: [Sample]) throws -> [Sample]? {
        guard let bytes = DecimalChunk.encode(samples) else { return nil }
        return try bytes.withUnsafeBufferPointer { try DecimalChunk.decode($0) }
    }

    /// Hand-computed: count 2 (00 02), exponent 2 (42.37 needs two decimals), regular flag 0 (two samples),
    /// width 3 (the one delta 4240 − 4237 = 3 zig-zags to 6, three bits: cost 1+3 beats the escape's 7+3), then
    /// t0 = varint(zz(0)) = 00, m0 = varint(zz(4237) = 8474) = 9A 42, t1 delta = uvarint(15000) = 98 75, value `0 110`.
    /// Bits after the exponent: 0 0000011 | 00000000 | 10011010 01000010 | 10011000 01110101 | 0110 (pad 0000).
    @Test func encodesHandComputedBytes() {
        let bytes = DecimalChunk.encode([Sample(t: 0, v: 42.37), Sample(t: 15000, v: 42.4)])
        #expect(bytes == [0x00, 0x02, 0x02, 0x03, 0x00, 0x9A, 0x42, 0x98, 0x75, 0x60])
    }

    /// Equally spaced timestamps cost no bits after the first delta, and a constant value one bit per sample.
    @Test func regularConstantSeriesCostsAboutOneBitPerSample() throws {
        let samples = (0..<1000).map { Sample(t: Int64($0) * 15000, v: 1) }
        let bytes = try #require(DecimalChunk.encode(samples))
        #expect(bytes.count <= 2 + 1 + 1 + 1 + 1 + 3 + 999 / 8 + 1)
        #expect(try bytes.withUnsafeBufferPointer { try DecimalChunk.decode($0) } == samples)
    }

    @Test func roundTripsDecimalsBitForBit() throws {
        let values: [Double] = [0, 1, 42.37, 42.4, -3.5, 1826, 1e11, 0.001, 123.456, 7, 7, 7, -0.25, 99999.999]
        let samples = values.enumerated().map { Sample(t: Int64($0.offset * 15000 + $0.offset % 3), v: $0.element) }
        #expect(try Self.roundTrip(samples) == samples)
    }

    @Test func refusesMagnitudesTheExponentCannotHold() {
        #expect(DecimalChunk.encode([Sample(t: 0, v: 1e14), Sample(t: 1, v: 0.001)]) == nil)
    }

    @Test(arguments: [Double.nan, .infinity, StaleMarker.value, -0.0, 0.1 + 0.2, 1e300])
    func refusesValuesThatAreNotExactDecimals(bad: Double) {
        #expect(DecimalChunk.encode([Sample(t: 0, v: 1), Sample(t: 1, v: bad)]) == nil)
    }

    @Test func bucketsCoverEveryDeltaWidth() throws {
        let deltas: [Int64] = [0, 1, -1, 63, -64, 64, 8191, -8192, 8192, 1 << 20, -(1 << 20), 1 << 31, -(1 << 31),
                               1 << 40, -(1 << 40)]
        var m: Int64 = 0
        var samples: [Sample] = []
        var t: Int64 = 0
        let steps: [Int64] = [1, 8192, 65536, 524_288, 10_000_000]
        for (i, d) in deltas.enumerated() {
            m += d
            t += steps[i % 5]
            samples.append(Sample(t: t, v: Double(m)))
        }
        #expect(try Self.roundTrip(samples) == samples)
    }
}
