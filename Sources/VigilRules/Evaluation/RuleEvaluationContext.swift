import VigilCore
import VigilQuery

/// What rule evaluation needs from outside: the query function, external labels and URL, retention settings.
public struct RuleEvaluationContext: Sendable {
    /// Evaluates a parsed expression at a time (ms); wired to `QueryEngine.instant`.
    public typealias QueryFunction = @Sendable (Expr, Int64) throws -> QueryValue

    /// The query function rules run through.
    public var query: QueryFunction
    /// Labels templates see as `$externalLabels`.
    public var externalLabels: Labels
    /// The URL templates see as `$externalURL` and generator links start with.
    public var externalURL: String
    /// How long resolved alerts are kept for re-sending (Prometheus: 15m).
    public var resolvedRetention: Int64
    /// The minimum time between re-sends of an unchanged alert (Prometheus `rules.alert.resend-delay`: 1m).
    public var resendDelay: Int64

    public init(query: @escaping QueryFunction, externalLabels: Labels = Labels(), externalURL: String = "",
                resolvedRetention: Int64 = 15 * 60_000, resendDelay: Int64 = 60_000) {
        self.query = query
        self.externalLabels = externalLabels
        self.externalURL = externalURL
        self.resolvedRetention = resolvedRetention
        self.resendDelay = resendDelay
    }

    /// Runs the rule's query and returns an instant vector (a scalar becomes one sample without labels).
    func vector(_ expr: Expr, at t: Int64) throws -> [VectorElement] {
        switch try query(expr, t) {
        case .vector(let v): return v
        case .scalar(let st, let v): return [VectorElement(labels: Labels(), t: st, v: v)]
        default: throw RuleEvaluationError.badResultType
        }
    }

    /// The template function table for alert templates, with `query` running PromQL text at `t`.
    func templateFunctions(at t: Int64) -> TemplateFunctions {
        let q = query
        return PrometheusTemplateFunctions.functions(
            query: { text in
                let expr: Expr
                do { expr = try QueryEngine.parse(text) } catch { throw RuleEvaluationError.query("\(error)") }
                switch try q(expr, t) {
                case .vector(let v): return v.map { (labels: $0.labels, value: $0.v) }
                case .scalar(_, let v): return [(labels: Labels(), value: v)]
                default: throw RuleEvaluationError.query("query result is not a vector or a scalar")
                }
            }, externalURL: externalURL, now: t)
    }
}

/// Why a rule evaluation failed; shown as the rule's `lastError`.
public enum RuleEvaluationError: Error, Sendable, CustomStringConvertible, Equatable {
    case badResultType
    case duplicateLabelSet(String)
    case limitExceeded(limit: Int, count: Int, what: String)
    case query(String)

    public var description: String {
        switch self {
        case .badResultType: "rule result is not a vector or scalar"
        case .duplicateLabelSet(let s): "vector contains metrics with the same labelset after applying \(s) labels"
        case .limitExceeded(let limit, let count, let what): "exceeded limit of \(limit) with \(count) \(what)"
        case .query(let m): m
        }
    }
}

extension RuleEvaluationContext {
    /// A context whose rules query `engine` (`QueryEngine.instant`).
    public static func using(_ engine: QueryEngine, externalLabels: Labels = Labels(), externalURL: String = "",
                             resendDelay: Int64 = 60_000) -> RuleEvaluationContext {
        RuleEvaluationContext(query: { expr, t in try engine.instant(expr, at: t) }, externalLabels: externalLabels,
                              externalURL: externalURL, resendDelay: resendDelay)
    }
}
