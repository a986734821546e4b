import Foundation
import VigilCore
import VigilQuery

@testable import VigilRules

/// Records appended samples.
final class RecordingAppender: SampleAppender, @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [LabeledSample] = []

    func append(_ batch: [LabeledSample]) throws -> AppendResult {
        lock.withLock { stored += batch }
        return AppendResult(accepted: batch.count)
    }

    var samples: [LabeledSample] { lock.withLock { stored } }

    func clear() { lock.withLock { stored = [] } }

    /// Samples at `t`, rendered `labels value` with stale markers as `stale`, sorted.
    func lines(at t: Int64) -> [String] {
        samples.filter { $0.t == t }.map {
            "\($0.labels) " + (StaleMarker.isStale($0.v) ? "stale" : GoFloat.format($0.v))
        }.sorted()
    }
}

/// Records sent alerts.
final class RecordingSender: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [[RuleAlert]] = []

    var send: RuleManager.AlertSender { { alerts in self.lock.withLock { self.stored.append(alerts) } } }
    var batches: [[RuleAlert]] { lock.withLock { stored } }
    func clear() { lock.withLock { stored = [] } }
}

/// A query function that answers from a table of vectors by evaluation time.
final class FakeQuery: @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [Int64: [VectorElement]] = [:]

    func set(_ t: Int64, _ v: [VectorElement]) { lock.withLock { answers[t] = v } }

    var function: RuleEvaluationContext.QueryFunction {
        { _, t in .vector(self.lock.withLock { self.answers[t] ?? [] }) }
    }
}

/// A manager over `yaml` with a fake query.
func makeManager(_ yaml: String, query: FakeQuery, appender: RecordingAppender, sender: RecordingSender,
                 externalURL: String = "") throws -> RuleManager {
    let file = try RuleFileLoader.parse(text: yaml, file: "r.yml")
    let m = RuleManager(context: RuleEvaluationContext(query: query.function, externalURL: externalURL),
                        appender: appender, sender: sender.send, logger: .disabled)
    m.update(groups: file.groups)
    return m
}
