#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import VigilCore

/// Token-level helpers of the exposition scanner: blanks, names, quoted strings and errors.
extension ExpositionScanner {
    @inline(__always)
    func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }

    @inline(__always)
    func isBlankOrEOL(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A }

    @inline(__always)
    func isNameStart(_ c: UInt8, colon: Bool) -> Bool {
        let l = c | 0x20
        return (l >= 97 && l <= 122) || c == UInt8(ascii: "_") || (colon && c == UInt8(ascii: ":"))
    }

    @inline(__always)
    func isNameChar(_ c: UInt8, colon: Bool) -> Bool {
        isNameStart(c, colon: colon) || (c >= 48 && c <= 57)
    }

    @inline(__always)
    mutating func skipBlanks() {
        while i < n && (p[i] == 0x20 || p[i] == 0x09) { i += 1 }
    }

    /// True when `p[s..<e]` is exactly `word`.
    func matches(_ s: Int, _ e: Int, _ word: StaticString) -> Bool {
        guard e - s == word.utf8CodeUnitCount else { return false }
        return memcmp(p.baseAddress! + s, word.utf8Start, e - s) == 0
    }

    func string(_ s: Int, _ e: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: p[s..<e]), as: UTF8.self)
    }

    /// `p[s..<e]` as a String; invalid UTF-8 is an error, as in Prometheus.
    @inline(__always)
    func validString(_ s: Int, _ e: Int, what: String) throws(ExpositionError) -> String {
        guard let text = String(validating: UnsafeBufferPointer(rebasing: p[s..<e]), as: UTF8.self) else {
            throw fail(at: s - 1, "invalid UTF-8 in \(what)")
        }
        return text
    }

    /// True when the bytes `p[s..<e]` equal `str`'s UTF-8.
    @inline(__always)
    func equal(_ s: Int, _ e: Int, _ str: String) -> Bool {
        let base = p.baseAddress! + s
        let count = e - s
        guard str.utf8.count == count else { return false }
        if let r = str.utf8.withContiguousStorageIfAvailable({ u in memcmp(base, u.baseAddress!, count) == 0 }) {
            return r
        }
        return str.utf8.elementsEqual(UnsafeBufferPointer(start: base, count: count))
    }

    /// The metric name at `p[s..<e]`, reusing the previous sample's String when the bytes match.
    @inline(__always)
    func metricName(_ s: Int, _ e: Int) -> String {
        if let first = previous.first, equal(s, e, first.value) { return first.value }
        return string(s, e)
    }

    /// A label name, reusing the name the previous sample had at the same position when the bytes match.
    @inline(__always)
    func cachedName(_ s: Int, _ e: Int, index: Int) -> String {
        let k = index + 1
        if k < previous.count, equal(s, e, previous[k].name) { return previous[k].name }
        return string(s, e)
    }

    /// A quoted label value starting at `p[i] == "`, reusing the previous sample's value when the bytes match.
    mutating func labelValue(index: Int) throws(ExpositionError) -> String {
        let open = i
        var j = i + 1
        var high: UInt8 = 0
        while j < n {
            let c = p[j]
            if c == UInt8(ascii: "\"") {
                i = j + 1
                let k = index + 1
                if k < previous.count, equal(open + 1, j, previous[k].value) { return previous[k].value }
                return high < 0x80 ? string(open + 1, j) : try validString(open + 1, j, what: "label value")
            }
            if c == UInt8(ascii: "\\") || c == UInt8(ascii: "\n") { break }
            high |= c
            j += 1
        }
        return try quotedString(what: "label value")
    }

    /// A quoted string at `p[i] == "` with `\\`, `\"` and `\n` escapes; other escapes stay as written.
    mutating func quotedString(what: String) throws(ExpositionError) -> String {
        let open = i
        scratch.removeAll(keepingCapacity: true)
        var j = i + 1
        while j < n {
            let c = p[j]
            switch c {
            case UInt8(ascii: "\""):
                i = j + 1
                guard let text = String(validating: scratch, as: UTF8.self) else {
                    throw fail(at: open, "invalid UTF-8 in \(what)")
                }
                return text
            case UInt8(ascii: "\\"):
                guard j + 1 < n, p[j + 1] != UInt8(ascii: "\n") else { j = n; continue }
                switch p[j + 1] {
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "\\"), UInt8(ascii: "\""): scratch.append(p[j + 1])
                default: scratch.append(c); scratch.append(p[j + 1])
                }
                j += 2
            case UInt8(ascii: "\n"):
                j = n
            default:
                scratch.append(c)
                j += 1
            }
        }
        throw fail(at: open, "\(what) \(token(at: open)) is not terminated before the end of the line")
    }

    /// A metric name on a HELP/TYPE/UNIT line: a plain name or a quoted UTF-8 one.
    mutating func metadataName() throws(ExpositionError) -> String {
        guard i < n else { throw fail(at: i, "expected metric name, got end of input") }
        if p[i] == UInt8(ascii: "\"") { return try quotedString(what: "metric name") }
        guard isNameStart(p[i], colon: true) else { throw fail(at: i, "expected metric name, got \(token(at: i))") }
        let s = i
        while i < n && isNameChar(p[i], colon: true) { i += 1 }
        if i < n && !isBlankOrEOL(p[i]) { throw fail(at: s, "invalid metric name \(token(at: s))") }
        // HELP and TYPE of one family come together: reuse the name the previous metadata line made.
        if let last = metadata.last, equal(s, i, last.family) { return last.family }
        return string(s, i)
    }

    /// The rest of a HELP line, unescaped (`\\` and `\n`; OpenMetrics also `\"`), through the line break.
    mutating func helpText() throws(ExpositionError) -> String {
        let start = i
        var end = n
        if n > i, let hit = memchr(p.baseAddress! + i, 0x0A, n - i) {
            end = p.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
        var trimmed = end
        if !om {
            while trimmed > start && isBlank(p[trimmed - 1]) { trimmed -= 1 }
        }
        let text: String
        if trimmed == start || memchr(p.baseAddress! + start, 0x5C, trimmed - start) == nil {
            text = string(start, trimmed)
        } else {
            text = unescapeHelp(start, trimmed)
        }
        i = end
        try endOfLine()
        return text
    }

    private mutating func unescapeHelp(_ start: Int, _ end: Int) -> String {
        scratch.removeAll(keepingCapacity: true)
        var k = start
        while k < end {
            let c = p[k]
            if c == UInt8(ascii: "\\"), k + 1 < end {
                let e = p[k + 1]
                if e == UInt8(ascii: "n") {
                    scratch.append(0x0A)
                    k += 2
                    continue
                }
                if e == UInt8(ascii: "\\") || (om && e == UInt8(ascii: "\"")) {
                    scratch.append(e)
                    k += 2
                    continue
                }
            }
            scratch.append(c)
            k += 1
        }
        return String(decoding: scratch, as: UTF8.self)
    }

    /// Consumes the line break that must follow; a missing one at the end of input is an error.
    mutating func endOfLine() throws(ExpositionError) {
        guard i < n else {
            if om { return }
            throw fail(at: i, "unexpected end of input: the last line has no line break")
        }
        guard p[i] == UInt8(ascii: "\n") else { throw fail(at: i, "expected end of line, got \(token(at: i))") }
        i += 1
    }

    /// Skips a comment line through its line break.
    mutating func skipToLineEnd() throws(ExpositionError) {
        let rest = n - i
        if rest > 0, let hit = memchr(p.baseAddress! + i, 0x0A, rest) {
            i = p.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
            return
        }
        i = n
        throw fail(at: n, "unexpected end of input: the last line has no line break")
    }

    /// OpenMetrics's single space between tokens.
    mutating func singleSpace(before what: String) throws(ExpositionError) {
        guard i < n, p[i] == UInt8(ascii: " ") else {
            throw fail(at: i, "expected a space before \(what), got \(token(at: i))")
        }
        i += 1
        if i < n && isBlank(p[i]) { throw fail(at: i, "expected \(what) after a single space, got more blanks") }
    }

    /// The token at `at` for messages: up to the next blank or line break, at most 40 bytes, quoted.
    func token(at: Int) -> String {
        guard at < n else { return "end of input" }
        if p[at] == UInt8(ascii: "\n") { return "end of line" }
        var e = at
        while e < n && !isBlankOrEOL(p[e]) && e - at < 40 { e += 1 }
        if e == at { e = at + 1 }
        return quote(string(at, e))
    }

    /// `s` in double quotes with `\`, `"`, line breaks and tabs escaped.
    func quote(_ s: String) -> String {
        "\"" + Labels.escape(s).replacingOccurrences(of: "\t", with: "\\t") + "\""
    }

    /// An error at byte offset `at` of the current line.
    func fail(at: Int, _ message: String) -> ExpositionError {
        let from = min(lineStart, at)
        let column = String(decoding: UnsafeBufferPointer(rebasing: p[from..<min(at, n)]), as: UTF8.self)
            .unicodeScalars.count + 1
        return ExpositionError(line: line, column: column, message: message)
    }
}
