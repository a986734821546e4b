import VigilCore

/// A view of a `TSDB` whose selects carry fixed `SelectHints` (a query's `max_source_resolution`).
public final class HintedStorage: Storage, @unchecked Sendable {
    public let base: TSDB
    public let hints: SelectHints

    public init(base: TSDB, hints: SelectHints) {
        self.base = base
        self.hints = hints
    }

    @discardableResult
    public func append(_ batch: [LabeledSample]) throws -> AppendResult { try base.append(batch) }

    public func select(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [Series] {
        base.select(matchers, mint: mint, maxt: maxt, hints: hints)
    }

    public func series(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [Labels] {
        base.series(matchers, mint: mint, maxt: maxt)
    }

    public var stats: StorageStats { base.stats }

    public func applyRetention(now: Int64) { base.applyRetention(now: now) }
}
