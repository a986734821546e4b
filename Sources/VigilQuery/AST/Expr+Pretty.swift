import VigilCore
/// Multi-line formatting as Prometheus's `parser.Prettify` does it (`promql/parser/prettier.go`), used by
/// `/api/v1/format_query`: a node whose one-line form is longer than 100 bytes is split, children indented by two
/// spaces per level.
extension Expr {
    /// The expression formatted as Prometheus's `Prettify` prints it.
    public var pretty: String { pretty(level: 0) }

    private static let maxCharactersPerLine = 100

    private var needsSplit: Bool { description.utf8.count > Self.maxCharactersPerLine }

    private static func indent(_ level: Int) -> String { String(repeating: "  ", count: level) }

    func pretty(level: Int) -> String {
        let pad = Self.indent(level)
        switch self {
        case .aggregate(let a):
            guard needsSplit else { return pad + description }
            var s = pad + a.op.rawValue
            if a.without || !a.grouping.isEmpty {
                s += a.without ? " without (" : " by ("
                s += a.grouping.map { isLegacyName($0) ? $0 : GoString.quote($0) }.joined(separator: ", ") + ") "
            }
            s += "(\n"
            if let p = a.param { s += p.pretty(level: level + 1) + ",\n" }
            return s + a.expr.pretty(level: level + 1) + "\n" + pad + ")"
        case .binary(let b):
            guard needsSplit else { return pad + description }
            var op = b.op.rawValue
            if b.returnBool { op += " bool" }
            op += Self.matchingString(b.matching)
            return b.lhs.pretty(level: level + 1) + "\n" + pad + op + "\n" + b.rhs.pretty(level: level + 1)
        case .call(let c):
            guard needsSplit else { return pad + description }
            let args = c.args.map { $0.pretty(level: level + 1) }.joined(separator: ",\n")
            return pad + c.function.name + "(\n" + args + "\n" + pad + ")"
        case .paren(let e):
            guard needsSplit else { return pad + description }
            return pad + "(\n" + e.pretty(level: level + 1) + "\n" + pad + ")"
        case .stepInvariant(let e):
            return e.pretty(level: level)
        case .subquery(let sq):
            guard needsSplit else { return description }
            var suffix = ""
            Expr.subquery(SubqueryExpr(expr: .number(0), range: sq.range, step: sq.step, offset: sq.offset,
                                       at: sq.at)).write(to: &suffix)
            suffix.removeFirst(1)
            return sq.expr.pretty(level: level) + suffix
        case .unary(let op, let e):
            let child = e.pretty(level: level).drop { $0 == " " || $0 == "\n" || $0 == "\t" }
            return pad + op.rawValue + child
        case .vectorSelector, .matrixSelector, .number, .string:
            return pad + description
        }
    }

    /// ` on (a) group_left (b)` as Prometheus's `getMatchingStr` writes it.
    static func matchingString(_ m: VectorMatching?) -> String {
        guard let m, m.on || !m.labels.isEmpty else { return "" }
        var s = (m.on ? " on (" : " ignoring (") + m.labels.joined(separator: ", ") + ")"
        if m.cardinality == .manyToOne || m.cardinality == .oneToMany {
            s += (m.cardinality == .manyToOne ? " group_left (" : " group_right (")
                + m.include.joined(separator: ", ") + ")"
        }
        return s
    }
}
