import VigilCore

/// The type of a PromQL expression's value.
public enum ValueType: String, Sendable {
    case scalar, vector, matrix, string
}

/// A byte range of the query text, for error messages.
public struct PositionRange: Sendable, Hashable {
    public var start: Int
    public var end: Int
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
    public var matchers: [LabelMatcher]
    /// Offset in milliseconds (negative allowed).
    public var offset: Int64
    public var at: AtModifier?
    public var position: PositionRange

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
    public var selector: VectorSelector
    /// Range in milliseconds.
    public var range: Int64
    /// Byte range of `selector[range] …` in the query.
    public var position: PositionRange

    public init(selector: VectorSelector, range: Int64, position: PositionRange = PositionRange(start: 0, end: 0)) {
        self.selector = selector
        self.range = range
        self.position = position
    }
}

/// `expr[range:step] offset d @ t`
public struct SubqueryExpr: Sendable {
    public var expr: Expr
    public var range: Int64
    /// Step in milliseconds; 0 means the default evaluation interval.
    public var step: Int64
    public var offset: Int64
    public var at: AtModifier?
    /// Byte range of `expr[range:step] …` in the query.
    public var position: PositionRange

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
    public var function: FunctionSignature
    public var args: [Expr]
    public var position: PositionRange

    public init(function: FunctionSignature, args: [Expr], position: PositionRange = PositionRange(start: 0, end: 0)) {
        self.function = function
        self.args = args
        self.position = position
    }
}

/// A function's name and argument/return types, as the parser checks them.
public struct FunctionSignature: Sendable, Hashable {
    public var name: String
    public var argTypes: [ValueType]
    /// Number of trailing optional arguments (`-1`: the last argument repeats, as in `label_join`).
    public var variadic: Int
    public var returnType: ValueType

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
    public var op: AggregateOp
    public var expr: Expr
    public var param: Expr?
    public var grouping: [String]
    public var without: Bool
    /// Byte range of the whole aggregation in the query.
    public var position: PositionRange

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

    public var isComparison: Bool {
        switch self {
        case .eql, .neq, .gtr, .lss, .gte, .lte: true
        default: false
        }
    }

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

public enum UnaryOp: String, Sendable {
    case minus = "-", plus = "+"
}

/// How the two sides of a vector/vector operation are matched.
public struct VectorMatching: Sendable {
    public enum Cardinality: Sendable {
        case oneToOne, manyToOne, oneToMany, manyToMany
    }

    public var cardinality: Cardinality
    /// `on(...)` when true, `ignoring(...)` when false.
    public var on: Bool
    public var labels: [String]
    /// Labels listed in `group_left(...)`/`group_right(...)`.
    public var include: [String]

    public init(cardinality: Cardinality, on: Bool, labels: [String], include: [String] = []) {
        self.cardinality = cardinality
        self.on = on
        self.labels = labels
        self.include = include
    }
}

/// `lhs op [bool] [on|ignoring(...)] [group_left|group_right(...)] rhs`
public struct BinaryExpr: Sendable {
    public var op: BinaryOp
    public var lhs: Expr
    public var rhs: Expr
    public var returnBool: Bool
    /// Present when both sides are vectors (set operators default to many-to-many).
    public var matching: VectorMatching?
    /// Byte range from the start of `lhs` to the end of `rhs`.
    public var position: PositionRange

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
