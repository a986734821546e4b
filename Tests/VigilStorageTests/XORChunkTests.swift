import Foundation
import Testing
import VigilCore
import VigilTesting
@testable import VigilStorage

struct XORChunkTests {
    /// Worked out by hand from the format: header, varint(zigzag(1000)), 1.0's bits, uvarint(1000), then
    /// `0` (same value), `0` (dod 0), `1 1 00001 001011 11111111111` (2.0 XOR 1.0 = 0x7FF << 52).
    @Test func encodesHandComputedBitPattern() {
        var c = XORChunk()
        c.append(t: 1000, v: 1.0)
        c.append(t: 2000, v: 1.0)
        c.append(t: 3000, v: 2.0)
        #expect(c.bytes == [0x00, 0x03, 0xD0, 0x0F, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0, 0xE8, 0x07, 0x30, 0x97, 0xFF, 0xC0])
    }

    /// dod 5 goes into the 14-bit bucket `10` + `00000000000101`; dod -3 as two's complement in 14 bits.
    @Test func encodesDeltaOfDeltaBuckets() throws {
        var c = XORChunk()
        c.append(t: 0, v: 0)
        c.append(t: 10, v: 0)
        c.append(t: 25, v: 0)
        c.append(t: 37, v: 0)
        // after header: varint(0)=00, 64 zero bits, uvarint(10)=0A, then bits:
        // 0 (value) | 10 00000000000101 | 0 (value) | 10 11111111111101 | 0 (value)
        // = 0 1 0 00000 | 000000 1 0 | 1 0 1 0 1111 | 11111111 | 01 0 00000
        #expect(c.bytes == [0, 4, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x0A, 0x40, 0x02, 0xAF, 0xFF, 0x40])
        #expect(try XORChunk.decode(c.bytes).map(\.t) == [0, 10, 25, 37])
    }

    @Test func roundTripsSpecialValues() throws {
        let values: [Double] = [0, -0.0, .nan, StaleMarker.value, .infinity, -.infinity, 1e-300, -1e300,
                                .leastNonzeroMagnitude, .greatestFiniteMagnitude, 42, 42, 42.5]
        var c = XORChunk()
        var t: Int64 = -5000
        var expected: [Sample] = []
        for (i, v) in values.enumerated() {
            t += [0, 15000, 1, 7_000_000_000, 15000][i % 5]
            c.append(t: t, v: v)
            expected.append(Sample(t: t, v: v))
        }
        let decoded = try XORChunk.decode(c.bytes)
        #expect(decoded == expected)
        #expect(decoded[3].v.bitPattern == StaleMarker.bitPattern)
        #expect(decoded[1].v.sign == .minus)
    }

    @Test func roundTripsRandomData() throws {
        var rng = SplitMix(seed: 7)
        for _ in 0..<200 {
            var c = XORChunk()
            var t = Int64(bitPattern: rng.next() % 1_000_000_000_000) - 500_000_000_000
            var v = Double(rng.next() % 1000)
            var expected: [Sample] = []
            for _ in 0..<Int(rng.next() % 300 + 1) {
                switch rng.next() % 6 {
                case 0: t += 0
                case 1: t += Int64(rng.next() % 100_000_000_000)
                default: t += 15000 + Int64(rng.next() % 50) - 25
                }
                switch rng.next() % 5 {
                case 0: v = Double(bitPattern: rng.next())
                case 1: v += 1
                case 2: break
                default: v = Double(rng.next() % 1_000_000) / 1000
                }
                c.append(t: t, v: v)
                expected.append(Sample(t: t, v: v))
            }
            #expect(try XORChunk.decode(c.bytes) == expected)
        }
    }

    @Test func truncatedChunkThrows() {
        var c = XORChunk()
        for i in 0..<20 { c.append(t: Int64(i) * 15000, v: Double(i) * 1.5) }
        let bytes = Array(c.bytes.dropLast(3))
        #expect(throws: ChunkError.self) { try XORChunk.decode(bytes) }
    }

    @Test(.enabled(if: SharedFixtures.available, "needs ../shared (NAB corpus)"))
    func roundTripsEveryNABSeries() throws {
        let root = try #require(SharedFixtures.path("corpus/nab/data"))
        let files = FileManager.default.enumerator(atPath: root.path)!.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".csv") }
        #expect(files.count >= 30)
        for file in files {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            var samples: [Sample] = []
            for line in text.split(separator: "\n").dropFirst() {
                let parts = line.split(separator: ",")
                guard parts.count == 2, let v = Double(parts[1]),
                    let t = Timestamp.parseRFC3339(parts[0].replacingOccurrences(of: " ", with: "T") + "Z")
                else { continue }
                samples.append(Sample(t: t, v: v))
            }
            var chunks: [[UInt8]] = []
            var c = XORChunk()
            for s in samples {
                if c.count == 120 {
                    chunks.append(c.bytes)
                    c = XORChunk()
                }
                c.append(t: s.t, v: s.v)
            }
            chunks.append(c.bytes)
            let decoded = try chunks.flatMap { try XORChunk.decode($0) }
            #expect(decoded == samples, "\(file)")
        }
    }
}

/// A small deterministic generator for tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
