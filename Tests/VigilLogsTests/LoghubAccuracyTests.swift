import Foundation
import Testing
import VigilLogs
import VigilTesting

/// Loghub 2k accuracy of the template miner with its one default configuration.
struct LoghubAccuracy {
    @Test("scorer counts split and merged groups as wrong")
    func scorerByHand() {
        // Truth A A B B, prediction x x x y: x mixes A and B, y is part of B only, so nothing is right.
        #expect(LoghubScorer.groupingAccuracy(truth: ["A", "A", "B", "B"], predicted: ["x", "x", "x", "y"]) == 0)
        #expect(LoghubScorer.groupingAccuracy(truth: ["A", "A", "B", "B"], predicted: ["x", "x", "y", "y"]) == 1)
        // Prediction x x y z: A is right (2 lines), B is split (0 lines).
        #expect(LoghubScorer.groupingAccuracy(truth: ["A", "A", "B", "B"], predicted: ["x", "x", "y", "z"]) == 0.5)
        #expect(LoghubScorer.parsingAccuracy(truth: ["A", "A", "B", "B"], predicted: ["A", "x", "B", "B"]) == 0.75)
    }

    @Test("CSV reader handles quotes, doubled quotes and commas")
    func csvByHand() {
        let rows = CSVReader.rows("a,b\n1,\"x, \"\"y\"\"\"\n")
        #expect(rows == [["a", "b"], ["1", "x, \"y\""]])
    }

    @Test(
        "GA and PA averaged over the shared Loghub systems meet the pass line",
        .enabled(if: SharedFixtures.available, "needs ../shared/corpus/loghub2k"))
    func sharedSystems() throws {
        let root = try #require(SharedFixtures.root())
        let systems = try LoghubScorer.systems(root: root)
        #expect(systems.count == 11)
        var ga = 0.0
        var pa = 0.0
        for system in systems {
            var miner = TemplateMiner()
            let clusters = system.contents.map { miner.learn($0) }
            let predicted = clusters.map { miner.template(ofCluster: $0) }
            let g = LoghubScorer.groupingAccuracy(truth: system.truth, predicted: predicted)
            let p = LoghubScorer.parsingAccuracy(truth: system.truth, predicted: predicted)
            print("loghub \(system.name) GA \(g) PA \(p)")
            ga += g
            pa += p
        }
        ga /= Double(systems.count)
        pa /= Double(systems.count)
        print("loghub mean GA \(ga) PA \(pa)")
        #expect(ga >= 0.90)
        #expect(pa >= 0.55)
    }
}
