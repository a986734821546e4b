import VigilCore
import VigilStorage

/// Limits and defaults for query evaluation.
public struct EngineOptions: Sendable {
    /// How far back an instant selector looks for a sample (Prometheus: 5m).
    public var lookbackDelta: Int64 = 5 * 60_000
    /// The most samples one query may hold in memory at once (`query.max_samples`).
    public var maxSamples: Int = 50_000_000
    /// Wall-clock limit in seconds (`query.timeout`).
    public var timeout: Double = 120
    /// Default subquery step when none is given, in milliseconds (the global evaluation interval).
    public var defaultEvaluationInterval: Int64 = 60_000

    public init() {}
}

/// Evaluates PromQL against a `Storage`.
///
/// Implemented in `Engine/` and `Functions/`; this file is the public surface every caller uses.
public final class QueryEngine: Sendable {
    public let storage: any Storage
    public let options: EngineOptions

    public init(storage: any Storage, options: EngineOptions = EngineOptions()) {
        self.storage = storage
        self.options = options
    }

    /// Parses `query` into an expression tree.
    public static func parse(_ query: String) throws(ParseError) -> Expr {
        try Parser.parse(query)
    }

    /// Evaluates `query` at time `at` (milliseconds).
    public func instantQuery(_ query: String, at: Int64) throws(QueryError) -> QueryValue {
        let expr: Expr
        do { expr = try Parser.parse(query) } catch { throw QueryError(.badData, error.description) }
        return try instant(expr, at: at)
    }

    /// Evaluates `query` at each step from `start` to `end` inclusive; returns a matrix (or scalar/string series).
    public func rangeQuery(_ query: String, start: Int64, end: Int64, step: Int64) throws(QueryError) -> QueryValue {
        let expr: Expr
        do { expr = try Parser.parse(query) } catch { throw QueryError(.badData, error.description) }
        return try range(expr, start: start, end: end, step: step)
    }
}
