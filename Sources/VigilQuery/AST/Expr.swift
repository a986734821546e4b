import VigilCore

/// The type of a PromQL expression's value.
public enum ValueType: String, Sendable {
    case scalar, vector, matrix, string
}

/// A byte range of the query text, for error messages.
public struct PositionRange: Sendable, Hashable {
    /// First byte of the node.
    public var start: Int
    /// One past the last byte of the node.
    public var end: Int
    /// Creates a range.
    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// The 1-based line and column of `start` in `query`, as Prometheus prints positions (`1:5`).
    public func lineColumn(in query: String) -> (line: Int, column: Int) {
        var line = 1
        var lastBreak = -1
        for (k, b) in query.utf8.prefix(start).enumerated() where b == UInt8(ascii: "\n") {
            line += 1
            lastBreak = k
        }
        return (line, start - lastBreak)
    }
}

/// A PromQL expression tree.
public indirect enum Expr: Sendable {
    case number(Double)
    case string(String)
    case vectorSelector(VectorSelector)
    /// `selector[range]`
    case matrixSelector(MatrixSelector)
    /// `expr[range:step]`
    case subquery(SubqueryExpr)
    case call(Call)
    case aggregate(AggregateExpr)
    case binary(BinaryExpr)
    /// `-expr` or `+expr`
    case unary(UnaryOp, Expr)
    case paren(Expr)
    /// Marks a subtree whose value does not change between steps of a range query (an `@` optimisation).
    case stepInvariant(Expr)

    /// The value type the expression produces.
    public var type: ValueType {
        switch self {
        case .number: .scalar
        case .string: .string
        case .vectorSelector: .vector
        case .matrixSelector, .subquery: .matrix
        case .call(let c): c.function.returnType
        case .aggregate: .vector
        case .binary(let b): (b.lhs.type == .scalar && b.rhs.type == .scalar) ? .scalar : .vector
        case .unary(_, let e), .paren(let e), .stepInvariant(let e): e.type
        }
    }
}

/// The `@` modifier: a fixed time, or the start or end of the query range.
public enum AtModifier: Sendable, Hashable {
    case timestamp(Int64)
    case start
    case end
}

/// `name{matchers} offset d @ t`
public struct VectorSelector: Sendable {
    /// The metric name when written outside the braces (also present as a `__name__` matcher).
    public var name: String?
    /// Label matchers in source order; a name written outside braces is the last, an equality on `__name__`.
    public var matchers: [LabelMatcher]
    /// Offset in milliseconds (negative allowed).
    public var offset: Int64
    /// The `@` modifier, if any.
    public var at: AtModifier?
    /// Byte range of the selector and its modifiers in the query.
    public var position: PositionRange

    /// Creates a selector.
    public init(name: String?, matchers: [LabelMatcher], offset: Int64 = 0, at: AtModifier? = nil,
                position: PositionRange = PositionRange(start: 0, end: 0)) {
        self.name = name
        self.matchers = matchers
        self.offset = offset
        self.at = at
        self.position = position
    }
}

/// `selector[range]`; offset and `@` live on the inner selector.
public struct MatrixSelector: Sendable {
    /// The selector with its offset and `@`.
    public var selector: VectorSelector
    /// Range in milliseconds.
    public var range: Int64
    /// Byte range of `selector[range] …` in the query.
    public var position: PositionRange

    /// Creates a range selector.
    public init(selector: VectorSelector, range: Int64, position: PositionRange = PositionRange(start: 0, end: 0)) {
        self.selector = selector
        self.range = range
        self.position = position
    }
}

/// `expr[range:step] offset d @ t`
public struct SubqueryExpr: Sendable {
    /// The inner expression (an instant vector).
    public var expr: Expr
    /// Range in milliseconds.
    public var range: Int64
    /// Step in milliseconds; 0 means the default evaluation interval.
    public var step: Int64
    /// Offset in milliseconds (negative allowed).
    public var offset: Int64
    /// The `@` modifier, if any.
    public var at: AtModifier?
    /// Byte range of `expr[range:step] …` in the query.
    public var position: PositionRange

    /// Creates a subquery.
    public init(expr: Expr, range: Int64, step: Int64, offset: Int64 = 0, at: AtModifier? = nil,
                position: PositionRange = PositionRange(start: 0, end: 0)) {
        self.expr = expr
        self.range = range
        self.step = step
        self.offset = offset
        self.at = at
        self.position = position
    }
}

/// A function call.
public struct Call: Sendable {
    /// The called function's signature.
    public var function: FunctionSignature
    /// The arguments in order.
    public var args: [Expr]
    /// Byte range of the call in the query.
    public var position: PositionRange

    /// Creates a call.
    public init(function: FunctionSignature, args: [Expr], position: PositionRange = PositionRange(start: 0, end: 0)) {
        self.function = function
        self.args = args
        self.position = position
    }
}

/// A function's name and argument/return types, as the parser checks them.
public struct FunctionSignature: Sendable, Hashable {
    /// The function name (case-sensitive).
    public var name: String
    /// The argument types in order.
    public var argTypes: [ValueType]
    /// Prometheus's `Variadic`: 0 means exactly `argTypes.count` arguments; n > 0 means the last argument type
    /// may appear 0...n times (`round(v[, s])`); -1 means it may appear any number of times (`label_join`).
    public var variadic: Int
    /// The result type.
    public var returnType: ValueType

    /// Creates a signature.
    public init(name: String, argTypes: [ValueType], variadic: Int = 0, returnType: ValueType) {
        self.name = name
        self.argTypes = argTypes
        self.variadic = variadic
        self.returnType = returnType
    }
}

/// Aggregation operators.
public enum AggregateOp: String, Sendable, CaseIterable {
    case sum, avg, min, max, count, group, stddev, stdvar, topk, bottomk, quantile
    case countValues = "count_values"
    case limitk
    case limitRatio = "limit_ratio"

    /// True when the operator takes a parameter before the vector.
    public var takesParameter: Bool {
        switch self {
        case .topk, .bottomk, .quantile, .countValues, .limitk, .limitRatio: true
        default: false
        }
    }
}

/// `op by|without (labels) (param, expr)`
public struct AggregateExpr: Sendable {
    /// The aggregation operator.
    public var op: AggregateOp
    /// The aggregated vector.
    public var expr: Expr
    /// The parameter of `topk`, `bottomk`, `quantile`, `count_values`, `limitk` and `limit_ratio`.
    public var param: Expr?
    /// Labels of `by (...)` or `without (...)`.
    public var grouping: [String]
    /// True for `without`, false for `by` or no clause.
    public var without: Bool
    /// Byte range of the whole aggregation in the query.
    public var position: PositionRange

    /// Creates an aggregation.
    public init(op: AggregateOp, expr: Expr, param: Expr? = nil, grouping: [String] = [], without: Bool = false,
                position: PositionRange = PositionRange(start: 0, end: 0)) {
        self.op = op
        self.expr = expr
        self.param = param
        self.grouping = grouping
        self.without = without
        self.position = position
    }
}

/// Binary operators, by precedence group.
public enum BinaryOp: String, Sendable, CaseIterable {
    case add = "+", sub = "-", mul = "*", div = "/", mod = "%", pow = "^", atan2
    case eql = "==", neq = "!=", gtr = ">", lss = "<", gte = ">=", lte = "<="
    case and, or, unless

    /// True for `==`, `!=`, `>`, `<`, `>=`, `<=`.
    public var isComparison: Bool {
        switch self {
        case .eql, .neq, .gtr, .lss, .gte, .lte: true
        default: false
        }
    }

    /// True for `and`, `or`, `unless`.
    public var isSetOperator: Bool { self == .and || self == .or || self == .unless }

    /// Higher binds tighter: `or` 1, `and`/`unless` 2, comparisons 3, `+ -` 4, `* / % atan2` 5, `^` 6.
    public var precedence: Int {
        switch self {
        case .or: 1
        case .and, .unless: 2
        case .eql, .neq, .gtr, .lss, .gte, .lte: 3
        case .add, .sub: 4
        case .mul, .div, .mod, .atan2: 5
        case .pow: 6
        }
    }

    /// `^` is right-associative; everything else is left-associative.
    public var isRightAssociative: Bool { self == .pow }
}

/// Unary operators.
public enum UnaryOp: String, Sendable {
    case minus = "-", plus = "+"
}

/// How the two sides of a vector/vector operation are matched.
public struct VectorMatching: Sendable {
    /// Which side may match several series.
    public enum Cardinality: Sendable {
        case oneToOne, manyToOne, oneToMany, manyToMany
    }

    /// One-to-one, many-to-one (`group_left`), one-to-many (`group_right`) or many-to-many (set operators).
    public var cardinality: Cardinality
    /// `on(...)` when true, `ignoring(...)` when false.
    public var on: Bool
    /// Labels of `on (...)` or `ignoring (...)`.
    public var labels: [String]
    /// Labels listed in `group_left(...)`/`group_right(...)`.
    public var include: [String]

    /// Creates a matching description.
    public init(cardinality: Cardinality, on: Bool, labels: [String], include: [String] = []) {
        self.cardinality = cardinality
        self.on = on
        self.labels = labels
        self.include = include
    }
}

/// `lhs op [bool] [on|ignoring(...)] [group_left|group_right(...)] rhs`
public struct BinaryExpr: Sendable {
    /// The operator.
    public var op: BinaryOp
    /// Left operand.
    public var lhs: Expr
    /// Right operand.
    public var rhs: Expr
    /// True with the `bool` modifier.
    public var returnBool: Bool
    /// Present when both sides are vectors (set operators default to many-to-many).
    public var matching: VectorMatching?
    /// Byte range from the start of `lhs` to the end of `rhs`.
    public var position: PositionRange

    /// Creates a binary expression.
    public init(op: BinaryOp, lhs: Expr, rhs: Expr, returnBool: Bool = false, matching: VectorMatching? = nil,
                position: PositionRange = PositionRange(start: 0, end: 0)) {
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
        self.returnBool = returnBool
        self.matching = matching
        self.position = position
    }
}
