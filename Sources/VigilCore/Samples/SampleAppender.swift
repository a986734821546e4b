/// Where collected samples go: implemented by the store, used by every collector and by rule evaluation.
public protocol SampleAppender: Sendable {
    /// Appends a batch atomically with respect to readers; returns what was accepted and rejected.
    ///
    /// Samples of one series must be in time order. Rejected samples (out of order, duplicates with another value)
    /// are counted, never thrown: only a failure of the store itself throws.
    @discardableResult
    func append(_ batch: [LabeledSample]) throws -> AppendResult
}

/// A sample with the labels of its series.
public struct LabeledSample: Sendable, Equatable {
    public var labels: Labels
    public var t: Int64
    public var v: Double

    public init(_ labels: Labels, t: Int64, v: Double) {
        self.labels = labels
        self.t = t
        self.v = v
    }

    public static func == (lhs: LabeledSample, rhs: LabeledSample) -> Bool {
        lhs.labels == rhs.labels && lhs.t == rhs.t && lhs.v.bitPattern == rhs.v.bitPattern
    }
}

/// The outcome of one append batch.
public struct AppendResult: Sendable, Equatable {
    public var accepted: Int
    public var outOfOrder: Int
    public var duplicate: Int
    public var tooOld: Int

    public init(accepted: Int = 0, outOfOrder: Int = 0, duplicate: Int = 0, tooOld: Int = 0) {
        self.accepted = accepted
        self.outOfOrder = outOfOrder
        self.duplicate = duplicate
        self.tooOld = tooOld
    }

    public var rejected: Int { outOfOrder + duplicate + tooOld }
}
