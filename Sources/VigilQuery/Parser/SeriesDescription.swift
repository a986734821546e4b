import VigilCore

/// A series as the PromQL test language and promtool's `input_series` write it: `metric{a="b"} 0+10x100 _ stale`.
///
/// Values expand as Prometheus does: `a+bxn` is `a` then n more values each adding `b` (repeated float addition),
/// `a-bxn` subtracts, `axn` repeats `a` n+1 times, `_` is a missing sample, `_xn` is n missing samples and `stale`
/// is a staleness marker. Native histogram values (`{{…}}`) are not supported.
public struct SeriesDescription: Sendable {
    /// The series labels, including `__name__`.
    public var labels: Labels
    /// One entry per step: the value (`StaleMarker.value` for `stale`), or nil for a missing sample.
    public var values: [Double?]

    /// Creates a description from its parts.
    public init(labels: Labels, values: [Double?]) {
        self.labels = labels
        self.values = values
    }

    /// Parses `metric{labels} values…`.
    public static func parse(_ text: String) throws(ParseError) -> SeriesDescription {
        let bytes = Array(text.utf8)
        let end = metricEnd(bytes)
        let labels = try parseLabels(bytes: Array(bytes[0..<end]), offset: 0)
        let values = try parseValues(bytes: bytes, from: end)
        return SeriesDescription(labels: labels, values: values)
    }

    /// Parses a series selector written with `=` matchers only (`up{job="a"}` or `{__name__="up"}`) into labels.
    public static func parseLabels(_ text: String) throws(ParseError) -> Labels {
        try parseLabels(bytes: Array(text.utf8), offset: 0)
    }

    /// Parses an expanding value list such as `1+1x3 _ stale -2-1x4`.
    public static func parseValues(_ text: String) throws(ParseError) -> [Double?] {
        try parseValues(bytes: Array(text.utf8), from: 0)
    }

    /// The end offset of the metric part: name characters, then a `{…}` block that respects quoted strings.
    private static func metricEnd(_ b: [UInt8]) -> Int {
        var i = 0
        while i < b.count, PromQLByte.isSpace(b[i]) { i += 1 }
        while i < b.count, PromQLByte.isAlphaNumeric(b[i]) || b[i] == UInt8(ascii: ":") { i += 1 }
        guard i < b.count, b[i] == UInt8(ascii: "{") else { return i }
        var quote: UInt8 = 0
        while i < b.count {
            let c = b[i]
            i += 1
            if quote != 0 {
                if c == UInt8(ascii: "\\") && quote != UInt8(ascii: "`") {
                    i += 1
                } else if c == quote {
                    quote = 0
                }
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: "`") {
                quote = c
            } else if c == UInt8(ascii: "}") {
                return i
            }
        }
        return b.count
    }

    private static func parseLabels(bytes: [UInt8], offset: Int) throws(ParseError) -> Labels {
        var parser = PromQLParser(bytes: bytes)
        let expr = try parser.parseQuery()
        guard case .vectorSelector(let vs) = expr, vs.offset == 0, vs.at == nil else {
            throw ParseError(line: 1, column: offset + 1, message: "series description must be a metric name with "
                + "optional labels, got \(GoString.quote(String(decoding: bytes, as: UTF8.self)))")
        }
        var pairs: [Label] = []
        for m in vs.matchers {
            guard m.kind == .equal else {
                throw ParseError(line: 1, column: offset + 1, message: "series description labels must use \"=\", "
                    + "got \(GoString.quote(m.description))")
            }
            pairs.append(Label(m.name, m.value))
        }
        return Labels(pairs)
    }

    private static func parseValues(bytes: [UInt8], from start: Int) throws(ParseError) -> [Double?] {
        var out: [Double?] = []
        var i = start
        while i < bytes.count {
            while i < bytes.count, PromQLByte.isSpace(bytes[i]) { i += 1 }
            guard i < bytes.count else { break }
            let itemStart = i
            if bytes[i] == UInt8(ascii: "{") {
                throw ParseError(line: 1, column: i + 1, message: "native histogram series values are not supported")
            }
            while i < bytes.count, !PromQLByte.isSpace(bytes[i]) { i += 1 }
            let item = String(decoding: bytes[itemStart..<i], as: UTF8.self)
            guard let expanded = expand(item) else {
                throw ParseError(line: 1, column: itemStart + 1,
                                 message: "invalid series value \(GoString.quote(item)), "
                                     + "expected number, \"_\", \"stale\" or a+bxn")
            }
            out.append(contentsOf: expanded)
        }
        return out
    }

    /// Expands one value item; nil when it is malformed.
    private static func expand(_ item: String) -> [Double?]? {
        if item == "_" { return [nil] }
        if item == "stale" { return [StaleMarker.value] }
        let b = Array(item.utf8)
        var body = b[...]
        var count: Int?
        if let x = b.lastIndex(of: UInt8(ascii: "x")) {
            let digits = b[(x + 1)...]
            guard !digits.isEmpty, digits.allSatisfy(PromQLByte.isDigit),
                  let n = Int(String(decoding: digits, as: UTF8.self))
            else { return nil }
            count = n
            body = b[..<x]
        }
        if body.elementsEqual("_".utf8) {
            guard let n = count else { return nil }
            return Array(repeating: nil, count: n)
        }
        if body.elementsEqual("stale".utf8) {
            return Array(repeating: StaleMarker.value, count: (count ?? 0) + 1)
        }
        // Split `a+b` / `a-b` at a sign that is not the leading sign and does not follow an exponent `e`.
        var split: Int?
        var k = body.startIndex + 1
        while k < body.endIndex {
            let c = body[k]
            if (c == UInt8(ascii: "+") || c == UInt8(ascii: "-")),
               body[k - 1] != UInt8(ascii: "e"), body[k - 1] != UInt8(ascii: "E") {
                split = k
                break
            }
            k += 1
        }
        let aText = String(decoding: body[..<(split ?? body.endIndex)], as: UTF8.self)
        guard let a = seriesNumber(aText) else { return nil }
        guard let split else {
            guard let n = count else { return [a] }
            return Array(repeating: a, count: n + 1)
        }
        guard let n = count, let delta = seriesNumber(String(decoding: body[split...], as: UTF8.self)) else {
            return nil
        }
        var out: [Double?] = [a]
        out.reserveCapacity(n + 1)
        var v = a
        for _ in 0..<n {
            v += delta
            out.append(v)
        }
        return out
    }

    /// A decimal number, `Inf` or `NaN` with an optional sign (hex is not allowed in series values).
    private static func seriesNumber(_ s: String) -> Double? {
        let lower = s.lowercased()
        if lower.contains("0x") { return nil }
        return NumberLiteral.parse(s)
    }
}
