import VigilCore

extension QueryEngine {
    /// Evaluates an expression at one instant (stub until the evaluator lands).
    public func instant(_ expr: Expr, at: Int64) throws(QueryError) -> QueryValue {
        throw QueryError(.internal, "evaluator not implemented")
    }

    /// Evaluates an expression over a range (stub until the evaluator lands).
    public func range(_ expr: Expr, start: Int64, end: Int64, step: Int64) throws(QueryError) -> QueryValue {
        throw QueryError(.internal, "evaluator not implemented")
    }
}
