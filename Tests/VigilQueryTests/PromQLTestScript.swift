import Foundation
import VigilCore
import VigilQuery
import VigilStorage

/// One `eval` command of a Prometheus `.test` script with what it expects.
struct PromQLTestCase {
    enum Kind { case instant(Int64), range(start: Int64, end: Int64, step: Int64) }
    enum Expected {
        case vector([(Labels, [Double?])])
        case scalar(Double)
        case string(String)
        case rangeVector(start: Int64, end: Int64, step: Int64, [(Labels, [Double?])])
    }

    var file: String
    var line: Int
    var query: String
    var kind: Kind
    var shouldFail = false
    var failMessage: String?
    var failRegex: String?
    var ordered = false
    var expected: Expected = .vector([])
    /// `expect warn`/`expect info`: annotations are not produced by the engine and not checked.
    var expectsAnnotation = false
}

/// A parsed `.test` script: loads, clears and evals in order.
enum PromQLTestCommand {
    case load(step: Int64, series: [(Labels, [Double?])], skippedLines: Int)
    case clear
    case eval(PromQLTestCase)
    /// A command the runner does not support (e.g. `load_with_nhcb`), with its line.
    case unsupported(line: Int, text: String)
}

/// Parser for the `promqltest` script format.
enum PromQLTestScript {
    struct ScriptError: Error, CustomStringConvertible {
        var line: Int
        var message: String
        var description: String { "line \(line): \(message)" }
    }

    static func parse(_ text: String, file: String) throws -> [PromQLTestCommand] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0).trimmingCharacters(in: .whitespaces).hasPrefix("#") ? "" : String($0)
        }
        var out: [PromQLTestCommand] = []
        var i = 0
        while i < lines.count {
            let raw = lines[i]
            let line = raw.trimmingCharacters(in: .whitespaces)
            let lineNo = i + 1
            i += 1
            if line.isEmpty { continue }
            let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            switch words[0] {
            case "clear":
                out.append(.clear)
            case "load", "load_with_nhcb":
                // `load_with_nhcb` also converts classic histograms to native ones, which Vigil does not store;
                // the classic float series load as with `load`.
                let step = try duration(words[1], lineNo)
                var series: [(Labels, [Double?])] = []
                var skipped = 0
                while i < lines.count, !lines[i].trimmingCharacters(in: .whitespaces).isEmpty {
                    let l = lines[i].trimmingCharacters(in: .whitespaces)
                    i += 1
                    if l.contains("{{") {
                        // Native histogram samples are not stored: they load as missing (`_`).
                        skipped += 1
                        series.append(try seriesLine(withoutHistograms(l), i))
                        continue
                    }
                    series.append(try seriesLine(l, i))
                }
                out.append(.load(step: step, series: series, skippedLines: skipped))
            case let w where w.hasPrefix("eval"):
                var c = try evalHeader(line, words, file: file, lineNo: lineNo)
                var results: [(Labels, [Double?])] = []
                var sawResult = false
                while i < lines.count, !lines[i].trimmingCharacters(in: .whitespaces).isEmpty {
                    let l = lines[i].trimmingCharacters(in: .whitespaces)
                    i += 1
                    if l.hasPrefix("expect ") {
                        try expectLine(l, &c, i)
                        if case .string = c.expected { sawResult = true }
                        if case .rangeVector = c.expected { sawResult = true }
                        continue
                    }
                    if l.hasPrefix("expected_fail_message ") {
                        c.failMessage = String(l.dropFirst("expected_fail_message ".count))
                        continue
                    }
                    if l.hasPrefix("expected_fail_regexp ") {
                        c.failRegex = String(l.dropFirst("expected_fail_regexp ".count))
                        continue
                    }
                    if !l.hasPrefix("{") && !l.contains("{"), let v = number(l) {
                        c.expected = .scalar(v)
                        sawResult = true
                        continue
                    }
                    if l.contains("{{") {
                        c.expected = .vector([(Labels([Label("__unsupported_native_histogram__", "1")]), [])])
                        sawResult = true
                        continue
                    }
                    results.append(try seriesLine(l, i))
                }
                if case .rangeVector(let s, let e, let st, _) = c.expected {
                    c.expected = .rangeVector(start: s, end: e, step: st, results)
                } else if !sawResult || !results.isEmpty {
                    if case .vector(let v) = c.expected, !v.isEmpty { } else { c.expected = .vector(results) }
                }
                out.append(.eval(c))
            default:
                out.append(.unsupported(line: lineNo, text: line))
                while i < lines.count, !lines[i].trimmingCharacters(in: .whitespaces).isEmpty { i += 1 }
            }
        }
        return out
    }

    private static func evalHeader(_ line: String, _ words: [String], file: String, lineNo: Int) throws
        -> PromQLTestCase
    {
        var c = PromQLTestCase(file: file, line: lineNo, query: "", kind: .instant(0))
        switch words[0] {
        case "eval": break
        case "eval_fail": c.shouldFail = true
        case "eval_ordered": c.ordered = true
        case "eval_warn", "eval_info": c.expectsAnnotation = true
        default: throw ScriptError(line: lineNo, message: "unknown command \(words[0])")
        }
        // Split off the query: everything after the time spec.
        func rest(after n: Int) -> String {
            var s = Substring(line)
            for _ in 0..<n {
                s = s.drop { $0 == " " || $0 == "\t" }
                s = s.drop { $0 != " " && $0 != "\t" }
            }
            return String(s.drop { $0 == " " || $0 == "\t" })
        }
        if words[1] == "instant" {
            guard words[2] == "at" else { throw ScriptError(line: lineNo, message: "expected 'at'") }
            c.kind = .instant(try duration(words[3], lineNo))
            c.query = rest(after: 4)
        } else if words[1] == "range" {
            c.kind = .range(start: try duration(words[3], lineNo), end: try duration(words[5], lineNo),
                            step: try duration(words[7], lineNo))
            c.query = rest(after: 8)
        } else {
            throw ScriptError(line: lineNo, message: "bad eval line")
        }
        return c
    }

    private static func expectLine(_ l: String, _ c: inout PromQLTestCase, _ lineNo: Int) throws {
        let body = l.dropFirst("expect ".count).trimmingCharacters(in: .whitespaces)
        func message(_ s: Substring) -> (String?, String?) {
            let t = s.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("msg:") { return (String(t.dropFirst(4)).trimmingCharacters(in: .whitespaces), nil) }
            if t.hasPrefix("regex:") { return (nil, String(t.dropFirst(6)).trimmingCharacters(in: .whitespaces)) }
            return (nil, nil)
        }
        if body.hasPrefix("fail") {
            c.shouldFail = true
            (c.failMessage, c.failRegex) = message(body.dropFirst(4))
        } else if body.hasPrefix("ordered") {
            c.ordered = true
        } else if body.hasPrefix("warn") || body.hasPrefix("info") {
            c.expectsAnnotation = true
        } else if body.hasPrefix("no_warn") || body.hasPrefix("no_info") {
            // Annotations are not checked.
        } else if body.hasPrefix("string ") {
            let s = body.dropFirst("string ".count).trimmingCharacters(in: .whitespaces)
            c.expected = .string(String(s.dropFirst().dropLast()))
        } else if body.hasPrefix("range vector from ") {
            let w = body.split(separator: " ").map(String.init)
            c.expected = .rangeVector(start: try duration(w[3], lineNo), end: try duration(w[5], lineNo),
                                      step: try duration(w[7], lineNo), [])
        } else {
            throw ScriptError(line: lineNo, message: "unknown expect line: \(l)")
        }
    }

    /// Replaces `{{…}}` values (and `{{…}}+{{…}}xN` sequences) with `_`.
    static func withoutHistograms(_ l: String) -> String {
        var s = l.replacingOccurrences(of: #"\{\{[^}]*\}\}(\+\{\{[^}]*\}\})?x(\d+)"#, with: "_x$2",
                                       options: .regularExpression)
        s = s.replacingOccurrences(of: #"\{\{[^}]*\}\}"#, with: "_", options: .regularExpression)
        return s
    }

    static func duration(_ s: String, _ line: Int) throws -> Int64 {
        if let v = Int64(s) { return v * 1000 }
        do { return try PromDuration.parse(s) } catch {
            throw ScriptError(line: line, message: "bad duration \(s)")
        }
    }

    static func number(_ s: String) -> Double? {
        switch s {
        case "Inf", "+Inf", "inf", "+inf": return .infinity
        case "-Inf", "-inf": return -.infinity
        case "NaN", "nan": return .nan
        default:
            if s.hasPrefix("0x") || s.hasPrefix("-0x") || s.hasPrefix("+0x") {
                let neg = s.hasPrefix("-")
                let digits = s.drop { $0 == "-" || $0 == "+" }.dropFirst(2)
                guard let v = Int64(digits, radix: 16) else { return nil }
                return Double(neg ? -v : v)
            }
            return Double(s)
        }
    }

    /// `name{labels} values…`: labels and the expanded values (nil for `_`), via the parser's `SeriesDescription`.
    static func seriesLine(_ l: String, _ line: Int) throws -> (Labels, [Double?]) {
        do {
            let d = try SeriesDescription.parse(l)
            return (d.labels, d.values)
        } catch {
            return try ownSeriesLine(l, line)
        }
    }

    /// The runner's own reading of a series line, for forms `SeriesDescription` rejects.
    static func ownSeriesLine(_ l: String, _ line: Int) throws -> (Labels, [Double?]) {
        let bytes = Array(l.utf8)
        var i = 0
        var labels: [Label] = []
        var name = ""
        while i < bytes.count && bytes[i] != UInt8(ascii: "{") && bytes[i] != UInt8(ascii: " ")
            && bytes[i] != UInt8(ascii: "\t")
        {
            i += 1
        }
        name = String(decoding: bytes[0..<i], as: UTF8.self)
        if i < bytes.count && bytes[i] == UInt8(ascii: "{") {
            i += 1
            while true {
                while i < bytes.count && (bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: ",")) { i += 1 }
                guard i < bytes.count else { throw ScriptError(line: line, message: "unterminated labels") }
                if bytes[i] == UInt8(ascii: "}") {
                    i += 1
                    break
                }
                var key: String
                if bytes[i] == UInt8(ascii: "\"") {
                    key = try quoted(bytes, &i, line)
                } else {
                    let s = i
                    while i < bytes.count && bytes[i] != UInt8(ascii: "=") && bytes[i] != UInt8(ascii: " ")
                        && bytes[i] != UInt8(ascii: ",") && bytes[i] != UInt8(ascii: "}")
                    {
                        i += 1
                    }
                    key = String(decoding: bytes[s..<i], as: UTF8.self)
                }
                while i < bytes.count && bytes[i] == UInt8(ascii: " ") { i += 1 }
                if i < bytes.count && bytes[i] == UInt8(ascii: "=") {
                    i += 1
                    while i < bytes.count && bytes[i] == UInt8(ascii: " ") { i += 1 }
                    labels.append(Label(key, try quoted(bytes, &i, line)))
                } else {
                    name = key
                }
            }
        }
        if !name.isEmpty { labels.append(Label(LabelName.metricName, name)) }
        let valueText = String(decoding: bytes[i...], as: UTF8.self)
        var values: [Double?] = []
        for tok in valueText.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            values += try expand(String(tok), line)
        }
        return (Labels(labels), values)
    }

    private static func quoted(_ b: [UInt8], _ i: inout Int, _ line: Int) throws -> String {
        let q = b[i]
        guard q == UInt8(ascii: "\"") || q == UInt8(ascii: "'") || q == UInt8(ascii: "`") else {
            throw ScriptError(line: line, message: "expected quoted string")
        }
        i += 1
        var out: [UInt8] = []
        while i < b.count && b[i] != q {
            if b[i] == UInt8(ascii: "\\") && q != UInt8(ascii: "`") && i + 1 < b.count {
                i += 1
                switch b[i] {
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "t"): out.append(9)
                default: out.append(b[i])
                }
            } else {
                out.append(b[i])
            }
            i += 1
        }
        i += 1
        return String(decoding: out, as: UTF8.self)
    }

    /// One token of series notation: `v`, `_`, `_xN`, `stale`, `a+bxN`, `a-bxN`, `axN`.
    static func expand(_ tok: String, _ line: Int) throws -> [Double?] {
        if tok == "_" { return [nil] }
        if tok == "stale" { return [StaleMarker.value] }
        // `0x59` is 0 repeated 59 times here, not hexadecimal.
        if tok.range(of: #"^[^x]+x[0-9]+$"#, options: .regularExpression) == nil, let v = number(tok) { return [v] }
        guard let x = tok.lastIndex(of: "x"), let n = Int(tok[tok.index(after: x)...]) else {
            throw ScriptError(line: line, message: "bad value \(tok)")
        }
        let head = String(tok[..<x])
        if head == "_" { return [Double?](repeating: nil, count: n) }
        if head == "stale" { return [Double?](repeating: StaleMarker.value, count: n) }
        let hb = Array(head.utf8)
        var split = -1
        var k = 1
        while k < hb.count {
            if (hb[k] == UInt8(ascii: "+") || hb[k] == UInt8(ascii: "-"))
                && hb[k - 1] != UInt8(ascii: "e") && hb[k - 1] != UInt8(ascii: "E")
            {
                split = k
            }
            k += 1
        }
        let start: Double
        var delta = 0.0
        if split < 0 {
            guard let s = number(head) else { throw ScriptError(line: line, message: "bad value \(tok)") }
            start = s
        } else {
            guard let s = number(String(decoding: hb[0..<split], as: UTF8.self)),
                  let d = number(String(decoding: hb[(split + 1)...], as: UTF8.self))
            else { throw ScriptError(line: line, message: "bad value \(tok)") }
            start = s
            delta = hb[split] == UInt8(ascii: "-") ? -d : d
        }
        var out: [Double?] = []
        out.reserveCapacity(n + 1)
        var v = start
        for _ in 0...n {
            out.append(v)
            v += delta
        }
        return out
    }
}
