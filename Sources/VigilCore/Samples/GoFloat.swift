/// Float formatting that matches Go's `strconv.FormatFloat` with precision -1 (shortest round-trip digits).
public enum GoFloat {
    /// Shortest decimal digits and exponent of `v` (finite, non-zero): value = 0.d1d2d3… × 10^exp.
    static func digits(_ v: Double) -> (digits: [UInt8], exp: Int) {
        // Swift's description is the shortest round-trip representation, possibly in exponent form.
        let s = Array(v.magnitude.description.utf8)
        var mantissa: [UInt8] = []
        var exp10 = 0
        var seenPoint = false
        var pointPos = 0
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                exp10 = Int(String(decoding: s[(i + 1)...], as: UTF8.self)) ?? 0
                break
            }
            if c == UInt8(ascii: ".") {
                seenPoint = true
            } else {
                mantissa.append(c)
                if !seenPoint { pointPos += 1 }
            }
            i += 1
        }
        // Strip leading zeros.
        var lead = 0
        while lead < mantissa.count - 1, mantissa[lead] == UInt8(ascii: "0") {
            lead += 1
            pointPos -= 1
        }
        mantissa.removeFirst(lead)
        while mantissa.count > 1, mantissa.last == UInt8(ascii: "0") { mantissa.removeLast() }
        return (mantissa, pointPos + exp10)
    }

    /// `strconv.FormatFloat(v, 'f', -1, 64)`: plain decimal, no exponent.
    public static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == 0 { return v.sign == .minus ? "-0" : "0" }
        let (d, e) = digits(v)
        var out = v < 0 ? "-" : ""
        if e <= 0 {
            out += "0." + String(repeating: "0", count: -e) + String(decoding: d, as: UTF8.self)
        } else if e >= d.count {
            out += String(decoding: d, as: UTF8.self) + String(repeating: "0", count: e - d.count)
        } else {
            out += String(decoding: d[0..<e], as: UTF8.self) + "." + String(decoding: d[e...], as: UTF8.self)
        }
        return out
    }

    /// `strconv.FormatFloat(v, 'e', -1, 64)`, e.g. `1e+00`, `1.5e-07`.
    public static func formatExponent(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == 0 { return (v.sign == .minus ? "-" : "") + "0e+00" }
        let (d, e) = digits(v)
        var out = v < 0 ? "-" : ""
        out += String(UnicodeScalar(d[0]))
        if d.count > 1 { out += "." + String(decoding: d[1...], as: UTF8.self) }
        let x = e - 1
        out += x < 0 ? "e-" : "e+"
        let a = abs(x)
        out += a < 10 ? "0\(a)" : "\(a)"
        return out
    }

    /// `strconv.FormatFloat(v, 'g', -1, 64)`: exponent form when the exponent is < -4 or >= 21, else plain.
    public static func formatG(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == 0 { return v.sign == .minus ? "-0" : "0" }
        let (_, e) = digits(v)
        let x = e - 1
        if x < -4 || x >= 21 { return formatExponent(v) }
        return format(v)
    }
}
