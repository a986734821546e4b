/// Minimal JSON text helpers shared by every target that writes JSON by hand.
public enum JSON {
    /// `s` as a JSON string literal with quotes.
    public static func quote(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if ch.value < 0x20 {
                    let hex = String(ch.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        out += "\""
        return out
    }

    /// A label set as a JSON object.
    public static func object(_ labels: Labels) -> String {
        "{" + labels.pairs.map { quote($0.name) + ":" + quote($0.value) }.joined(separator: ",") + "}"
    }

    /// A float as Prometheus's API writes sample values (Go's `strconv.FormatFloat(v, 'f', -1, 64)`), with
    /// "NaN", "+Inf" and "-Inf".
    public static func promValue(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v == .infinity { return "+Inf" }
        if v == -.infinity { return "-Inf" }
        return GoFloat.format(v)
    }

    /// A millisecond timestamp as API seconds (`1435781451.781`).
    public static func seconds(_ ms: Int64) -> String {
        let sign = ms < 0 ? "-" : ""
        let m = ms.magnitude
        let whole = m / 1000
        let frac = m % 1000
        if frac == 0 { return sign + String(whole) }
        var f = String(frac)
        while f.count < 3 { f = "0" + f }
        while f.hasSuffix("0") { f.removeLast() }
        return sign + String(whole) + "." + f
    }
}
