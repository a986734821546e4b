import Foundation
import VigilCore

/// A `SampleAppender` that records every batch, for scraper tests.
final class ScrapeRecordingAppender: SampleAppender, @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [LabeledSample] = []

    func append(_ batch: [LabeledSample]) throws -> AppendResult {
        lock.withLock { stored += batch }
        return AppendResult(accepted: batch.count)
    }

    var samples: [LabeledSample] { lock.withLock { stored } }

    /// Samples of the series whose labels include all of `match`.
    func series(_ match: [String: String]) -> [LabeledSample] {
        samples.filter { s in match.allSatisfy { s.labels.get($0.key) == $0.value } }
    }

    /// The latest value of the matching series, or nil.
    func last(_ match: [String: String]) -> Double? { series(match).last?.v }
}

/// Polls `condition` every 20 ms until it holds or `seconds` pass.
func eventuallyTrue(_ seconds: Double = 5, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        try? await Task.sleep(nanoseconds: 20_000_000)
    }
    return condition()
}
