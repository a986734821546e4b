/// Go's string quoting, as Prometheus, Alertmanager and Go templates print strings.
public enum GoString {
    /// Go's `strconv.Quote`: double-quoted with Go escapes, as Prometheus prints strings and matcher values.
    ///
    /// Non-ASCII characters are kept as they are except C1 controls and a few invisible format characters; Go's
    /// full `unicode.IsPrint` table is not reproduced, so rare unassigned or private-use code points print
    /// unescaped.
    public static func quote(_ s: String) -> String {
        goQuote(s, quote: "\"")
    }

    /// Go's `%q` for one rune: `'x'`.
    public static func quoteRune(_ s: String) -> String {
        goQuote(s, quote: "'")
    }
}

private func goQuote(_ s: String, quote: Character) -> String {
    var out = String(quote)
    out.reserveCapacity(s.utf8.count + 2)
    for scalar in s.unicodeScalars {
        let v = scalar.value
        switch v {
        case 0x07: out += "\\a"
        case 0x08: out += "\\b"
        case 0x0C: out += "\\f"
        case 0x0A: out += "\\n"
        case 0x0D: out += "\\r"
        case 0x09: out += "\\t"
        case 0x0B: out += "\\v"
        case 0x5C: out += "\\\\"
        case _ where Character(scalar) == quote:
            out += "\\"
            out.unicodeScalars.append(scalar)
        case 0..<0x20, 0x7F:
            out += "\\x" + hex(v, width: 2)
        case 0x80..<0xA0, 0xAD, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x206F, 0xFEFF:
            out += "\\u" + hex(v, width: 4)
        default:
            out.unicodeScalars.append(scalar)
        }
    }
    out.append(quote)
    return out
}

private func hex(_ v: UInt32, width: Int) -> String {
    let h = String(v, radix: 16)
    return String(repeating: "0", count: max(0, width - h.count)) + h
}
