import VigilCore

/// Prints expressions in Prometheus's canonical single-line form (`promql/parser/printer.go`, `String()`).
extension Expr: CustomStringConvertible {
    /// The expression as Prometheus's `String()` prints it, e.g. `sum by (job) (rate(x[5m]))`.
    public var description: String {
        var out = ""
        write(to: &out)
        return out
    }

    func write(to out: inout String) {
        switch self {
        case .number(let v):
            out += v.isNaN ? "NaN" : GoFloat.format(v)
        case .string(let s):
            out += GoString.quote(s)
        case .vectorSelector(let vs):
            vs.write(to: &out, withModifiers: true)
        case .matrixSelector(let ms):
            ms.selector.write(to: &out, withModifiers: false)
            out += "[" + PromDuration.format(ms.range) + "]"
            writeModifiers(at: ms.selector.at, offset: ms.selector.offset, to: &out)
        case .subquery(let sq):
            sq.expr.write(to: &out)
            out += "[" + PromDuration.format(sq.range) + ":"
            if sq.step != 0 { out += PromDuration.format(sq.step) }
            out += "]"
            writeModifiers(at: sq.at, offset: sq.offset, to: &out)
        case .call(let c):
            out += c.function.name + "("
            for (k, arg) in c.args.enumerated() {
                if k > 0 { out += ", " }
                arg.write(to: &out)
            }
            out += ")"
        case .aggregate(let a):
            out += a.op.rawValue
            if a.without || !a.grouping.isEmpty {
                out += a.without ? " without (" : " by ("
                for (k, l) in a.grouping.enumerated() {
                    if k > 0 { out += ", " }
                    out += isLegacyName(l) ? l : GoString.quote(l)
                }
                out += ") "
            }
            out += "("
            if let p = a.param {
                p.write(to: &out)
                out += ", "
            }
            a.expr.write(to: &out)
            out += ")"
        case .binary(let b):
            b.lhs.write(to: &out)
            out += " " + b.op.rawValue
            if b.returnBool { out += " bool" }
            if let m = b.matching, m.on || !m.labels.isEmpty {
                out += m.on ? " on (" : " ignoring ("
                out += m.labels.joined(separator: ", ") + ")"
                if m.cardinality == .manyToOne || m.cardinality == .oneToMany {
                    out += m.cardinality == .manyToOne ? " group_left (" : " group_right ("
                    out += m.include.joined(separator: ", ") + ")"
                }
            }
            out += " "
            b.rhs.write(to: &out)
        case .unary(let op, let e):
            out += op.rawValue
            e.write(to: &out)
        case .paren(let e):
            out += "("
            e.write(to: &out)
            out += ")"
        case .stepInvariant(let e):
            e.write(to: &out)
        }
    }
}

/// ` @ t offset d` in Prometheus's order (`@` first).
func writeModifiers(at: AtModifier?, offset: Int64, to out: inout String) {
    switch at {
    case .timestamp(let ms)?: out += " @ " + formatAtTimestamp(ms)
    case .start?: out += " @ start()"
    case .end?: out += " @ end()"
    case nil: break
    }
    if offset > 0 {
        out += " offset " + PromDuration.format(offset)
    } else if offset < 0 {
        out += " offset -" + PromDuration.format(-offset)
    }
}

/// Go's `%.3f` of milliseconds as seconds.
func formatAtTimestamp(_ ms: Int64) -> String {
    let negative = ms < 0
    let m = ms.magnitude
    let frac = String(m % 1000)
    return (negative ? "-" : "") + "\(m / 1000)." + String(repeating: "0", count: 3 - frac.count) + frac
}

/// True for names matching `[a-zA-Z_:][a-zA-Z0-9_:]*` (Prometheus's legacy metric-name rule).
func isLegacyName(_ s: String) -> Bool {
    guard !s.isEmpty else { return false }
    for (k, c) in s.utf8.enumerated() {
        if PromQLByte.isAlpha(c) || c == UInt8(ascii: ":") || (k > 0 && PromQLByte.isDigit(c)) { continue }
        return false
    }
    return true
}

/// True for label names matching `[a-zA-Z_][a-zA-Z0-9_]*`, which print without quotes.
func isLegacyLabelName(_ s: String) -> Bool {
    guard !s.isEmpty else { return false }
    for (k, c) in s.utf8.enumerated() {
        if PromQLByte.isAlpha(c) || (k > 0 && PromQLByte.isDigit(c)) { continue }
        return false
    }
    return true
}

extension VectorSelector {
    func write(to out: inout String, withModifiers: Bool) {
        var parts: [String] = []
        for m in matchers {
            if m.name == LabelName.metricName, m.kind == .equal, m.value == name, !m.value.isEmpty { continue }
            let n = isLegacyLabelName(m.name) ? m.name : GoString.quote(m.name)
            parts.append(n + m.kind.rawValue + GoString.quote(m.value))
        }
        out += name ?? ""
        if !parts.isEmpty {
            parts.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            out += "{" + parts.joined(separator: ",") + "}"
        }
        if withModifiers { writeModifiers(at: at, offset: offset, to: &out) }
    }
}
