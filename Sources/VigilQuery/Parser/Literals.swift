/// Number literals as Prometheus reads them: Go's `strconv.ParseInt(s, 0, 64)` first, then `ParseFloat`.
enum NumberLiteral {
    /// Parses decimal, hex (`0x1f`), octal (`017`), float (`1.5e3`, `.5`, `5.`), `Inf` and `NaN` text.
    static func parse(_ s: String) -> Double? {
        let b = Array(s.utf8)
        guard !b.isEmpty else { return nil }
        if let v = parseInt(b) { return Double(v) }
        var lower = s.lowercased()
        if lower.hasPrefix("+") { lower.removeFirst() }
        switch lower {
        case "inf", "infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: break
        }
        if b.contains(UInt8(ascii: "_")) { return nil }
        for c in b {
            let ok = PromQLByte.isHexDigit(c) || c == UInt8(ascii: ".") || c == UInt8(ascii: "+")
                || c == UInt8(ascii: "-")
                || c == UInt8(ascii: "x") || c == UInt8(ascii: "X") || c == UInt8(ascii: "p") || c == UInt8(ascii: "P")
            if !ok { return nil }
        }
        let isHex = lower.hasPrefix("0x") || lower.hasPrefix("-0x")
        if isHex && !lower.contains("p") { return nil }
        return Double(s)
    }

    /// Go's `ParseInt(s, 0, 64)`: optional sign, `0x`/`0o`/`0b`/leading-`0` bases, underscores only after a prefix.
    private static func parseInt(_ b: [UInt8]) -> Int64? {
        var i = 0
        var negative = false
        if b[0] == UInt8(ascii: "+") || b[0] == UInt8(ascii: "-") {
            negative = b[0] == UInt8(ascii: "-")
            i = 1
        }
        guard i < b.count else { return nil }
        var base: UInt64 = 10
        var prefixed = false
        if b[i] == UInt8(ascii: "0"), i + 1 < b.count {
            switch b[i + 1] {
            case UInt8(ascii: "x"), UInt8(ascii: "X"): base = 16; i += 2; prefixed = true
            case UInt8(ascii: "o"), UInt8(ascii: "O"): base = 8; i += 2; prefixed = true
            case UInt8(ascii: "b"), UInt8(ascii: "B"): base = 2; i += 2; prefixed = true
            default: base = 8; i += 1; prefixed = true
            }
        }
        var value: UInt64 = 0
        var digits = 0
        let bodyStart = i
        while i < b.count {
            let c = b[i]
            i += 1
            if c == UInt8(ascii: "_") {
                // Go's underscoreOK: an underscore separates digits (or follows a base prefix).
                let afterPrefix = i - 1 == bodyStart && prefixed
                let afterDigit = i - 2 >= 0 && PromQLByte.digitValue(b[i - 2]) < base
                guard afterPrefix || afterDigit, i < b.count, PromQLByte.digitValue(b[i]) < base else { return nil }
                continue
            }
            let d = UInt64(PromQLByte.digitValue(c))
            guard d < base else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: base)
            let (a, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { return nil }
            value = a
            digits += 1
        }
        if digits == 0 { return nil }
        if negative {
            guard value <= UInt64(Int64.max) + 1 else { return nil }
            return value == UInt64(Int64.max) + 1 ? Int64.min : -Int64(value)
        }
        guard value <= UInt64(Int64.max) else { return nil }
        return Int64(value)
    }
}

/// Go string-literal escapes, as Prometheus's `strutil.Unquote` applies them to `"…"` and `'…'` strings.
enum StringLiteral {
    /// Decodes the escapes of a string body the lexer has already validated.
    static func unescape(_ body: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var i = body.startIndex
        while i < body.endIndex {
            let c = body[i]
            i += 1
            guard c == UInt8(ascii: "\\"), i < body.endIndex else {
                out.append(c)
                continue
            }
            let e = body[i]
            i += 1
            switch e {
            case UInt8(ascii: "a"): out.append(7)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "v"): out.append(11)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var v = UInt32(e - 48)
                for _ in 0..<2 where i < body.endIndex {
                    v = v * 8 + PromQLByte.digitValue(body[i])
                    i += 1
                }
                out.append(UInt8(truncatingIfNeeded: v))
            case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
                let n = e == UInt8(ascii: "x") ? 2 : e == UInt8(ascii: "u") ? 4 : 8
                var v: UInt32 = 0
                for _ in 0..<n where i < body.endIndex {
                    v = v * 16 + PromQLByte.digitValue(body[i])
                    i += 1
                }
                if e == UInt8(ascii: "x") {
                    out.append(UInt8(truncatingIfNeeded: v))
                } else if let scalar = Unicode.Scalar(v) {
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                }
            default:
                out.append(e)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
