import Testing
@testable import VigilAnomaly

struct DetectCommandInputTests {
    @Test func aValueThatIsNotANumberNamesItsLine() {
        #expect(throws: AnomalyError.badValue(line: 3, value: "abc")) {
            try DetectCommand.run(csvText: "timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00,abc\n")
        }
    }

    @Test func anEmptyValueIsAGapThatStillGetsARow() throws {
        let out = try DetectCommand.run(csvText: "timestamp,value\n1,1\n2,\n3,1\n")
        #expect(out.split(separator: "\n").count == 4)
        #expect(out.split(separator: "\n")[2].hasPrefix("2,,"))
    }
}
