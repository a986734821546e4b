import Testing
import VigilCore
@testable import VigilStorage

struct DecimalChunkTests {
    static func roundTrip(_ samples: [Sample]) throws -> [Sample]? {
        guard let bytes = DecimalChunk.encode(samples) else { return nil }
        return try bytes.withUnsafeBufferPointer { try DecimalChunk.decode($0) }
    }

    /// Hand-computed: count 2, exponent 2 (42.37 needs two decimals), t0 = varint(zz(0)) = 00,
    /// m0 = zz(4237) = 8474 = varint 9A 42, t1 delta = 15000 = varint 98 75, m1 - m0 = 4240 - 4237 = 3 → `10 0000011`.
    @Test func encodesHandComputedBytes() {
        let bytes = DecimalChunk.encode([Sample(t: 0, v: 42.37), Sample(t: 15000, v: 42.4)])
        #expect(bytes == [0x00, 0x02, 0x02, 0x00, 0x9A, 0x42, 0x98, 0x75, 0b1000_0001, 0b1000_0000])
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
