import Foundation
import Testing
import VigilAnomaly
import VigilTesting

@Suite struct ShapeClassifierTests {
    /// Shapes drawn with another seed than the training set are named correctly at least 90% of the time.
    @Test func namesHeldOutSyntheticShapes() {
        let classifier = ShapeClassifier()
        var rng = SplitMix64(seed: 999)
        var right = 0
        var total = 0
        for kind in AnomalyKind.allCases {
            for _ in 0..<30 {
                if classifier.classify(ShapeClassifier.synthetic(kind, rng: &rng)).kind == kind { right += 1 }
                total += 1
            }
        }
        #expect(Double(right) / Double(total) >= 0.9)
    }

    /// Runs 1-60 of C22 (the drop at run 41 inside the last third) are a level shift.
    @Test(.enabled(if: SharedFixtures.available, "needs ../shared/cases/C22"))
    func namesC22ALevelShift() throws {
        let path = try #require(SharedFixtures.path("cases/C22/bench_runs.csv"))
        let rows = try String(contentsOf: path, encoding: .utf8).split(separator: "\n").dropFirst()
        let values = rows.prefix(60).compactMap { Double($0.split(separator: ",")[1]) }
        #expect(values.count == 60)
        #expect(ShapeClassifier().classify(values).kind == .levelShift)
    }

    /// Operator feedback retrains the model: a window labelled by an operator is then named as labelled.
    @Test func feedbackRetrains() {
        var rng = SplitMix64(seed: 5)
        let window = ShapeClassifier.synthetic(.spike, rng: &rng)
        let before = ShapeClassifier().classify(window).kind
        #expect(before == .spike)
        let after = ShapeClassifier(feedback: [(window, .flatline)], feedbackWeight: 60).classify(window).kind
        #expect(after == .flatline)
    }

    @Test func trainingIsDeterministic() {
        var rng = SplitMix64(seed: 11)
        let window = ShapeClassifier.synthetic(.trendChange, rng: &rng)
        #expect(ShapeClassifier(seed: 3).classify(window).confidence
            == ShapeClassifier(seed: 3).classify(window).confidence)
    }
}

@Suite struct IsolationForestTests {
    private func rows() -> [[Double]] {
        var rng = SplitMix64(seed: 1)
        return (0..<500).map { _ in
            let load = Double(rng.next() % 1000) / 1000
            return [load, 2 * load + Double(rng.next() % 100) / 1000, 1]
        }
    }

    /// A point that breaks the relation between two metrics (each value within its own range) is isolated.
    @Test func isolatesAPointThatBreaksTheRelationBetweenSeries() {
        var forest = IsolationForest()
        forest.fit(rows())
        let normal = forest.score([0.5, 1.05, 1])
        let broken = forest.score([0.5, 0.0, 1])
        #expect(broken > 0.6)
        #expect(normal < 0.5)
    }

    @Test func untrainedForestAndDegenerateInputScoreOneHalf() {
        #expect(IsolationForest().score([1, 2]) == 0.5)
        var forest = IsolationForest()
        forest.fit([[1.0]])
        #expect(forest.score([1]) == 0.5)
    }

    @Test func sameSeedSameScores() {
        var a = IsolationForest(seed: 9)
        var b = IsolationForest(seed: 9)
        a.fit(rows())
        b.fit(rows())
        #expect(a.score([0.2, 0.9, 1]) == b.score([0.2, 0.9, 1]))
    }
}
