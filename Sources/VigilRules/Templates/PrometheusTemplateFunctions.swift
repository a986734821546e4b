import Foundation
import VigilCore

/// Prometheus's template functions (`template/template.go`): humanizers, string helpers and `query`.
public enum PrometheusTemplateFunctions {
    /// Runs an instant query for the `query` function: PromQL text in, samples out.
    public typealias QueryFunction = @Sendable (String) throws -> [(labels: Labels, value: Double)]

    // Not provided: `tmpl` (executing another named template); a template that calls it fails to load with
    // "function … not defined".
    static let names: Set<String> = [
        "humanize", "humanize1024", "humanizeDuration", "humanizePercentage", "humanizeTimestamp", "toTime",
        "parseDuration", "title", "toUpper", "toLower", "match", "reReplaceAll", "stripPort", "stripDomain",
        "first", "label", "value", "strvalue", "sortByLabel", "query", "externalURL", "pathPrefix", "safeHtml",
        "urlQueryEscape", "graphLink", "tableLink", "args", "now", "toDuration",
    ]

    /// Go's built-ins plus Prometheus's functions; `query` fails when no query function is given.
    public static func functions(query: QueryFunction? = nil, externalURL: String = "", now: Int64 = 0)
        -> TemplateFunctions
    {
        var f = TemplateFunctions.builtins
        f.register("humanize") { a in .string(humanize(try number("humanize", a))) }
        f.register("humanize1024") { a in .string(humanize1024(try number("humanize1024", a))) }
        f.register("humanizeDuration") { a in
            .string(humanizeDuration(try number("humanizeDuration", a)))
        }
        f.register("humanizePercentage") { a in
            .string(GoFormat.cFloat("%.4g", try number("humanizePercentage", a) * 100) + "%")
        }
        f.register("humanizeTimestamp") { a in
            let v = try number("humanizeTimestamp", a)
            if v.isNaN || v.isInfinite { return .string(GoFormat.cFloat("%.4g", v)) }
            return .string(GoFormat.goTime(try millis(v)))
        }
        f.register("toTime") { a in
            let v = try number("toTime", a)
            if v.isNaN || v.isInfinite { throw TemplateError.function("value is NaN or Inf") }
            return .time(try millis(v))
        }
        f.register("now") { _ in .float(Double(now) / 1000) }
        f.register("toDuration") { a in
            let v = try number("toDuration", a)
            guard v.isFinite, abs(v * 1e9) < 9.2e18 else { return .duration(v < 0 ? Int64.min : Int64.max) }
            return .duration(Int64(v * 1e9))
        }
        f.register("parseDuration") { a in
            try TemplateFunctions.arity("parseDuration", a, 1)
            let s = try TemplateFunctions.string(a[0])
            guard let ms = try? PromDuration.parse(s) else {
                throw TemplateError.function("not a valid duration string: \"\(s)\"")
            }
            return .float(Double(ms) / 1000)
        }
        f.register("title") { a in .string(title(try str("title", a))) }
        f.register("toUpper") { a in .string(try str("toUpper", a).uppercased()) }
        f.register("toLower") { a in .string(try str("toLower", a).lowercased()) }
        f.register("safeHtml") { a in .string(try str("safeHtml", a)) }
        f.register("urlQueryEscape") { a in .string(queryEscape(try str("urlQueryEscape", a))) }
        f.register("stripPort") { a in .string(stripPort(try str("stripPort", a))) }
        f.register("stripDomain") { a in .string(stripDomain(try str("stripDomain", a))) }
        f.register("graphLink") { a in
            .string("/graph?g0.expr=" + queryEscape(try str("graphLink", a)) + "&g0.tab=0")
        }
        f.register("tableLink") { a in
            .string("/graph?g0.expr=" + queryEscape(try str("tableLink", a)) + "&g0.tab=1")
        }
        f.register("match") { a in
            try TemplateFunctions.arity("match", a, 2)
            let re = try regex(try TemplateFunctions.string(a[0]))
            return .bool(re.partialMatch(try TemplateFunctions.string(a[1])))
        }
        f.register("reReplaceAll") { a in
            try TemplateFunctions.arity("reReplaceAll", a, 3)
            let re = try regex(try TemplateFunctions.string(a[0]))
            return .string(RegexReplacer.replaceAll(re, in: try TemplateFunctions.string(a[2]),
                                                    with: try TemplateFunctions.string(a[1])))
        }
        f.register("args") { a in
            var m: [String: TemplateValue] = [:]
            for (i, v) in a.enumerated() { m["arg\(i)"] = v }
            return .map(m)
        }
        f.register("externalURL") { _ in .string(externalURL) }
        f.register("pathPrefix") { _ in .string(pathOf(externalURL)) }
        registerSampleFunctions(&f, query: query)
        return f
    }

    private static func registerSampleFunctions(_ f: inout TemplateFunctions, query: QueryFunction?) {
        f.register("query") { a in
            try TemplateFunctions.arity("query", a, 1)
            let q = try TemplateFunctions.string(a[0])
            guard let query else { throw TemplateError.function("query function not available") }
            do {
                return .list(try query(q).map { TemplateValue.sample(labels: $0.labels, value: $0.value) })
            } catch {
                throw TemplateError.function("\(error)")
            }
        }
        f.register("first") { a in
            try TemplateFunctions.arity("first", a, 1)
            guard case .list(let l) = a[0] else {
                throw TemplateError.function("wrong type for value; expected template.queryResult; got "
                    + a[0].goTypeName)
            }
            guard let x = l.first else { throw TemplateError.function("first() called on vector with no elements") }
            return x
        }
        f.register("label") { a in
            try TemplateFunctions.arity("label", a, 2)
            let name = try TemplateFunctions.string(a[0])
            guard case .map(let m) = a[1], case .map(let labels)? = m["Labels"] else { return .string("") }
            return labels[name] ?? .string("")
        }
        f.register("value") { a in
            try TemplateFunctions.arity("value", a, 1)
            guard case .map(let m) = a[0], let v = m["Value"] else { return .float(0) }
            return v
        }
        f.register("strvalue") { a in
            try TemplateFunctions.arity("strvalue", a, 1)
            guard case .map(let m) = a[0], case .map(let labels)? = m["Labels"] else { return .string("") }
            return labels["__value__"] ?? .string("")
        }
        f.register("sortByLabel") { a in
            try TemplateFunctions.arity("sortByLabel", a, 2)
            let name = try TemplateFunctions.string(a[0])
            guard case .list(let l) = a[1] else { return a[1] }
            func key(_ v: TemplateValue) -> String {
                guard case .map(let m) = v, case .map(let labels)? = m["Labels"],
                    case .string(let s)? = labels[name]
                else { return "" }
                return s
            }
            let sorted = l.enumerated().sorted { x, y in
                let kx = key(x.element)
                let ky = key(y.element)
                return kx != ky ? kx < ky : x.offset < y.offset
            }
            return .list(sorted.map(\.element))
        }
    }

    private static func regex(_ pattern: String) throws(TemplateError) -> RE2 {
        do { return try RE2(pattern) } catch {
            throw TemplateError.function("error parsing regexp: \(error.message): `\(pattern)`")
        }
    }

    private static func str(_ name: String, _ a: [TemplateValue]) throws(TemplateError) -> String {
        try TemplateFunctions.arity(name, a, 1)
        return try TemplateFunctions.string(a[0])
    }

    /// Prometheus's `convertToFloat`: floats, integers, numeric strings and times.
    private static func number(_ name: String, _ a: [TemplateValue]) throws(TemplateError) -> Double {
        try TemplateFunctions.arity(name, a, 1)
        switch a[0] {
        case .float(let v): return v
        case .int(let i): return Double(i)
        case .time(let ms): return Double(ms) / 1000
        case .duration(let ns): return Double(ns) / 1e9
        case .string(let s):
            guard let v = parseGoFloat(s) else {
                throw TemplateError.function("strconv.ParseFloat: parsing \(GoFormat.quote(s)): invalid syntax")
            }
            return v
        case .null: throw TemplateError.function("invalid value; expected interface {}")
        default: throw TemplateError.function("can't convert \(a[0].goTypeName) to float")
        }
    }

    private static func parseGoFloat(_ s: String) -> Double? {
        switch s.lowercased() {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: return s.isEmpty || s.contains(where: { $0.isWhitespace }) ? nil : Double(s)
        }
    }

    private static func millis(_ v: Double) throws(TemplateError) -> Int64 {
        let ns = v * 1e9
        guard ns < 9.2e18, ns > -9.2e18 else {
            throw TemplateError.function("\(GoFormat.shortestG(v)) cannot be represented as a nanoseconds "
                + "timestamp since it overflows int64")
        }
        return Int64(ns) / 1_000_000
    }

    /// `humanize`: SI prefixes, four significant digits.
    public static func humanize(_ value: Double) -> String {
        var v = value
        if v == 0 || v.isNaN || v.isInfinite { return GoFormat.cFloat("%.4g", v) }
        var prefix = ""
        if abs(v) >= 1 {
            for p in ["k", "M", "G", "T", "P", "E", "Z", "Y"] {
                if abs(v) < 1000 { break }
                prefix = p
                v /= 1000
            }
        } else {
            for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
                if abs(v) >= 1 { break }
                prefix = p
                v *= 1000
            }
        }
        return GoFormat.cFloat("%.4g", v) + prefix
    }

    /// `humanize1024`: binary prefixes, four significant digits.
    public static func humanize1024(_ value: Double) -> String {
        var v = value
        if abs(v) <= 1 || v.isNaN || v.isInfinite { return GoFormat.cFloat("%.4g", v) }
        var prefix = ""
        for p in ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"] {
            if abs(v) < 1024 { break }
            prefix = p
            v /= 1024
        }
        return GoFormat.cFloat("%.4g", v) + prefix
    }

    /// `humanizeDuration`: seconds as `1d 2h 3m 4s` (whole seconds from a minute on), or with a sub-second prefix.
    public static func humanizeDuration(_ value: Double) -> String {
        var v = value
        if v.isNaN || v.isInfinite { return GoFormat.cFloat("%.4g", v) }
        if v == 0 { return GoFormat.cFloat("%.4g", v) + "s" }
        if abs(v) >= 1 {
            var sign = ""
            if v < 0 {
                sign = "-"
                v = -v
            }
            let duration = Int64(v)
            let seconds = duration % 60
            let minutes = (duration / 60) % 60
            let hours = (duration / 3600) % 24
            let days = duration / 86400
            if days != 0 { return "\(sign)\(days)d \(hours)h \(minutes)m \(seconds)s" }
            if hours != 0 { return "\(sign)\(hours)h \(minutes)m \(seconds)s" }
            if minutes != 0 { return "\(sign)\(minutes)m \(seconds)s" }
            return sign + GoFormat.cFloat("%.4g", v) + "s"
        }
        var prefix = ""
        for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
            if abs(v) >= 1 { break }
            prefix = p
            v *= 1000
        }
        return GoFormat.cFloat("%.4g", v) + prefix + "s"
    }

    /// Go's deprecated `strings.Title`: upper-cases the first letter of each word.
    static func title(_ s: String) -> String {
        var out = ""
        var prevSeparator = true
        for ch in s.unicodeScalars {
            out += prevSeparator ? String(ch).uppercased() : String(ch)
            if ch.isASCII {
                let alnum = ch.properties.isAlphabetic || ("0"..."9").contains(ch) || ch == "_"
                prevSeparator = !alnum
            } else {
                prevSeparator = ch.properties.isWhitespace
                if ch.properties.isAlphabetic || ch.properties.numericType != nil { prevSeparator = false }
            }
        }
        return out
    }

    /// Go's `url.QueryEscape`.
    static func queryEscape(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            case UInt8(ascii: " "): out += "+"
            default: out += String(format: "%%%02X", b)
            }
        }
        return out
    }

    /// Go's `net.SplitHostPort`, or nil when `s` is not `host:port`.
    static func splitHostPort(_ s: String) -> (host: String, port: String)? {
        if s.hasPrefix("[") {
            guard let close = s.firstIndex(of: "]") else { return nil }
            let host = String(s[s.index(after: s.startIndex)..<close])
            let rest = s[s.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            return (host, String(rest.dropFirst()))
        }
        guard let colon = s.lastIndex(of: ":") else { return nil }
        let host = String(s[..<colon])
        if host.contains(":") { return nil }
        return (host, String(s[s.index(after: colon)...]))
    }

    static func stripPort(_ s: String) -> String { splitHostPort(s)?.host ?? s }

    static func stripDomain(_ s: String) -> String {
        let split = splitHostPort(s)
        let host = split?.host ?? s
        if isIP(host) { return s }
        let short = String(host.split(separator: ".", omittingEmptySubsequences: false).first ?? "")
        if let port = split?.port, !port.isEmpty {
            return short.contains(":") ? "[\(short)]:\(port)" : "\(short):\(port)"
        }
        return short
    }

    private static func isIP(_ s: String) -> Bool {
        var a4 = in_addr()
        var a6 = in6_addr()
        return inet_pton(AF_INET, s, &a4) == 1 || inet_pton(AF_INET6, s, &a6) == 1
    }

    private static func pathOf(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "" }
        return String(rest[slash...])
    }
}
