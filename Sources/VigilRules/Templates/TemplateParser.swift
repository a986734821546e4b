/// Builds `TemplateNode` trees from lexed items, as Go's `text/template/parse` does.
struct TemplateParser {
    let name: String
    let functionNames: Set<String>
    var items: [TemplateItem]
    var index = 0
    var definitions: [String: [TemplateNode]] = [:]
    /// Variables in scope, for "undefined variable" errors at parse time.
    var scopes: [[String]] = [["$"]]
    var rangeDepth = 0
    /// The last line of the template, where Go reports a missing `{{end}}`.
    var endLine = 1

    init(items: [TemplateItem], name: String, functionNames: Set<String>, predeclared: [String]) {
        self.items = items
        self.name = name
        self.functionNames = functionNames
        scopes = [["$"] + predeclared]
    }

    func error(_ line: Int, _ message: String) -> TemplateError {
        .parse(name: name, line: line, message: message)
    }

    /// Parses the whole template.
    mutating func parseRoot() throws(TemplateError) -> [TemplateNode] {
        let (nodes, term) = try parseList(context: nil)
        switch term {
        case .eof: return nodes
        case .end(let line): throw error(line, "unexpected {{end}}")
        case .elseBranch(_, let pos, _): throw error(pos.line, "unexpected {{else}}")
        }
    }

    private enum ListEnd {
        case eof
        case end(Int)
        case elseBranch([LexedToken], TemplatePos, String)
    }

    private mutating func parseList(context: String?) throws(TemplateError) -> ([TemplateNode], ListEnd) {
        var nodes: [TemplateNode] = []
        while index < items.count {
            let item = items[index]
            index += 1
            switch item {
            case .text(let s):
                nodes.append(.text(s))
            case .action(let tokens, let pos, let source):
                guard let first = tokens.first else { throw error(pos.line, "missing value for command") }
                if case .identifier(let kw) = first.token {
                    let rest = Array(tokens.dropFirst())
                    switch kw {
                    case "end":
                        guard context != nil else { throw error(pos.line, "unexpected {{end}}") }
                        guard rest.isEmpty else { throw error(pos.line, "unexpected \(describe(rest[0])) in end") }
                        return (nodes, .end(pos.line))
                    case "else":
                        guard context != nil else { throw error(pos.line, "unexpected {{else}}") }
                        return (nodes, .elseBranch(rest, pos, source))
                    case "if", "range", "with":
                        nodes.append(try parseControl(kw, rest, pos, source))
                        continue
                    case "define", "block":
                        try parseDefine(kw, rest, pos, source, into: &nodes)
                        continue
                    case "template":
                        nodes.append(try parseTemplateCall(rest, pos, source))
                        continue
                    case "break", "continue":
                        guard rangeDepth > 0 else { throw error(pos.line, "{{\(kw)}} outside {{range}}") }
                        nodes.append(kw == "break" ? .breakNode : .continueNode)
                        continue
                    default: break
                    }
                }
                let pipe = try parsePipeline(tokens, pos, source, context: "command", allowDeclare: true)
                nodes.append(.action(pipe))
            }
        }
        if context != nil { throw error(endLine, "unexpected EOF") }
        return (nodes, .eof)
    }


    private mutating func parseControl(_ kw: String, _ tokens: [LexedToken], _ pos: TemplatePos,
                                       _ source: String) throws(TemplateError) -> TemplateNode {
        scopes.append([])
        defer { scopes.removeLast() }
        let pipe = try parsePipeline(tokens, pos, source, context: kw, allowDeclare: true)
        if kw == "range" { rangeDepth += 1 }
        let (body, term) = try parseList(context: kw)
        if kw == "range" { rangeDepth -= 1 }
        guard case .elseBranch(let rest, let epos, let esrc) = term else { return make(kw, pipe, body, nil) }
        if let first = rest.first, case .identifier(let k) = first.token, k == kw, kw != "range" {
            // `else if` / `else with` chain: the nested control consumes the shared {{end}}.
            let nested = try parseControl(kw, Array(rest.dropFirst()), epos, esrc)
            return make(kw, pipe, body, [nested])
        }
        guard rest.isEmpty else { throw error(epos.line, "unexpected \(describe(rest[0])) in else") }
        let (elseBody, elseTerm) = try parseList(context: kw)
        guard case .end = elseTerm else { throw error(epos.line, "expected end; found {{else}}") }
        return make(kw, pipe, body, elseBody)
    }

    private func make(_ kw: String, _ pipe: TemplatePipeline, _ body: [TemplateNode],
                      _ elseList: [TemplateNode]?) -> TemplateNode {
        switch kw {
        case "if": .ifNode(pipe, body, elseList)
        case "range": .rangeNode(pipe, body, elseList)
        default: .withNode(pipe, body, elseList)
        }
    }

    private mutating func parseDefine(_ kw: String, _ tokens: [LexedToken], _ pos: TemplatePos, _ source: String,
                                      into nodes: inout [TemplateNode]) throws(TemplateError) {
        guard let first = tokens.first, case .string(let defName) = first.token else {
            throw error(pos.line, "missing name in \(kw)")
        }
        let saved = scopes
        scopes = [["$"]]
        let (body, term) = try parseList(context: kw)
        scopes = saved
        guard case .end = term else { throw error(pos.line, "unexpected {{else}} in \(kw)") }
        definitions[defName] = body
        if kw == "block" {
            let rest = Array(tokens.dropFirst())
            let pipe = rest.isEmpty ? nil : try parsePipeline(rest, pos, source, context: kw, allowDeclare: false)
            nodes.append(.template(defName, pipe, pos))
        }
    }

    private mutating func parseTemplateCall(_ tokens: [LexedToken], _ pos: TemplatePos,
                                            _ source: String) throws(TemplateError) -> TemplateNode {
        guard let first = tokens.first, case .string(let callee) = first.token else {
            throw error(pos.line, "missing name in template clause")
        }
        let rest = Array(tokens.dropFirst())
        let pipe = rest.isEmpty ? nil : try parsePipeline(rest, pos, source, context: "template", allowDeclare: false)
        return .template(callee, pipe, pos)
    }

    private func describe(_ t: LexedToken) -> String {
        switch t.token {
        case .identifier(let s): "<\(s)>"
        case .field(let s): "<.\(s)>"
        case .variable(let s): "<\(s)>"
        case .dot: "<.>"
        case .string(let s): "\"\(s)\""
        case .number(let s): "<\(s)>"
        case .char(let c): "<\(c)>"
        case .declare: "\":=\""
        case .assign: "\"=\""
        case .pipe: "\"|\""
        case .leftParen: "\"(\""
        case .rightParen: "\")\""
        case .comma: "\",\""
        }
    }

    private func isDeclared(_ v: String) -> Bool { scopes.contains { $0.contains(v) } }

    mutating func parsePipeline(_ tokens: [LexedToken], _ pos: TemplatePos, _ source: String, context: String,
                                allowDeclare: Bool) throws(TemplateError) -> TemplatePipeline {
        var t = tokens[...]
        var decls: [String] = []
        var isAssign = false
        // Declarations: `$x :=`, `$x =`, `$k, $v :=` (the two-variable form only in range).
        if allowDeclare, case .variable(let v1)? = t.first?.token {
            let afterOne = t.dropFirst()
            if let op = afterOne.first?.token, op == .declare || op == .assign {
                decls = [v1]
                isAssign = op == .assign
                t = afterOne.dropFirst()
            } else if afterOne.first?.token == .comma, case .variable(let v2)? = afterOne.dropFirst().first?.token,
                let op = afterOne.dropFirst(2).first?.token, op == .declare || op == .assign
            {
                guard context == "range" else { throw error(pos.line, "too many declarations in \(context)") }
                decls = [v1, v2]
                isAssign = op == .assign
                t = afterOne.dropFirst(3)
            }
        }
        if isAssign {
            for d in decls where !isDeclared(d) { throw error(pos.line, "undefined variable \"\(d)\"") }
        }
        var commands: [TemplateCommand] = []
        var current: [TemplateArg] = []
        var sources: [String] = []
        var cmdPos = t.first?.pos ?? pos
        while let tok = t.first {
            if tok.token == .pipe {
                guard !current.isEmpty else { throw error(tok.pos.line, "missing command") }
                commands.append(TemplateCommand(args: current, pos: cmdPos, source: sources.joined(separator: " ")))
                current = []
                sources = []
                t = t.dropFirst()
                cmdPos = t.first?.pos ?? pos
                continue
            }
            let (arg, source) = try parseOperand(&t, line: pos.line)
            current.append(arg)
            sources.append(source)
        }
        if !current.isEmpty {
            commands.append(TemplateCommand(args: current, pos: cmdPos, source: sources.joined(separator: " ")))
        }
        if commands.isEmpty { throw error(pos.line, "missing value for \(context)") }
        for (k, c) in commands.enumerated() where k > 0 {
            switch c.args[0] {
            case .literal, .null, .dot:
                throw error(pos.line, "non executable command in pipeline stage \(k + 1)")
            default: break
            }
        }
        if !isAssign {
            for d in decls { scopes[scopes.count - 1].append(d) }
        }
        return TemplatePipeline(declarations: decls, isAssignment: isAssign, commands: commands, pos: pos,
                                source: source)
    }

    private mutating func parseOperand(_ t: inout ArraySlice<LexedToken>, line: Int) throws(TemplateError)
        -> (TemplateArg, String)
    {
        let tok = t.first!
        t = t.dropFirst()
        var arg: TemplateArg
        var source = tok.raw
        switch tok.token {
        case .dot: arg = .dot
        case .field(let f): arg = .field([f])
        case .variable(let v):
            guard isDeclared(v) else { throw error(line, "undefined variable \"\(v)\"") }
            arg = .variable(v, [])
        case .string(let s): arg = .literal(.string(s))
        case .char(let c): arg = .literal(.int(c))
        case .number(let n): arg = .literal(try number(n, line: line))
        case .identifier(let id):
            switch id {
            case "true": arg = .literal(.bool(true))
            case "false": arg = .literal(.bool(false))
            case "nil": arg = .null
            default:
                guard functionNames.contains(id) else { throw error(line, "function \"\(id)\" not defined") }
                arg = .function(id)
            }
        case .leftParen:
            var depth = 1
            var inner: [LexedToken] = []
            while let n = t.first {
                t = t.dropFirst()
                if n.token == .leftParen { depth += 1 }
                if n.token == .rightParen {
                    depth -= 1
                    if depth == 0 { break }
                }
                inner.append(n)
            }
            guard depth == 0 else { throw error(line, "unclosed left paren") }
            source = "(" + inner.map(\.raw).joined(separator: " ") + ")"
            let pipe = try parsePipeline(inner, tok.pos, "", context: "parenthesized pipeline", allowDeclare: false)
            arg = .pipeline(pipe, [])
        case .rightParen: throw error(line, "unexpected right paren")
        default: throw error(line, "unexpected \(describe(tok)) in operand")
        }
        // Field chains glued to the operand: `.a.b`, `$x.a`, `(…).a`.
        while let n = t.first, !n.spaceBefore, case .field(let f) = n.token {
            t = t.dropFirst()
            source += n.raw
            switch arg {
            case .field(let fs): arg = .field(fs + [f])
            case .variable(let v, let fs): arg = .variable(v, fs + [f])
            case .pipeline(let p, let fs): arg = .pipeline(p, fs + [f])
            default: throw error(line, "unexpected . after term \(describe(tok))")
            }
        }
        return (arg, source)
    }

    private func number(_ s: String, line: Int) throws(TemplateError) -> TemplateValue {
        let lower = s.lowercased()
        let isHex = lower.hasPrefix("0x") || lower.hasPrefix("-0x") || lower.hasPrefix("+0x")
        if !isHex, !lower.contains("."), !lower.contains("e"), let i = Int(s) { return .int(i) }
        if isHex {
            let neg = lower.hasPrefix("-")
            let digits = lower.drop { $0 == "-" || $0 == "+" }.dropFirst(2)
            if let v = Int(digits, radix: 16) { return .int(neg ? -v : v) }
        }
        if let d = Double(s) {
            if d == d.rounded(), abs(d) < 1e18, !lower.contains("e"), !lower.contains(".") { return .int(Int(d)) }
            return .float(d)
        }
        throw error(line, "bad number syntax: \"\(s)\"")
    }
}
