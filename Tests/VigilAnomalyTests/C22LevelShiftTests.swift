import Foundation
import Testing
import VigilAnomaly
import VigilTesting

/// Case C22: a level shift (runs 1-40 at about 100 s, runs 41-70 at about 65 s) raises one event, not many.
@Suite struct C22LevelShiftTests {
    @Test(.enabled(if: SharedFixtures.available, "needs ../shared/cases/C22"))
    func levelShiftRaisesExactlyOneEventAtRun41() throws {
        let path = try #require(SharedFixtures.path("cases/C22/bench_runs.csv")).path
        let output = try DetectCommand.run(csvPath: path)
        let lines = output.split(separator: "\n")
        #expect(lines.first == "timestamp,value,anomaly_score")
        #expect(lines.count == 71)
        let rows = lines.dropFirst().map { $0.split(separator: ",") }
        let events = rows.filter { (Double($0[2]) ?? 0) >= EnsembleConfig().eventLevel }.map { String($0[0]) }
        #expect(events == ["41"])

        // The confirmed shift: down by about 35%, starting at run 41, adopted within three runs.
        var detector = AnomalyDetector()
        var confirmedAt: Int?
        for (i, row) in rows.enumerated() {
            _ = detector.update(time: .nan, value: Double(row[1]) ?? .nan)
            if detector.lastShift != nil && confirmedAt == nil { confirmedAt = i + 1 }
        }
        let shift = try #require(detector.lastShift)
        #expect(shift.kind == .levelShift)
        #expect(shift.relativeChange <= -0.346 && shift.relativeChange >= -0.354)
        #expect(detector.lastShiftStart == 40)
        #expect((confirmedAt ?? 99) <= 43)
    }
}
