import Foundation
import VigilCore

/// Go's `fmt` formatting for the verbs templates use (`%s %d %f %v %q %g %e %x`), with flags, width and precision.
public enum GoFormat {
    /// `strconv.FormatFloat(v, 'g', -1, 64)` as `%v` prints a float64: exponent form below 1e-4 and from 1e6.
    public static func shortestG(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == 0 { return v.sign == .minus ? "-0" : "0" }
        let e = GoFloat.formatExponent(v)
        guard let idx = e.lastIndex(of: "e"), let x = Int(e[e.index(after: idx)...]) else { return e }
        if x < -4 || x >= 6 { return e }
        return GoFloat.format(v)
    }

    /// A millisecond timestamp as Go prints a UTC `time.Time`: `2006-01-02 15:04:05.999 +0000 UTC`.
    public static func goTime(_ ms: Int64) -> String {
        var s = Timestamp.rfc3339(ms)
        if s.hasSuffix("Z") { s.removeLast() }
        return s.replacingOccurrences(of: "T", with: " ") + " +0000 UTC"
    }

    /// Go's `time.Duration.String()`: `1h2m3.5s`, `1.5ms`, `0s`.
    public static func goDuration(_ ns: Int64) -> String {
        if ns == 0 { return "0s" }
        let neg = ns < 0
        let u = ns.magnitude
        func frac(_ v: UInt64, _ prec: Int) -> (String, UInt64) {
            var digits = ""
            var v = v
            var printing = false
            for _ in 0..<prec {
                let d = v % 10
                printing = printing || d != 0
                if printing { digits = String(d) + digits }
                v /= 10
            }
            return (printing ? "." + digits : "", v)
        }
        var out: String
        if u < 1_000_000_000 {
            let (prec, unit) = u < 1000 ? (0, "ns") : (u < 1_000_000 ? (3, "µs") : (6, "ms"))
            let (f, whole) = frac(u, prec)
            out = String(whole) + f + unit
        } else {
            let (f, secs) = frac(u, 9)
            out = String(secs % 60) + f + "s"
            let minutes = secs / 60
            if minutes > 0 {
                out = String(minutes % 60) + "m" + out
                if minutes / 60 > 0 { out = String(minutes / 60) + "h" + out }
            }
        }
        return (neg ? "-" : "") + out
    }

    /// `strconv.Quote`: a double-quoted Go string literal.
    public static func quote(_ s: String) -> String { GoString.quote(s) }

    /// C-style formatting of one double (`%.4g`, `%.2f`, `%e`), with Go's spelling of NaN and infinities.
    public static func cFloat(_ spec: String, _ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        return String(format: spec, v)
    }

    private struct Spec {
        var minus = false, plus = false, sharp = false, zero = false, space = false
        var width: Int?
        var precision: Int?
    }

    /// `fmt.Sprintf(format, args...)`.
    public static func sprintf(_ format: String, _ args: [TemplateValue]) -> String {
        let f = Array(format.unicodeScalars)
        var out = ""
        var argIndex = 0
        var i = 0
        while i < f.count {
            let c = f[i]
            if c != "%" {
                out.unicodeScalars.append(c)
                i += 1
                continue
            }
            i += 1
            guard i < f.count else {
                out += "%!(NOVERB)"
                break
            }
            var spec = Spec()
            flags: while i < f.count {
                switch f[i] {
                case "-": spec.minus = true
                case "+": spec.plus = true
                case "#": spec.sharp = true
                case "0": spec.zero = true
                case " ": spec.space = true
                default: break flags
                }
                i += 1
            }
            spec.width = readNumber(f, &i, args, &argIndex)
            if i < f.count, f[i] == "." {
                i += 1
                spec.precision = readNumber(f, &i, args, &argIndex) ?? 0
            }
            guard i < f.count else {
                out += "%!(NOVERB)"
                break
            }
            let verb = f[i]
            i += 1
            if verb == "%" {
                out += "%"
                continue
            }
            guard argIndex < args.count else {
                out += "%!\(Character(verb))(MISSING)"
                continue
            }
            let arg = args[argIndex]
            argIndex += 1
            out += pad(formatOne(verb, arg, spec), spec)
        }
        if argIndex < args.count {
            let extra = args[argIndex...].map { "\($0.goTypeName)=\($0.printed)" }
            out += "%!(EXTRA " + extra.joined(separator: ", ") + ")"
        }
        return out
    }

    private static func readNumber(_ f: [Unicode.Scalar], _ i: inout Int, _ args: [TemplateValue],
                                   _ argIndex: inout Int) -> Int? {
        if i < f.count, f[i] == "*" {
            i += 1
            if argIndex < args.count, case .int(let n) = args[argIndex] {
                argIndex += 1
                return n
            }
            return nil
        }
        var n: Int?
        while i < f.count, let d = Int(String(f[i])), f[i].isASCII {
            n = (n ?? 0) * 10 + d
            i += 1
        }
        return n
    }

    private static func pad(_ s: String, _ spec: Spec) -> String {
        guard let w = spec.width, s.count < w else { return s }
        let fill = w - s.count
        if spec.minus { return s + String(repeating: " ", count: fill) }
        if spec.zero, let first = s.first, first == "-" || first == "+" || first.isNumber {
            let signed = first == "-" || first == "+"
            let body = signed ? String(s.dropFirst()) : s
            return (signed ? String(first) : "") + String(repeating: "0", count: fill) + body
        }
        return String(repeating: " ", count: fill) + s
    }

    private static func bad(_ verb: Unicode.Scalar, _ arg: TemplateValue) -> String {
        "%!\(Character(verb))(\(arg.goTypeName)=\(arg.printed))"
    }

    private static func formatOne(_ verb: Unicode.Scalar, _ arg: TemplateValue, _ spec: Spec) -> String {
        switch (verb, arg) {
        case ("v", .float(let v)), ("g", .float(let v)):
            if let p = spec.precision { return cFloat("%\(spec.plus ? "+" : "").\(p)g", v) }
            let s = shortestG(v)
            return spec.plus && v >= 0 && !v.isNaN ? "+" + s : s
        case ("f", .float(let v)), ("F", .float(let v)):
            return cFloat("%\(spec.plus ? "+" : "").\(spec.precision ?? 6)f", v)
        case ("e", .float(let v)):
            if let p = spec.precision { return cFloat("%\(spec.plus ? "+" : "").\(p)e", v) }
            return GoFloat.formatExponent(v)
        case ("d", .int(let n)), ("v", .int(let n)):
            return (spec.plus && n >= 0 ? "+" : "") + String(n)
        case ("x", .int(let n)):
            return n < 0 ? "-" + String(-n, radix: 16) : String(n, radix: 16)
        case ("X", .int(let n)):
            return n < 0 ? "-" + String(-n, radix: 16).uppercased() : String(n, radix: 16).uppercased()
        case ("x", .string(let s)):
            return s.utf8.map { String(format: "%02x", $0) }.joined()
        case ("x", .float(let v)):
            return String(format: "%a", v)
        case ("s", .string(let s)), ("v", .string(let s)):
            if let p = spec.precision { return String(s.prefix(p)) }
            return s
        case ("q", .string(let s)):
            return quote(s)
        case ("t", .bool(let b)), ("v", .bool(let b)):
            return b ? "true" : "false"
        case ("d", .duration(let ns)):
            return String(ns)
        case ("v", _), ("s", .list), ("s", .map), ("s", .time), ("s", .duration):
            return arg.printed
        case ("q", .int(let n)):
            if let u = Unicode.Scalar(n) { return "'" + String(Character(u)) + "'" }
            return bad(verb, arg)
        case (_, .null):
            return "%!\(Character(verb))(<nil>)"
        default:
            return bad(verb, arg)
        }
    }
}
