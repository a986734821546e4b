import Foundation
import Testing
import VigilAnomaly

@Suite struct AnomalyDetectorTests {
    /// A deterministic noise pattern in [-1, 1] (no RNG, so runs are reproducible).
    private func noise(_ i: Int) -> Double { sin(Double(i) * 12.9898) * 0.5 + sin(Double(i) * 78.233) * 0.5 }

    private func run(_ values: [Double], step: Double = 300) -> [Double] {
        var d = AnomalyDetector()
        return values.enumerated().map { d.update(time: 1_400_000_000 + Double($0.offset) * step, value: $0.element) }
    }

    @Test func spikeAfterQuietNoiseScoresHighAndNoiseLow() {
        var values = (0..<600).map { 50 + noise($0) }
        values[500] = 80
        let scores = run(values)
        #expect(scores[500] >= 0.5)
        #expect(scores[100..<500].allSatisfy { $0 < 0.5 })
    }

    @Test func badInputNeverCrashesAndScoresStayDefined() {
        var values = (0..<400).map { 10 + noise($0) }
        values[100] = .nan
        values[101] = .infinity
        values[102] = -.infinity
        values[150] = .greatestFiniteMagnitude
        values[151] = -.greatestFiniteMagnitude
        let scores = run(values)
        #expect(scores.count == values.count)
        #expect(scores.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
        #expect(scores[100] == 0 && scores[101] == 0 && scores[102] == 0)
    }

    /// A constant series only ever shows the idle score (half of NAB's log-scaled likelihood 0.5, 0.015).
    @Test func constantSeriesStaysIdle() {
        let scores = run([Double](repeating: 42, count: 2000))
        #expect(scores.allSatisfy { $0 < 0.05 })
        let zeros = run([Double](repeating: 0, count: 500))
        #expect(zeros.allSatisfy { $0 < 0.05 })
    }

    @Test func shortSeriesAndEmptyInputAreFine() {
        #expect(run([]).isEmpty)
        #expect(run([1]) == [0])
        #expect(run([1, 2, 3]).allSatisfy { $0 == 0 })
    }

    /// A counter that resets to 0 and climbs again is one level change, not a storm.
    @Test func counterResetRaisesAtMostOneEvent() {
        var values: [Double] = []
        var counter = 1000.0
        for i in 0..<800 {
            if i == 400 { counter = 0 }
            counter += 5 + noise(i)
            values.append(counter)
        }
        let scores = run(values)
        #expect(scores.filter { $0 >= 0.5 }.count <= 2)
    }

    /// Gaps in time (hours missing) do not raise alerts on a steady series.
    @Test func gapsInTimeDoNotRaiseEvents() {
        var d = AnomalyDetector()
        var t = 1_400_000_000.0
        var high = 0
        for i in 0..<1000 {
            t += i % 200 == 0 ? 36_000 : 300
            if d.update(time: t, value: 20 + noise(i)) >= 0.5 { high += 1 }
        }
        #expect(high == 0)
    }

    /// A daily pattern sampled every 5 minutes: after a few days the daily baseline is active and the daily peak
    /// is not an anomaly, while a flat day in its place is.
    @Test func dailySeasonIsFoundAndItsPeaksAreNormal() {
        let perDay = 288
        var values = (0..<(perDay * 8)).map { i -> Double in
            let phase = Double(i % perDay) / Double(perDay)
            return 100 + 60 * sin(2 * Double.pi * phase) + noise(i)
        }
        let normal = run(values)
        #expect(normal[(perDay * 4)...].allSatisfy { $0 < 0.5 })
        for i in (perDay * 6 + 60)..<(perDay * 6 + 100) { values[i] = 100 }
        let broken = run(values)
        #expect(broken[(perDay * 6 + 60)..<(perDay * 6 + 100)].contains { $0 >= 0.5 })
    }

    @Test func explanationNamesDetectorBandAndObservedValue() throws {
        var d = AnomalyDetector()
        for i in 0..<300 { _ = d.update(time: .nan, value: 10 + noise(i) * 0.1) }
        _ = d.update(time: .nan, value: 30)
        let why = try #require(d.explanation as AnomalyExplanation?)
        #expect(why.observed == 30)
        #expect(why.kind == .spike)
        #expect(why.upper < 30)
        #expect(why.summary.contains("observed 30"))
    }

    @Test func stateIsSmall() {
        #expect(AnomalyDetector().stateBytes <= 4096)
    }
}

@Suite struct SortedWindowTests {
    @Test func quantilesMatchABruteForceSortOfTheLastValues() {
        var w = SortedWindow(capacity: 16)
        var all: [Double] = []
        for i in 0..<200 {
            let v = Double((i * 7919) % 101) - 50
            w.push(v)
            all.append(v)
            let last = Array(all.suffix(16)).sorted()
            #expect(w.count == last.count)
            #expect(w.quantile(0) == last.first)
            #expect(w.quantile(1) == last.last)
            let mid = Double(last.count - 1) * 0.5
            let want = last[Int(mid)] * (1 - (mid - Double(Int(mid)))) + last[min(Int(mid) + 1, last.count - 1)]
                * (mid - Double(Int(mid)))
            #expect(abs(w.quantile(0.5) - want) < 1e-9)
        }
    }

    @Test func emptyWindowHasNoQuantile() {
        #expect(SortedWindow(capacity: 8).quantile(0.5).isNaN)
    }
}

@Suite struct DetectCommandTests {
    @Test func printsHeaderAndOneRowPerInputRowWithTimestampVerbatim() throws {
        let csv = "timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,2.5\n7,nan\n"
        let out = try DetectCommand.run(csvText: csv)
        let lines = out.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0] == "timestamp,value,anomaly_score")
        #expect(lines[1].hasPrefix("2014-04-01 00:00:00,1,"))
        #expect(lines[2].hasPrefix("2014-04-01 00:05:00,2.5,"))
        #expect(lines[3].hasPrefix("7,nan,"))
    }

    @Test func rowWithoutCommaIsAnError() {
        #expect(throws: AnomalyError.badRow(line: 2, text: "oops")) {
            try DetectCommand.run(csvText: "timestamp,value\noops\n")
        }
    }

    @Test func missingFileIsAnError() {
        #expect(throws: AnomalyError.self) { try DetectCommand.run(csvPath: "/nonexistent/x.csv") }
    }

    /// 2014-04-01T00:00:00Z is 1396310400 (date -u -d 2014-04-01 +%s).
    @Test func timestampsParseToEpochSeconds() {
        #expect(TimestampParser.seconds("2014-04-01 00:00:00") == 1_396_310_400)
        #expect(TimestampParser.seconds("2014-04-01T00:05:00Z") == 1_396_310_700)
        #expect(TimestampParser.seconds("1396310400") == 1_396_310_400)
        #expect(TimestampParser.seconds("1396310400000") == 1_396_310_400)
        #expect(TimestampParser.seconds("41").isNaN)
        #expect(TimestampParser.seconds("garbage").isNaN)
    }
}

@Suite struct AnomalyLikelihoodTests {
    /// NAB's log scale: log(1.0000000001 - l) / log(1e-10); l = 0.5 gives 0.0301029996 (HTM's idle score).
    @Test func logScaleMatchesNAB() {
        #expect(abs(AnomalyLikelihood.logScale(0.5) - 0.0301029996659) < 1e-9)
        #expect(AnomalyLikelihood.logScale(0) == 0)
        // log(2e-10) / log(1e-10) = 0.969897
        #expect(abs(AnomalyLikelihood.logScale(0.9999999999) - 0.969897) < 1e-6)
    }

    @Test func burstAfterQuietHistoryIsLikely() {
        var l = AnomalyLikelihood()
        for _ in 0..<500 { _ = l.update(0) }
        #expect(l.update(1) > 0.9)
    }
}

@Suite struct AnomalyDetectorSnapshotTests {
    /// A detector restored from a snapshot continues with exactly the scores the original would have produced.
    @Test func restoredDetectorContinuesIdentically() throws {
        var original = AnomalyDetector()
        for i in 0..<3000 {
            _ = original.update(time: 1_400_000_000 + Double(i) * 300, value: 50 + sin(Double(i) / 20) * 10)
        }
        var restored = try AnomalyDetector(snapshot: original.snapshot())
        for i in 3000..<3300 {
            let t = 1_400_000_000 + Double(i) * 300
            let v = i == 3100 ? 500 : 50 + sin(Double(i) / 20) * 10
            #expect(original.update(time: t, value: v) == restored.update(time: t, value: v))
        }
    }

    /// A steady ramp (disk filling up) makes new maxima every sample but raises no event.
    @Test func steadyRampRaisesNoEvents() {
        var d = AnomalyDetector()
        var events = 0
        for i in 0..<5000 {
            let v = Double(i) * 2 + sin(Double(i) * 12.9898)
            if d.update(time: 1_400_000_000 + Double(i) * 60, value: v) >= 0.5 { events += 1 }
        }
        #expect(events == 0)
    }
}
