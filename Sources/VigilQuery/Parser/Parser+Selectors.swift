import Foundation
import VigilCore

extension PromQLParser {
    // MARK: - Vector selectors

    /// `name`, `name{…}` or `{…}`; the current token is the one after the name (or the `{`).
    mutating func parseVectorSelector(name: String?, start: Int) throws(ParseFailure) -> Parsed {
        var matchers: [LabelMatcher] = []
        if tok.kind == .leftBrace {
            i += 1
            matchers = try parseLabelMatchers()
        }
        if let name {
            if let m = try? LabelMatcher(.equal, LabelName.metricName, name) { matchers.append(m) }
        }
        let vs = VectorSelector(name: name, matchers: matchers,
                                position: PositionRange(start: start, end: tokens[i - 1].end))
        return Parsed(expr: .vectorSelector(vs), start: start, check: checkSelector(vs, start: start))
    }

    /// The selector checks of Prometheus's `checkAST`.
    func checkSelector(_ vs: VectorSelector, start: Int) -> ParseFailure? {
        if let name = vs.name {
            for m in vs.matchers.dropLast() where m.name == LabelName.metricName {
                return ParseFailure(pos: start, message: "metric name must not be set twice: "
                    + "\(GoString.quote(name)) or \(GoString.quote(m.value))")
            }
            return nil
        }
        if vs.matchers.contains(where: { !$0.matchesEmpty }) { return nil }
        return ParseFailure(pos: start, message: "vector selector must contain at least one non-empty matcher")
    }

    /// The matchers after `{` up to and including `}`.
    mutating func parseLabelMatchers() throws(ParseFailure) -> [LabelMatcher] {
        var out: [LabelMatcher] = []
        if tok.kind == .rightBrace {
            i += 1
            return out
        }
        while true {
            let nameToken = tok
            let name: String
            switch nameToken.kind {
            case .identifier: name = text(nameToken)
            case .string: name = unquote(nameToken)
            default: throw unexpected("label matching", "identifier or \"}\"")
            }
            i += 1
            if let kind = matchKind(tok.kind) {
                i += 1
                guard tok.kind == .string else { throw unexpected("label matching", "string") }
                let value = unquote(tok)
                i += 1
                do {
                    out.append(try LabelMatcher(kind, name, value))
                } catch {
                    record(nameToken.start, "error parsing regexp: \(goRegexMessage(error.message))")
                }
            } else if nameToken.kind == .string {
                if let m = try? LabelMatcher(.equal, LabelName.metricName, name) { out.append(m) }
            } else {
                throw unexpected("label matching", "label matching operator")
            }
            if tok.kind == .comma {
                i += 1
                if tok.kind == .rightBrace {
                    i += 1
                    return out
                }
                continue
            }
            if tok.kind == .rightBrace {
                i += 1
                return out
            }
            throw unexpected("label matching", "\",\" or \"}\"")
        }
    }

    func matchKind(_ k: TokenKind) -> LabelMatcher.Kind? {
        switch k {
        case .assign: .equal
        case .neq: .notEqual
        case .eqlRegex: .regexMatch
        case .neqRegex: .regexNoMatch
        default: nil
        }
    }

    // MARK: - Postfix: ranges, subqueries, offset, @

    mutating func parsePostfix(_ base: Parsed) throws(ParseFailure) -> Parsed {
        var p = base
        while true {
            if tok.kind == .leftBracket {
                p = try parseRangeOrSubquery(p)
            } else if isKeyword(.offset) {
                i += 1
                try parseOffset(&p)
            } else if tok.kind == .at {
                i += 1
                try parseAt(&p)
            } else {
                return p
            }
        }
    }

    mutating func parseRangeOrSubquery(_ p: Parsed) throws(ParseFailure) -> Parsed {
        let bracketPos = tok.start
        i += 1
        guard tok.kind == .number || tok.kind == .duration else {
            throw unexpected("subquery or range selector", "number, duration, step(), or range()")
        }
        // Durations are read (and their errors recorded) as soon as yacc would reduce them.
        let range = parseDurationToken(tok, requirePositive: true)
        i += 1
        if tok.kind == .rightBracket {
            i += 1
            guard case .vectorSelector(let vs) = p.expr else {
                record(bracketPos, "ranges only allowed for vector selectors")
                return p
            }
            if vs.offset != 0 {
                record(bracketPos, "no offset modifiers allowed before range")
            } else if vs.at != nil {
                record(bracketPos, "no @ modifiers allowed before range")
            }
            let ms = MatrixSelector(selector: vs, range: range,
                                    position: PositionRange(start: p.start, end: tokens[i - 1].end))
            return Parsed(expr: .matrixSelector(ms), start: p.start, check: p.check)
        }
        guard tok.kind == .colon else { throw unexpected("subquery or range", "\":\" or \"]\"") }
        i += 1
        var step: Int64 = 0
        if tok.kind == .number || tok.kind == .duration {
            step = parseDurationToken(tok, requirePositive: true)
            i += 1
            guard tok.kind == .rightBracket else { throw unexpected("subquery selector", "\"]\"") }
        } else if tok.kind != .rightBracket {
            throw unexpected("subquery selector", "number, duration, step(), range(), or \"]\"")
        }
        i += 1
        var check = p.check
        if check == nil && p.type != .vector {
            check = ParseFailure(pos: p.start, message: "subquery is only allowed on instant vector, "
                + "got \(p.type.rawValue) instead")
        }
        let sq = SubqueryExpr(expr: p.expr, range: range, step: step,
                              position: PositionRange(start: p.start, end: tokens[i - 1].end))
        return Parsed(expr: .subquery(sq), start: p.start, check: check)
    }

    /// `offset [-]duration` after an instant selector, range selector or subquery.
    mutating func parseOffset(_ p: inout Parsed) throws(ParseFailure) {
        var negative = false
        if tok.kind == .sub || tok.kind == .add {
            negative = tok.kind == .sub
            i += 1
        }
        guard tok.kind == .number || tok.kind == .duration else {
            throw unexpected("offset", "number, duration, step(), or range()")
        }
        var offset = parseDurationToken(tok, requirePositive: false)
        i += 1
        if negative { offset = -offset }
        if offset == Self.durationOutOfRange { return }
        switch p.expr {
        case .vectorSelector(var vs):
            if vs.offset != 0 { return record(p.start, "offset may not be set multiple times") }
            vs.offset = offset
            vs.position.end = tokens[i - 1].end
            p.expr = .vectorSelector(vs)
        case .matrixSelector(var ms):
            if ms.selector.offset != 0 { return record(p.start, "offset may not be set multiple times") }
            ms.selector.offset = offset
            ms.position.end = tokens[i - 1].end
            p.expr = .matrixSelector(ms)
        case .subquery(var sq):
            if sq.offset != 0 { return record(p.start, "offset may not be set multiple times") }
            sq.offset = offset
            sq.position.end = tokens[i - 1].end
            p.expr = .subquery(sq)
        default:
            record(p.start, "offset modifier must be preceded by an instant vector selector or range vector "
                + "selector or a subquery")
        }
    }

    /// `@ <timestamp>`, `@ start()` or `@ end()`.
    mutating func parseAt(_ p: inout Parsed) throws(ParseFailure) {
        let at: AtModifier
        if tok.kind == .identifier, tok.keyword == nil, ["start", "end"].contains(text(tok)) {
            let isStart = text(tok) == "start"
            i += 1
            guard tok.kind == .leftParen else { throw unexpected("@", "timestamp") }
            i += 1
            guard tok.kind == .rightParen else { throw unexpected("@", "timestamp") }
            i += 1
            at = isStart ? .start : .end
        } else {
            var sign = 1.0
            if tok.kind == .sub || tok.kind == .add {
                if tok.kind == .sub { sign = -1 }
                i += 1
            }
            guard tok.kind == .number || tok.kind == .duration else { throw unexpected("@", "timestamp") }
            let ts = sign * (tok.kind == .number ? parseNumber(tok)
                : Double(parseDurationToken(tok, requirePositive: false)) / 1000)
            i += 1
            if !ts.isFinite || ts >= Double(Int64.max) || ts <= Double(Int64.min) {
                let shown = ts.isNaN ? "NaN" : ts.isInfinite ? (ts > 0 ? "+Inf" : "-Inf")
                    : String(format: "%f", ts)
                return record(p.start, "timestamp out of bounds for @ modifier: \(shown)")
            }
            at = .timestamp(Int64((ts * 1000).rounded()))
        }
        let message = "@ modifier must be preceded by an instant vector selector or range vector selector or a "
            + "subquery"
        switch p.expr {
        case .vectorSelector(var vs):
            if vs.at != nil { return record(p.start, "@ <timestamp> may not be set multiple times") }
            vs.at = at
            vs.position.end = tokens[i - 1].end
            p.expr = .vectorSelector(vs)
        case .matrixSelector(var ms):
            if ms.selector.at != nil { return record(p.start, "@ <timestamp> may not be set multiple times") }
            ms.selector.at = at
            ms.position.end = tokens[i - 1].end
            p.expr = .matrixSelector(ms)
        case .subquery(var sq):
            if sq.at != nil { return record(p.start, "@ <timestamp> may not be set multiple times") }
            sq.at = at
            sq.position.end = tokens[i - 1].end
            p.expr = .subquery(sq)
        default:
            record(p.start, message)
        }
    }

    // MARK: - Literals

    /// Marks a duration that was reported as out of range.
    static let durationOutOfRange = Int64.min

    /// A duration token (`5m`, `1h30m`) or a number of seconds, in milliseconds.
    mutating func parseDurationToken(_ t: Token, requirePositive: Bool) -> Int64 {
        if t.kind == .number {
            let seconds = parseNumber(t)
            // Prometheus keeps durations in nanoseconds: ±2^63 ns is the limit.
            guard seconds.isFinite, abs(seconds) <= 9_223_372_036.854775807 else {
                record(t.start, "duration out of range")
                return Self.durationOutOfRange
            }
            let ms = Int64((seconds * 1000).rounded())
            if requirePositive && ms <= 0 { record(t.start, "duration must be greater than 0") }
            return ms
        }
        do {
            let ms = try PromDuration.parse(text(t))
            if ms == 0 { record(t.start, "duration must be greater than 0") }
            return ms
        } catch {
            record(t.start, error.description)
            return 0
        }
    }

    /// A number token as Prometheus reads it: `strconv.ParseInt(s, 0, 64)`, then `strconv.ParseFloat`.
    mutating func parseNumber(_ t: Token) -> Double {
        let s = text(t)
        if let v = NumberLiteral.parse(s) {
            if v.isInfinite && !s.lowercased().contains("inf") {
                record(t.start,
                       "error parsing number: strconv.ParseFloat: parsing \(GoString.quote(s)): value out of range")
            }
            return v
        }
        record(t.start, "error parsing number: strconv.ParseFloat: parsing \(GoString.quote(s)): invalid syntax")
        return 0
    }

    /// The value of a quoted string token (Go escapes; raw backquoted strings as they are).
    func unquote(_ t: Token) -> String {
        let q = bytes[t.start]
        let body = bytes[(t.start + 1)..<(t.end - 1)]
        if q == UInt8(ascii: "`") || !body.contains(UInt8(ascii: "\\")) {
            return String(decoding: body, as: UTF8.self)
        }
        return StringLiteral.unescape(body)
    }
}

/// RE2's error text (`missing ]: [)$`) in Go `regexp/syntax` wording (`missing closing ]: `[)$``).
func goRegexMessage(_ re2: String) -> String {
    let words: [(String, String)] = [
        ("missing ]", "missing closing ]"), ("missing )", "missing closing )"), ("unexpected )", "unexpected )"),
        ("invalid escape sequence", "invalid escape sequence"),
        ("bad repetition operator", "invalid nested repetition operator"),
        ("missing argument to repetition operator", "missing argument to repetition operator"),
        ("invalid repetition size", "invalid repeat count"),
        ("invalid character class range", "invalid character class range"),
        ("invalid character class", "invalid character class"),
        ("trailing \\", "trailing backslash at end of expression"),
        ("invalid perl operator", "invalid or unsupported Perl syntax"), ("invalid UTF-8", "invalid UTF-8"),
        ("invalid named capture group", "invalid named capture"),
    ]
    for (re2Text, goText) in words where re2.hasPrefix(re2Text + ": ") {
        return goText + ": `" + re2.dropFirst(re2Text.count + 2) + "`"
    }
    return re2
}
