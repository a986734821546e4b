import Foundation
import Testing
import VigilCore
@testable import VigilStorage

struct ImportTests {
    static func write(_ text: String) throws -> String {
        let path = TSDBTests.tempDir() + "/in.om"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func sample(_ n: Int) -> String {
        var text = "# TYPE a counter\n# HELP a Things.\n"
        for i in 0..<n { text += "a_total{k=\"1\"} \(i) \(1_700_000_000 + i * 15)\n" }
        text += "# TYPE b gauge\n"
        for i in 0..<n { text += "b{k=\"2\"} \(Double(i) / 4) \(1_700_000_000 + i * 15).5\n" }
        return text + "# EOF\n"
    }

    @Test func importedSamplesAreServedAcrossSlicesAndBlocks() throws {
        let path = try Self.write(Self.sample(20_000))
        let data = TSDBTests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: data) }
        var fractions: [Double] = []
        let report = try OpenMetricsImporter.importFile(path, dataDirectory: data, blockSpan: 6 * 3_600_000,
                                                        logger: .disabled) { fractions.append($0) }
        #expect(report.series == 2)
        #expect(report.samples == 40_000)
        #expect(report.blocks >= 2)
        #expect(fractions.last == 1)
        let db = try TSDBTests.open(data)
        let a = try #require(db.select([try LabelMatcher(.equal, "__name__", "a_total")], mint: .min, maxt: .max).first)
        #expect(a.samples.count == 20_000)
        #expect(a.samples[123] == Sample(t: (1_700_000_000 + 123 * 15) * 1000, v: 123))
        let b = try #require(db.select([try LabelMatcher(.equal, "__name__", "b")], mint: .min, maxt: .max).first)
        #expect(b.samples[7] == Sample(t: (1_700_000_000 + 7 * 15) * 1000 + 500, v: 1.75))
    }

    @Test func smallSlicesStillKnowTheirFamily() throws {
        let text = Self.sample(300)
        var seen = 0
        try Array(text.utf8).withUnsafeBufferPointer { buf in
            try OpenMetricsImporter.parseSlices(buf, file: "x", sliceSize: 700) { seen += $0.count } progress: { _ in }
        }
        #expect(seen == 600)
    }

    @Test func aBadLineIsReportedWithItsLineNumber() throws {
        var lines = Self.sample(2000).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[1500] = "a_total{k=\"1\" 5 1700000000"
        let text = lines.joined(separator: "\n")
        #expect {
            try Array(text.utf8).withUnsafeBufferPointer { buf in
                try OpenMetricsImporter.parseSlices(buf, file: "in.om", sliceSize: 4096) { _ in } progress: { _ in }
            }
        } throws: { error in
            "\(error)".hasPrefix("corrupt data: in.om:1501:")
        }
    }

    @Test func importedHistoryDoesNotStopLiveIngest() throws {
        let path = try Self.write(Self.sample(100))
        let data = TSDBTests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: data) }
        _ = try OpenMetricsImporter.importFile(path, dataDirectory: data, logger: .disabled)
        let db = try TSDBTests.open(data)
        let r = try db.append([LabeledSample(TSDBTests.series("live"), t: 1_700_000_100_000, v: 1)])
        #expect(r.accepted == 1)
    }
}
