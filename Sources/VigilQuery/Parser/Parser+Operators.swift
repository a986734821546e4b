import VigilCore

/// The modifiers written between a binary operator and its right operand.
struct BinaryModifiers {
    var returnBool = false
    /// Set when `on(...)` or `ignoring(...)` was written.
    var on: Bool?
    var labels: [String] = []
    var cardinality: VectorMatching.Cardinality = .oneToOne
    var include: [String] = []
}

extension PromQLParser {
    // MARK: - Binary operators

    /// `[bool] [on|ignoring (labels) [group_left|group_right [(labels)]]]`
    mutating func parseBinaryModifiers(_ m: inout BinaryModifiers) throws(ParseFailure) {
        if isKeyword(.bool) {
            m.returnBool = true
            i += 1
        }
        guard isKeyword(.on) || isKeyword(.ignoring) else { return }
        m.on = isKeyword(.on)
        i += 1
        m.labels = try parseGroupingLabels()
        guard isKeyword(.groupLeft) || isKeyword(.groupRight) else { return }
        m.cardinality = isKeyword(.groupLeft) ? .manyToOne : .oneToMany
        i += 1
        if tok.kind == .leftParen {
            m.include = try parseGroupingLabels()
        } else if !startsExpression(tok) {
            throw unexpected("grouping opts", "\"(\"")
        }
    }

    /// Builds a binary expression and the checks of Prometheus's `checkAST` for it.
    func makeBinary(op: BinaryOp, opPos: Int, lhs: Parsed, rhs: Parsed, modifiers m: BinaryModifiers) -> Parsed {
        let position = PositionRange(start: lhs.start, end: tokens[i - 1].end)
        let lt = lhs.type, rt = rhs.type
        var cardinality = m.cardinality
        if op.isSetOperator && cardinality == .oneToOne { cardinality = .manyToMany }
        var check = lhs.check ?? rhs.check
        func add(_ pos: Int, _ message: String) {
            if check == nil { check = ParseFailure(pos: pos, message: message) }
        }
        if m.returnBool && !op.isComparison {
            add(opPos, "bool modifier can only be used on comparison operators")
        }
        if op.isComparison && !m.returnBool && lt == .scalar && rt == .scalar {
            add(opPos, "comparisons between scalars must use BOOL modifier")
        }
        if m.on == true, let l = m.labels.first(where: { m.include.contains($0) }) {
            add(opPos, "label \(GoString.quote(l)) must not occur in ON and GROUP clause at once")
        }
        if lt != .scalar && lt != .vector {
            add(lhs.start, "binary expression must contain only scalar and instant vector types")
        }
        if rt != .scalar && rt != .vector {
            add(rhs.start, "binary expression must contain only scalar and instant vector types")
        }
        var matching: VectorMatching?
        if lt != .vector || rt != .vector {
            if !m.labels.isEmpty { add(lhs.start, "vector matching only allowed between instant vectors") }
        } else {
            if op.isSetOperator {
                if cardinality == .oneToMany || cardinality == .manyToOne {
                    add(lhs.start, "no grouping allowed for \(GoString.quote(op.rawValue)) operation")
                }
                if cardinality != .manyToMany { add(lhs.start, "set operations must always be many-to-many") }
            }
            matching = VectorMatching(cardinality: cardinality, on: m.on ?? false, labels: m.labels,
                                      include: m.include)
        }
        if (lt == .scalar || rt == .scalar) && op.isSetOperator {
            add(lhs.start, "set operator \(GoString.quote(op.rawValue)) not allowed in binary scalar expression")
        }
        let expr = BinaryExpr(op: op, lhs: lhs.expr, rhs: rhs.expr, returnBool: m.returnBool, matching: matching,
                              position: position)
        return Parsed(expr: .binary(expr), start: lhs.start, check: check,
                      type: lt == .scalar && rt == .scalar ? .scalar : .vector)
    }

    /// `( label, … )` for `by`, `without`, `on`, `ignoring` and `group_left`/`group_right`; trailing comma allowed.
    mutating func parseGroupingLabels() throws(ParseFailure) -> [String] {
        guard tok.kind == .leftParen else { throw unexpected("grouping opts", "\"(\"") }
        i += 1
        var labels: [String] = []
        if tok.kind == .rightParen {
            i += 1
            return labels
        }
        while true {
            switch tok.kind {
            case .identifier where tok.keyword != .without:
                // Every keyword but `without` is a label name here, as in Prometheus's `maybe_label`.
                labels.append(text(tok))
            case .string:
                let s = unquote(tok)
                if s.isEmpty { record(tok.start, "invalid label name for grouping: \(GoString.quote(s))") }
                labels.append(s)
            default:
                throw unexpected("grouping opts", "label")
            }
            i += 1
            if tok.kind == .comma {
                i += 1
                if tok.kind == .rightParen {
                    i += 1
                    return labels
                }
                continue
            }
            if tok.kind == .rightParen {
                i += 1
                return labels
            }
            throw unexpected("grouping opts", "\",\" or \")\"")
        }
    }

    /// True when `t` can begin an expression (what yacc's lookahead allows after a comma or `group_left`).
    func startsExpression(_ t: Token) -> Bool {
        switch t.kind {
        case .number, .duration, .string, .leftParen, .leftBrace, .metricIdentifier, .add, .sub: return true
        case .identifier:
            guard let kw = t.keyword else { return true }
            if case .aggregator = kw { return true }
            return Self.metricNameKeywords.contains(kw)
        default: return false
        }
    }

    // MARK: - Calls and aggregations

    /// `( expr, … )`; the current token is `(`.
    mutating func parseCallArgs() throws(ParseFailure) -> [Parsed] {
        i += 1
        var args: [Parsed] = []
        if tok.kind == .rightParen {
            i += 1
            return args
        }
        while true {
            args.append(try parseExpr(minPrecedence: 0))
            if tok.kind == .comma {
                let commaPos = tok.start
                i += 1
                if tok.kind == .error { throw unexpected() }
                if !startsExpression(tok) {
                    record(commaPos, "trailing commas not allowed in function call args")
                    guard tok.kind == .rightParen else { throw unexpected() }
                    i += 1
                    return args
                }
                continue
            }
            guard tok.kind == .rightParen else { throw unexpected() }
            i += 1
            return args
        }
    }

    /// `name(args)`; the current token is `(`.
    mutating func parseCall(nameToken: Token) throws(ParseFailure) -> Parsed {
        let name = text(nameToken)
        var args = try parseCallArgs()
        guard let fn = FunctionTable.lookup(name) else {
            record(nameToken.start, "unknown function with name \(GoString.quote(name))")
            let placeholder = FunctionSignature(name: name, argTypes: [], returnType: .vector)
            return Parsed(expr: .call(Call(function: placeholder, args: args.map(\.expr))), start: nameToken.start,
                          check: nil)
        }
        let call = Call(function: fn, args: args.map(\.expr),
                        position: PositionRange(start: nameToken.start, end: tokens[i - 1].end))
        let countError = checkCallCount(fn, args, start: nameToken.start)
        let infoError = name == "info" ? checkInfoSelector(&args, start: nameToken.start) : nil
        let check = countError ?? infoError ?? checkCallArgs(fn, args)
        return Parsed(expr: .call(call), start: nameToken.start, check: check)
    }

    /// `info`'s second argument must be a label-only selector, which may match the empty string.
    func checkInfoSelector(_ args: inout [Parsed], start: Int) -> ParseFailure? {
        guard args.count > 1 else { return nil }
        guard args[1].type == .vector else {
            return ParseFailure(pos: start, message: "expected type instant vector in call to function \"info\", "
                + "got \(documentedType(args[1].type))")
        }
        guard case .vectorSelector(let vs) = args[1].expr else { return nil }
        if vs.name != nil {
            return ParseFailure(pos: args[1].start, message: "expected label selectors only, got vector selector "
                + "instead")
        }
        args[1].check = nil
        return nil
    }

    /// The argument count, as Prometheus's `checkAST` checks a call.
    func checkCallCount(_ fn: FunctionSignature, _ args: [Parsed], start: Int) -> ParseFailure? {
        let nargs = fn.argTypes.count
        let q = GoString.quote(fn.name)
        if fn.variadic == 0 {
            if nargs != args.count {
                return ParseFailure(pos: start, message: "expected \(nargs) argument(s) in call to \(q), "
                    + "got \(args.count)")
            }
        } else {
            let na = nargs - 1
            if na > args.count {
                return ParseFailure(pos: start, message: "expected at least \(na) argument(s) in call to \(q), "
                    + "got \(args.count)")
            }
            if fn.variadic > 0 && na + fn.variadic < args.count {
                return ParseFailure(pos: start, message: "expected at most \(na + fn.variadic) argument(s) in "
                    + "call to \(q), got \(args.count)")
            }
        }
        return nil
    }

    /// The argument types, each after the argument's own checks.
    func checkCallArgs(_ fn: FunctionSignature, _ args: [Parsed]) -> ParseFailure? {
        let nargs = fn.argTypes.count
        let q = GoString.quote(fn.name)
        for (k, arg) in args.enumerated() {
            var idx = k
            if idx >= nargs {
                if fn.variadic == 0 { break }
                idx = nargs - 1
            }
            if let f = expectType(arg, fn.argTypes[idx], "call to function \(q)") { return f }
        }
        return nil
    }

    /// `op [by|without (labels)] ([param,] expr) [by|without (labels)]`; the current token is the operator.
    mutating func parseAggregation(_ op: AggregateOp) throws(ParseFailure) -> Parsed {
        let start = tok.start
        i += 1
        var grouping: [String] = []
        var without = false
        var hasModifier = false
        if isKeyword(.by) || isKeyword(.without) {
            without = isKeyword(.without)
            i += 1
            grouping = try parseGroupingLabels()
            hasModifier = true
        }
        guard tok.kind == .leftParen else { throw unexpected("aggregation") }
        aggregationDepth += 1
        let args = try parseCallArgs()
        aggregationDepth -= 1
        if !hasModifier && (isKeyword(.by) || isKeyword(.without)) {
            without = isKeyword(.without)
            i += 1
            grouping = try parseGroupingLabels()
        }

        guard !args.isEmpty else {
            record(start, "no arguments for aggregate expression provided")
            return Parsed(expr: .aggregate(AggregateExpr(op: op, expr: .number(0))), start: start, check: nil)
        }
        let desired = op.takesParameter ? 2 : 1
        guard args.count == desired else {
            record(start, "wrong number of arguments for aggregate expression provided, expected \(desired), "
                + "got \(args.count)")
            return Parsed(expr: .aggregate(AggregateExpr(op: op, expr: .number(0))), start: start, check: nil)
        }
        let inner = args[desired - 1]
        let param = op.takesParameter ? args[0] : nil
        var check = expectType(inner, .vector, "aggregation expression")
        if check == nil, let param {
            check = expectType(param, op == .countValues ? .string : .scalar, "aggregation parameter")
        }
        let agg = AggregateExpr(op: op, expr: inner.expr, param: param?.expr, grouping: grouping, without: without,
                                position: PositionRange(start: start, end: tokens[i - 1].end))
        return Parsed(expr: .aggregate(agg), start: start, check: check)
    }
}
