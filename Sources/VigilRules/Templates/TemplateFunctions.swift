import VigilCore

/// A function callable from a template; it throws `TemplateError.function` with Go's wording.
public typealias TemplateFunction = @Sendable ([TemplateValue]) throws -> TemplateValue

/// The function table a template executes with: Go's built-ins plus whatever the caller adds.
public struct TemplateFunctions: Sendable {
    /// Functions by name.
    public var table: [String: TemplateFunction]

    /// Go's built-ins only (`and`, `or`, `not`, `len`, `index`, `printf`, `eq`, …).
    public static var builtins: TemplateFunctions { TemplateFunctions(table: builtinTable()) }

    public init(table: [String: TemplateFunction]) { self.table = table }

    /// Adds or replaces `name`.
    public mutating func register(_ name: String, _ fn: @escaping TemplateFunction) { table[name] = fn }

    /// The names Prometheus's alert templates may call, for parsing before the query function is known.
    public static var prometheusNames: Set<String> {
        Set(builtinTable().keys).union(PrometheusTemplateFunctions.names)
    }

    static func arity(_ name: String, _ args: [TemplateValue], _ n: Int) throws(TemplateError) {
        guard args.count == n else {
            throw TemplateError.function("wrong number of args for \(name): want \(n) got \(args.count)")
        }
    }

    static func string(_ v: TemplateValue) throws(TemplateError) -> String {
        switch v {
        case .string(let s): return s
        case .null: throw TemplateError.function("invalid value; expected string")
        default: throw TemplateError.function("wrong type for value; expected string; got \(v.goTypeName)")
        }
    }

    private static func builtinTable() -> [String: TemplateFunction] {
        var t: [String: TemplateFunction] = [:]
        t["and"] = { args in
            guard !args.isEmpty else { throw TemplateError.function("wrong number of args for and: want at least 1") }
            for a in args where !a.isTruthy { return a }
            return args.last!
        }
        t["or"] = { args in
            guard !args.isEmpty else { throw TemplateError.function("wrong number of args for or: want at least 1") }
            for a in args where a.isTruthy { return a }
            return args.last!
        }
        t["not"] = { args in
            try arity("not", args, 1)
            return .bool(!args[0].isTruthy)
        }
        t["len"] = { args in
            try arity("len", args, 1)
            switch args[0] {
            case .string(let s): return .int(s.utf8.count)
            case .list(let l): return .int(l.count)
            case .map(let m): return .int(m.count)
            default: throw TemplateError.function("len of type \(args[0].goTypeName)")
            }
        }
        t["index"] = { args in
            guard var cur = args.first else { throw TemplateError.function("wrong number of args for index") }
            for key in args.dropFirst() {
                switch (cur, key) {
                case (.map(let m), .string(let k)): cur = m[k] ?? .string("")
                case (.list(let l), .int(let i)):
                    guard i >= 0, i < l.count else { throw TemplateError.function("index out of range: \(i)") }
                    cur = l[i]
                case (.null, _): throw TemplateError.function("index of untyped nil")
                default: throw TemplateError.function("can't index item of type \(cur.goTypeName)")
                }
            }
            return cur
        }
        t["printf"] = { args in
            guard let f = args.first else { throw TemplateError.function("wrong number of args for printf") }
            return .string(GoFormat.sprintf(try string(f), Array(args.dropFirst())))
        }
        t["print"] = { args in .string(sprint(args)) }
        t["println"] = { args in .string(args.map(\.printed).joined(separator: " ") + "\n") }
        t["eq"] = { args in
            guard args.count >= 2 else { throw TemplateError.function("missing argument for comparison") }
            for other in args.dropFirst() where try compare(args[0], other) == 0 { return .bool(true) }
            return .bool(false)
        }
        t["ne"] = { args in
            try arity("ne", args, 2)
            return .bool(try compare(args[0], args[1]) != 0)
        }
        t["lt"] = { args in try ordered("lt", args) { $0 < 0 } }
        t["le"] = { args in try ordered("le", args) { $0 <= 0 } }
        t["gt"] = { args in try ordered("gt", args) { $0 > 0 } }
        t["ge"] = { args in try ordered("ge", args) { $0 >= 0 } }
        t["html"] = { args in .string(htmlEscape(sprint(args))) }
        t["urlquery"] = { args in .string(PrometheusTemplateFunctions.queryEscape(sprint(args))) }
        return t
    }

    /// `fmt.Sprint`: spaces between operands when neither side is a string.
    static func sprint(_ args: [TemplateValue]) -> String {
        var out = ""
        for (i, a) in args.enumerated() {
            if i > 0 {
                let prevString = if case .string = args[i - 1] { true } else { false }
                let curString = if case .string = a { true } else { false }
                if !prevString && !curString { out += " " }
            }
            out += a.printed
        }
        return out
    }

    static func htmlEscape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "'": out += "&#39;"
            case "\"": out += "&#34;"
            default: out.append(ch)
            }
        }
        return out
    }

    private static func ordered(_ name: String, _ args: [TemplateValue], _ ok: (Int) -> Bool)
        throws(TemplateError) -> TemplateValue
    {
        try arity(name, args, 2)
        if case .bool = args[0] { throw TemplateError.function("invalid type for comparison") }
        return .bool(ok(try compare(args[0], args[1])))
    }

    /// Go's `eq`/`lt` rules: operands of the same basic kind only.
    static func compare(_ a: TemplateValue, _ b: TemplateValue) throws(TemplateError) -> Int {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.float(let x), .float(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.string(let x), .string(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.bool(let x), .bool(let y)): return x == y ? 0 : 1
        case (.time(let x), .time(let y)), (.duration(let x), .duration(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.null, .null): return 0
        case (.null, _), (_, .null): return 1
        default: throw TemplateError.function("incompatible types for comparison")
        }
    }
}
