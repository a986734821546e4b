/// The kinds of PromQL tokens, as Prometheus's lexer distinguishes them.
enum TokenKind: UInt8, Sendable {
    case eof
    /// A lexer error; the token's `message` says what went wrong.
    case error
    /// `[a-zA-Z_][a-zA-Z0-9_]*` outside braces (keywords are identifiers with a `keyword`).
    case identifier
    /// An identifier containing `:` (recording-rule style metric name).
    case metricIdentifier
    case number
    case duration
    case string
    case leftParen, rightParen, leftBrace, rightBrace, leftBracket, rightBracket
    case comma, colon, at
    /// `=` (label matching)
    case assign
    /// `=~`, `!~` (label matching)
    case eqlRegex, neqRegex
    /// `==`, `!=`, `<`, `<=`, `>`, `>=`
    case eqlc, neq, lss, lte, gtr, gte
    case add, sub, mul, div, mod, pow
    // Series descriptions only.
    case blank, times
}

/// Reserved words of PromQL (matched case-insensitively outside braces).
enum Keyword: Sendable, Equatable {
    case and, or, unless, atan2
    case by, without, on, ignoring, groupLeft, groupRight, bool, offset
    case aggregator(AggregateOp)
    case inf, nan

    /// Looks up a keyword by its lower-cased spelling.
    static func lookup(_ lower: String) -> Keyword? {
        switch lower {
        case "and": .and
        case "or": .or
        case "unless": .unless
        case "atan2": .atan2
        case "by": .by
        case "without": .without
        case "on": .on
        case "ignoring": .ignoring
        case "group_left": .groupLeft
        case "group_right": .groupRight
        case "bool": .bool
        case "offset": .offset
        case "inf": .inf
        case "nan": .nan
        default: AggregateOp(rawValue: lower).map { .aggregator($0) }
        }
    }

    /// The binary operator this keyword spells, if any.
    var binaryOp: BinaryOp? {
        switch self {
        case .and: .and
        case .or: .or
        case .unless: .unless
        case .atan2: .atan2
        default: nil
        }
    }
}

/// One token: its kind and byte range in the query.
struct Token: Sendable {
    var kind: TokenKind
    var start: Int
    var end: Int
    /// Set for identifiers that are PromQL keywords.
    var keyword: Keyword?
    /// The lexer's error message for `.error` tokens.
    var message: String?

    init(_ kind: TokenKind, _ start: Int, _ end: Int, keyword: Keyword? = nil, message: String? = nil) {
        self.kind = kind
        self.start = start
        self.end = end
        self.keyword = keyword
        self.message = message
    }

    /// The binary operator this token stands for, if any.
    var binaryOp: BinaryOp? {
        switch kind {
        case .add: .add
        case .sub: .sub
        case .mul: .mul
        case .div: .div
        case .mod: .mod
        case .pow: .pow
        case .eqlc: .eql
        case .neq: .neq
        case .lss: .lss
        case .lte: .lte
        case .gtr: .gtr
        case .gte: .gte
        case .identifier: keyword?.binaryOp
        default: nil
        }
    }
}
