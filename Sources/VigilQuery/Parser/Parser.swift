import VigilCore

/// The PromQL parser entry point.
enum Parser {
    /// Parses a PromQL expression with Prometheus 3 syntax and type checks.
    static func parse(_ query: String) throws(ParseError) -> Expr {
        var p = PromQLParser(query)
        return try p.parseQuery()
    }
}

/// An error at a byte offset of the query, before it is turned into a line/column `ParseError`.
struct ParseFailure: Error {
    var pos: Int
    var message: String
}

/// A parsed subexpression with its start offset and the first type-check error inside it.
struct Parsed {
    var expr: Expr
    var start: Int
    /// The first error Prometheus's `checkAST` would report for this subtree (checked only when parsing succeeded).
    var check: ParseFailure?
    /// The value type, kept here so long operator chains are not re-walked (`Expr.type` recurses).
    var type: ValueType

    init(expr: Expr, start: Int, check: ParseFailure?, type: ValueType? = nil) {
        self.expr = expr
        self.start = start
        self.check = check
        self.type = type ?? expr.type
    }
}

/// A recursive-descent, precedence-climbing PromQL parser over the lexer's tokens.
///
/// Errors follow Prometheus: the first error recorded wins; syntax errors and errors found while building nodes
/// are recorded in source order, and type-check errors count only when there is no other error.
/// - Complexity: O(n) in the number of tokens.
struct PromQLParser {
    let bytes: [UInt8]
    let tokens: [Token]
    var i = 0
    /// Errors recorded while building nodes (Prometheus's `addParseErr` during parsing); the first is reported.
    var errors: [ParseFailure] = []
    /// How many aggregation bodies enclose the current token (their yacc error rule adds "in aggregation").
    var aggregationDepth = 0
    /// Current nesting of `parseExpr`; bounded so a hostile query cannot exhaust the thread's stack.
    var depth = 0
    static let maxDepth = 1000
    /// The most binary operators one left-associative chain may hold: the tree it builds is as deep as the chain
    /// is long, and evaluating, printing and freeing it recurse that deep.
    static let maxChain = 1000

    init(_ query: String) {
        bytes = Array(query.utf8)
        tokens = Lexer.tokenize(bytes)
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
        tokens = Lexer.tokenize(bytes)
    }

    // MARK: - Entry

    mutating func parseQuery() throws(ParseError) -> Expr {
        do throws(ParseFailure) {
            if tokens[0].kind == .eof {
                throw ParseFailure(pos: 0, message: "no expression found in input")
            }
            let result = try parseExpr(minPrecedence: 0)
            if tok.kind != .eof { throw unexpected() }
            if let first = errors.first { throw first }
            if let check = result.check { throw check }
            return result.expr
        } catch {
            let failure = errors.first ?? error
            throw makeError(failure)
        }
    }

    /// Converts a byte offset into Prometheus's 1-based line and column.
    func makeError(_ f: ParseFailure) -> ParseError {
        var line = 1
        var lastBreak = -1
        let pos = min(f.pos, bytes.count)
        var k = 0
        while k < pos {
            if bytes[k] == UInt8(ascii: "\n") {
                line += 1
                lastBreak = k
            }
            k += 1
        }
        return ParseError(line: line, column: pos - lastBreak, message: f.message)
    }

    // MARK: - Tokens

    var tok: Token { tokens[i] }

    func text(_ t: Token) -> String { String(decoding: bytes[t.start..<t.end], as: UTF8.self) }

    func isKeyword(_ k: Keyword) -> Bool { tok.kind == .identifier && tok.keyword == k }

    mutating func record(_ pos: Int, _ message: String) {
        errors.append(ParseFailure(pos: pos, message: message))
    }

    /// Prometheus's `unexpected(context, expected)` for the current token; lexer errors are reported as they are.
    func unexpected(_ context: String = "", _ expected: String = "") -> ParseFailure {
        let t = tok
        if t.kind == .error { return ParseFailure(pos: t.start, message: t.message ?? "lexer error") }
        var message = "unexpected " + describe(t)
        var ctx = context
        if ctx.isEmpty && aggregationDepth > 0 { ctx = "aggregation" }
        if !ctx.isEmpty { message += " in " + ctx }
        if !expected.isEmpty { message += ", expected " + expected }
        return ParseFailure(pos: t.start, message: message)
    }

    /// A token as Prometheus's `Item.desc()` describes it.
    func describe(_ t: Token) -> String {
        let s = text(t)
        switch t.kind {
        case .eof: return "end of input"
        case .error: return t.message ?? "error"
        case .identifier:
            switch t.keyword {
            case nil:
                // Prometheus's lexer has these as keywords: preprocessors print bare, modifiers in brackets.
                switch s.lowercased() {
                case "start", "end", "step", "range": return GoString.quote(s)
                case "anchored", "smoothed": return "<\(s)>"
                default: return "identifier " + GoString.quote(s)
                }
            case .aggregator: return "<aggr:\(s)>"
            case .and, .or, .unless, .atan2: return "<op:\(s)>"
            default: return "<\(s)>"
            }
        case .metricIdentifier: return "metric identifier " + GoString.quote(s)
        case .number: return "number " + Self.shortQuote(s)
        case .duration: return "duration " + Self.shortQuote(s)
        case .string: return "string " + Self.shortQuote(s)
        case .add, .sub, .mul, .div, .mod, .pow, .eqlc, .neq, .lss, .lte, .gtr, .gte, .eqlRegex, .neqRegex, .at:
            return "<op:\(s)>"
        default:
            return GoString.quote(s)
        }
    }

    /// Go's `%.10q...` for token text longer than 10 bytes, else `%q`.
    static func shortQuote(_ s: String) -> String {
        guard s.utf8.count > 10 else { return GoString.quote(s) }
        var head = ""
        head.unicodeScalars.append(contentsOf: s.unicodeScalars.prefix(10))
        return GoString.quote(head) + "..."
    }

    // MARK: - Expressions

    /// Parses a binary expression whose operators bind at least as tightly as `minPrecedence`.
    mutating func parseExpr(minPrecedence: Int) throws(ParseFailure) -> Parsed {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth {
            throw ParseFailure(pos: tok.start, message: "expression nested more than \(Self.maxDepth) levels deep")
        }
        var lhs = try parseUnary()
        var chain = 0
        while let op = tok.binaryOp, op.precedence >= minPrecedence {
            let opPos = tok.start
            chain += 1
            if chain > Self.maxChain {
                throw ParseFailure(pos: opPos,
                                   message: "binary expression chain longer than \(Self.maxChain) operators")
            }
            i += 1
            var modifiers = BinaryModifiers()
            try parseBinaryModifiers(&modifiers)
            let next = op.isRightAssociative ? op.precedence : op.precedence + 1
            let rhs = try parseExpr(minPrecedence: next)
            lhs = makeBinary(op: op, opPos: opPos, lhs: lhs, rhs: rhs, modifiers: modifiers)
        }
        return lhs
    }

    /// `+expr` / `-expr`: binds looser than `^` and tighter than `*` (so `-1^2` is `-(1^2)`).
    mutating func parseUnary() throws(ParseFailure) -> Parsed {
        guard tok.kind == .add || tok.kind == .sub else {
            let primary = try parsePrimary()
            return try parsePostfix(primary)
        }
        let op: UnaryOp = tok.kind == .sub ? .minus : .plus
        let start = tok.start
        i += 1
        let operand = try parseExpr(minPrecedence: BinaryOp.pow.precedence)
        if case .number(let v) = operand.expr {
            return Parsed(expr: .number(op == .minus ? -v : v), start: start, check: nil)
        }
        var check = operand.check
        if check == nil {
            let t = operand.type
            if t != .scalar && t != .vector {
                check = ParseFailure(pos: start, message: "unary expression only allowed on expressions of type "
                    + "scalar or instant vector, got \(GoString.quote(documentedType(t)))")
            }
        }
        return Parsed(expr: .unary(op, operand.expr), start: start, check: check, type: operand.type)
    }

    mutating func parsePrimary() throws(ParseFailure) -> Parsed {
        let t = tok
        switch t.kind {
        case .number:
            i += 1
            return Parsed(expr: .number(parseNumber(t)), start: t.start, check: nil)
        case .duration:
            i += 1
            let ms = parseDurationToken(t, requirePositive: false)
            return Parsed(expr: .number(Double(ms) / 1000), start: t.start, check: nil)
        case .string:
            i += 1
            return Parsed(expr: .string(unquote(t)), start: t.start, check: nil)
        case .leftParen:
            i += 1
            let inner = try parseExpr(minPrecedence: 0)
            guard tok.kind == .rightParen else { throw unexpected() }
            i += 1
            return Parsed(expr: .paren(inner.expr), start: t.start, check: inner.check, type: inner.type)
        case .leftBrace:
            return try parseVectorSelector(name: nil, start: t.start)
        case .metricIdentifier:
            i += 1
            return try parseVectorSelector(name: text(t), start: t.start)
        case .identifier:
            if case .aggregator(let op)? = t.keyword {
                let next = tokens[i + 1]
                let opens = next.kind == .leftParen
                    || (next.kind == .identifier && (next.keyword == .by || next.keyword == .without))
                if opens { return try parseAggregation(op) }
            } else if let kw = t.keyword, !Self.metricNameKeywords.contains(kw) {
                throw unexpected()
            }
            i += 1
            // Only plain identifiers call functions; a keyword used as a metric name followed by `(` is an error.
            if tok.kind == .leftParen && t.keyword == nil { return try parseCall(nameToken: t) }
            return try parseVectorSelector(name: text(t), start: t.start)
        default:
            throw unexpected()
        }
    }

    /// Keywords Prometheus's grammar also accepts as metric names (`metric_identifier`); aggregators count too
    /// when no `(`, `by` or `without` follows.
    static let metricNameKeywords: [Keyword] = [.and, .or, .unless, .by, .without, .offset]

    func documentedType(_ t: ValueType) -> String {
        switch t {
        case .vector: "instant vector"
        case .matrix: "range vector"
        case .scalar: "scalar"
        case .string: "string"
        }
    }

    /// The `expected type … in …, got …` check of Prometheus's `expectType`, after the subtree's own checks.
    func expectType(_ p: Parsed, _ want: ValueType, _ context: String) -> ParseFailure? {
        if let c = p.check { return c }
        let got = p.type
        guard got != want else { return nil }
        return ParseFailure(pos: p.start, message: "expected type \(documentedType(want)) in \(context), "
            + "got \(documentedType(got))")
    }
}
