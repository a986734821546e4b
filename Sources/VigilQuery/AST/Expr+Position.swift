extension Expr {
    /// The node's byte range in the parsed query, for annotations such as `PromQL info: … (1:6)`.
    ///
    /// Selectors, subqueries, calls, aggregations and binary expressions carry their own range; parentheses,
    /// unary operators and step-invariant wrappers report their inner expression's range, and literals have none
    /// (the AST keeps no position for numbers and strings).
    public var position: PositionRange? {
        switch self {
        case .vectorSelector(let vs): vs.position
        case .matrixSelector(let ms): ms.position
        case .subquery(let sq): sq.position
        case .call(let c): c.position
        case .aggregate(let a): a.position
        case .binary(let b): b.position
        case .paren(let e), .unary(_, let e), .stepInvariant(let e): e.position
        case .number, .string: nil
        }
    }
}
