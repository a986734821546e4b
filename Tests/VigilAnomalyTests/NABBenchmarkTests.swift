import Foundation
import Testing
import VigilAnomaly
import VigilTesting

/// Vigil's default ensemble on the 35 shared NAB series, one configuration for all files.
@Suite struct NABBenchmarkTests {
    /// Scores reached by the default ensemble when this test was written (standard, reward_low_FP_rate,
    /// reward_low_FN_rate); all three are above Numenta HTM's (66.59, 60.81, 71.06), the issue's pass line.
    static let achieved = [67.79, 62.28, 72.09]
    /// Numenta HTM on the same files (detector-results/README.md).
    static let passLine = [66.59, 60.81, 71.06]

    @Test(.enabled(if: SharedFixtures.available, "needs ../shared/corpus/nab"))
    func defaultEnsembleDoesNotRegress() throws {
        let root = try #require(SharedFixtures.path("corpus/nab"))
        let windows = try NABCorpus.windows(root: root)
        var files: [NABScorer.File] = []
        for key in windows.keys.sorted() {
            let rows = try NABCorpus.rows(root.appendingPathComponent("data/\(key)"))
            let scores = detect(values: rows.map { (String($0[0]), Double($0[1]) ?? .nan) })
            #expect(scores.count == rows.count)
            #expect(scores.allSatisfy { $0 >= 0 && $0 <= 1 })
            files.append(NABScorer.File(name: key, timestamps: rows.map { String($0[0]) }, scores: scores,
                                        windows: windows[key] ?? []))
        }
        #expect(files.count == 35)
        let scorer = NABScorer()
        for (i, profile) in NABScorer.standardProfiles.enumerated() {
            let floor = NABBenchmarkTests.achieved[i]
            let r = scorer.score(files, profile: profile)
            let quiet = files.filter { $0.windows.isEmpty }
            let falseAlarms = quiet.map { scorer.falsePositives($0, threshold: r.threshold, profile: profile) }
            print("NAB \(profile.name): \(String(format: "%.2f", r.normalized)) threshold \(r.threshold) "
                  + "windows \(r.detectedWindows)/\(r.windows) false alarms on unlabelled series \(falseAlarms)")
            #expect(r.normalized >= floor - 0.01, "\(profile.name) fell to \(r.normalized)")
            #expect(r.normalized >= NABBenchmarkTests.passLine[i], "\(profile.name) below HTM: \(r.normalized)")
        }
    }
}
