/// Walks a parsed template, as Go's `text/template` `state` does.
struct TemplateExecutor {
    let template: Template
    let functions: TemplateFunctions
    var vars: [(String, TemplateValue)] = []
    var depth = 0

    init(template: Template, functions: TemplateFunctions) {
        self.template = template
        self.functions = functions
    }

    enum Flow { case normal, breakLoop, continueLoop }

    /// Go reports the failing command with a 0-based byte column.
    private func fail(_ cmd: TemplateCommand, _ message: String) -> TemplateError {
        .execution(name: template.name, line: cmd.pos.line, column: cmd.pos.column - 1, action: cmd.source,
                   message: message)
    }

    private func fail(_ pipe: TemplatePipeline, _ message: String) -> TemplateError {
        .execution(name: template.name, line: pipe.pos.line, column: pipe.pos.column - 1, action: pipe.source,
                   message: message)
    }

    mutating func walk(_ nodes: [TemplateNode], dot: TemplateValue, into out: inout String) throws(TemplateError)
        -> Flow
    {
        for node in nodes {
            switch node {
            case .text(let s):
                out += s
            case .action(let pipe):
                let v = try evalPipeline(pipe, dot: dot)
                if pipe.declarations.isEmpty { out += v.printed }
            case .ifNode(let pipe, let body, let elseBody), .withNode(let pipe, let body, let elseBody):
                let mark = vars.count
                let v = try evalPipeline(pipe, dot: dot)
                var flow = Flow.normal
                if v.isTruthy {
                    let isWith = if case .withNode = node { true } else { false }
                    flow = try walk(body, dot: isWith ? v : dot, into: &out)
                } else if let elseBody {
                    flow = try walk(elseBody, dot: dot, into: &out)
                }
                vars.removeSubrange(mark...)
                if flow != .normal { return flow }
            case .rangeNode(let pipe, let body, let elseBody):
                let mark = vars.count
                // Only a {{break}}/{{continue}} in the else branch reaches here: it belongs to an enclosing range.
                let flow = try walkRange(pipe, body, elseBody, dot: dot, into: &out)
                vars.removeSubrange(mark...)
                if flow != .normal { return flow }
            case .template(let callee, let pipe, let pos):
                guard let body = template.definitions[callee] else {
                    throw TemplateError.execution(name: template.name, line: pos.line, column: pos.column,
                                                  action: "template \"\(callee)\"",
                                                  message: "template \"\(callee)\" not defined")
                }
                depth += 1
                defer { depth -= 1 }
                guard depth < 100_000 else { throw TemplateError.function("exceeded maximum template depth") }
                var newDot = TemplateValue.null
                if let pipe { newDot = try evalPipeline(pipe, dot: dot) }
                var inner = TemplateExecutor(template: template, functions: functions)
                inner.depth = depth
                inner.vars = [("$", newDot)]
                _ = try inner.walk(body, dot: newDot, into: &out)
            case .breakNode:
                return .breakLoop
            case .continueNode:
                return .continueLoop
            }
        }
        return .normal
    }

    private mutating func walkRange(_ pipe: TemplatePipeline, _ body: [TemplateNode], _ elseBody: [TemplateNode]?,
                                    dot: TemplateValue, into out: inout String) throws(TemplateError) -> Flow {
        var rangePipe = pipe
        let decls = pipe.declarations
        rangePipe.declarations = []
        let v = try evalPipeline(rangePipe, dot: dot)
        var elements: [(TemplateValue, TemplateValue)] = []
        switch v {
        case .list(let l): elements = l.enumerated().map { (.int($0.offset), $0.element) }
        case .map(let m): elements = m.keys.sorted().map { (.string($0), m[$0]!) }
        case .int(let n): elements = (0..<max(n, 0)).map { (.int($0), .int($0)) }
        case .null: break
        default: throw fail(pipe, "range can't iterate over \(v.printed)")
        }
        if elements.isEmpty {
            if let elseBody { return try walk(elseBody, dot: dot, into: &out) }
            return .normal
        }
        let mark = vars.count
        for (key, elem) in elements {
            vars.removeSubrange(mark...)
            if decls.count == 1 {
                assign(decls[0], elem, declare: !pipe.isAssignment)
            } else if decls.count == 2 {
                assign(decls[0], key, declare: !pipe.isAssignment)
                assign(decls[1], elem, declare: !pipe.isAssignment)
            }
            let flow = try walk(body, dot: elem, into: &out)
            if flow == .breakLoop { break }
        }
        return .normal
    }

    private mutating func assign(_ name: String, _ value: TemplateValue, declare: Bool) {
        if !declare, let idx = vars.lastIndex(where: { $0.0 == name }) {
            vars[idx].1 = value
        } else {
            vars.append((name, value))
        }
    }

    mutating func evalPipeline(_ pipe: TemplatePipeline, dot: TemplateValue) throws(TemplateError) -> TemplateValue {
        var value: TemplateValue?
        for cmd in pipe.commands {
            value = try evalCommand(cmd, dot: dot, final: value)
        }
        let result = value ?? .null
        for d in pipe.declarations { assign(d, result, declare: !pipe.isAssignment) }
        return result
    }

    private mutating func evalCommand(_ cmd: TemplateCommand, dot: TemplateValue,
                                      final: TemplateValue?) throws(TemplateError) -> TemplateValue {
        let first = cmd.args[0]
        if case .function(let fname) = first {
            var args: [TemplateValue] = []
            for a in cmd.args.dropFirst() { args.append(try evalArg(a, cmd: cmd, dot: dot)) }
            if let final { args.append(final) }
            return try call(fname, args, cmd: cmd)
        }
        guard cmd.args.count == 1, final == nil else {
            throw fail(cmd, "can't give argument to non-function \(describe(first))")
        }
        return try evalArg(first, cmd: cmd, dot: dot)
    }

    private func describe(_ a: TemplateArg) -> String {
        switch a {
        case .dot: "."
        case .null: "nil"
        case .literal(let v): v.printed
        case .field(let fs): "." + fs.joined(separator: ".")
        case .variable(let v, let fs): ([v] + fs).joined(separator: ".")
        case .function(let f): f
        case .pipeline: "(…)"
        }
    }

    private mutating func call(_ fname: String, _ args: [TemplateValue], cmd: TemplateCommand)
        throws(TemplateError) -> TemplateValue
    {
        // `and` and `or` are special in Go (short-circuit, return an operand), but evaluating every operand first
        // only differs when an operand fails.
        guard let fn = functions.table[fname] else { throw fail(cmd, "\"\(fname)\" is not a defined function") }
        do {
            return try fn(args)
        } catch let e as TemplateError {
            if case .function(let m) = e { throw fail(cmd, "error calling \(fname): \(m)") }
            throw e
        } catch {
            throw fail(cmd, "error calling \(fname): \(error)")
        }
    }

    private mutating func evalArg(_ a: TemplateArg, cmd: TemplateCommand, dot: TemplateValue)
        throws(TemplateError) -> TemplateValue
    {
        switch a {
        case .dot: return dot
        case .null: return .null
        case .literal(let v): return v
        case .field(let fs): return try fields(dot, fs, cmd: cmd)
        case .variable(let name, let fs):
            guard let v = vars.last(where: { $0.0 == name })?.1 else {
                throw fail(cmd, "undefined variable: \(name)")
            }
            return try fields(v, fs, cmd: cmd)
        case .function(let f): return try call(f, [], cmd: cmd)
        case .pipeline(let p, let fs):
            let mark = vars.count
            let v = try evalPipeline(p, dot: dot)
            vars.removeSubrange(mark...)
            return try fields(v, fs, cmd: cmd)
        }
    }

    private func fields(_ v: TemplateValue, _ names: [String], cmd: TemplateCommand) throws(TemplateError)
        -> TemplateValue
    {
        var cur = v
        for (k, n) in names.enumerated() {
            switch cur {
            case .map(let m):
                cur = m[n] ?? .null
            case .null:
                if k == 0 { throw fail(cmd, "nil data; no entry for key \"\(n)\"") }
                throw fail(cmd, "nil pointer evaluating interface {}.\(n)")
            default:
                throw fail(cmd, "can't evaluate field \(n) in type \(cur.goTypeName)")
            }
        }
        return cur
    }
}
