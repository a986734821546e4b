import Foundation
import Testing
import VigilTesting

@Suite struct NABScorerTests {
    /// NAB's docstring gives S(-1) = 0.98661, S(-0.5) = 0.84828, S(0) = 0, S(1) = -0.98661.
    @Test func scaledSigmoidMatchesNABsDocumentedValues() {
        #expect(abs(NABScorer.scaledSigmoid(-1.0) - 0.98661) < 1e-5)
        #expect(abs(NABScorer.scaledSigmoid(-0.5) - 0.84828) < 1e-5)
        #expect(abs(NABScorer.scaledSigmoid(0.0)) < 1e-12)
        #expect(abs(NABScorer.scaledSigmoid(1.0) + 0.98661) < 1e-5)
        #expect(NABScorer.scaledSigmoid(3.0) == -1.0)
    }

    private func file(scores: [Double], window: (Int, Int)?) -> NABScorer.File {
        let ts = (0..<scores.count).map { String(format: "t%04d", $0) }
        let windows = window.map { [(start: ts[$0.0], end: ts[$0.1])] } ?? []
        return NABScorer.File(name: "f", timestamps: ts, scores: scores, windows: windows)
    }

    /// A detection on the first row of the only window is a perfect detector: 100 in every profile.
    @Test func detectionAtWindowStartScoresHundred() {
        var scores = [Double](repeating: 0, count: 100)
        scores[50] = 1
        for profile in NABScorer.standardProfiles {
            let r = NABScorer().score([file(scores: scores, window: (50, 59))], profile: profile)
            #expect(abs(r.normalized - 100) < 1e-9)
            #expect(r.threshold == 1)
        }
    }

    /// No detection at all is the null detector: 0.
    @Test func silentDetectorScoresZero() {
        let r = NABScorer().score([file(scores: [Double](repeating: 0, count: 100), window: (50, 59))],
                                  profile: NABScorer.standardProfiles[0])
        #expect(abs(r.normalized) < 1e-9)
    }

    /// Hand calculation: one window of width 10 (rows 50...59), a detection at row 55 and one false positive at
    /// row 20 (no preceding window: -1 x fpWeight). Row 55 sits at position -(59-55+1)/10 = -0.5, so the true
    /// positive is S(-0.5)/S(-1) = 0.84828/0.98661; raw = 0.85979 - 0.11; normalised = 100 (raw + 1) / 2.
    @Test func handBuiltWindowAndFalsePositive() {
        var scores = [Double](repeating: 0, count: 100)
        scores[55] = 0.9
        scores[20] = 0.9
        let r = NABScorer().score([file(scores: scores, window: (50, 59))], profile: NABScorer.standardProfiles[0])
        let tp = NABScorer.scaledSigmoid(-0.5) / NABScorer.scaledSigmoid(-1)
        #expect(abs(r.raw - (tp - 0.11)) < 1e-9)
        #expect(abs(r.normalized - 100 * (tp - 0.11 + 1) / 2) < 1e-9)
    }

    /// Rows in the first 15% are not scored: a detection there is neither a false positive nor a true positive.
    @Test func probationaryRowsAreIgnored() {
        var scores = [Double](repeating: 0, count: 100)
        scores[5] = 1
        let r = NABScorer().score([file(scores: scores, window: nil)], profile: NABScorer.standardProfiles[0])
        #expect(r.falsePositives == 0)
    }

    /// The README of detector-results gives the scores of numenta (HTM) and ARTime on these 35 files.
    @Test(.enabled(if: SharedFixtures.available, "needs ../shared/corpus/nab"))
    func reproducesPublishedDetectorScores() throws {
        let root = try #require(SharedFixtures.path("corpus/nab"))
        let expected: [String: [Double]] = ["numenta": [66.59, 60.81, 71.06], "ARTime": [67.85, 57.84, 73.72]]
        for (detector, want) in expected {
            let files = try NABCorpus.detectorFiles(root: root, detector: detector)
            #expect(files.count == 35)
            for (profile, value) in zip(NABScorer.standardProfiles, want) {
                let r = NABScorer().score(files, profile: profile)
                #expect(abs(r.normalized - value) < 0.005, "\(detector) \(profile.name): \(r.normalized)")
            }
        }
    }
}
