import VigilCore
/// The PromQL lexer: turns query bytes into tokens with Prometheus's lexer states (braces, brackets, parentheses).
///
/// Works on the UTF-8 bytes without regular expressions; errors come back as `.error` tokens carrying Prometheus's
/// message, after which the lexer only returns `.eof`.
/// - Complexity: O(n) in the query length.
struct Lexer {
    let bytes: [UInt8]
    private(set) var pos = 0
    private var parenDepth = 0
    private var braceOpen = false
    private var bracketOpen = false
    private var gotColon = false
    /// Right after `[` (and after operators there): Prometheus's `lexDurationExpr` state.
    private var inDurationExpr = false
    private var failed = false

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Lexes the whole input; the last token is `.eof` or `.error`.
    static func tokenize(_ bytes: [UInt8]) -> [Token] {
        var lexer = Lexer(bytes)
        var out: [Token] = []
        out.reserveCapacity(bytes.count / 3 + 2)
        while true {
            let t = lexer.next()
            out.append(t)
            if t.kind == .eof || t.kind == .error { return out }
        }
    }

    private func peek(_ offset: Int = 0) -> UInt8 {
        pos + offset < bytes.count ? bytes[pos + offset] : 0
    }

    private var atEnd: Bool { pos >= bytes.count }

    private mutating func fail(_ start: Int, _ message: String) -> Token {
        failed = true
        return Token(.error, start, bytes.count, message: message)
    }

    /// Returns the next token, skipping spaces and comments.
    mutating func next() -> Token {
        if failed { return Token(.eof, bytes.count, bytes.count) }
        skipSpacesAndComments()
        if braceOpen { return nextInsideBraces() }
        if inDurationExpr { return nextInDurationExpr() }
        let start = pos
        guard !atEnd else {
            if parenDepth != 0 { return fail(start, "unclosed left parenthesis") }
            if bracketOpen { return fail(start, "unclosed left bracket") }
            return Token(.eof, start, start)
        }
        let c = bytes[pos]
        pos += 1
        switch c {
        case UInt8(ascii: ","): return Token(.comma, start, pos)
        case UInt8(ascii: "*"): return Token(.mul, start, pos)
        case UInt8(ascii: "/"): return Token(.div, start, pos)
        case UInt8(ascii: "%"): return Token(.mod, start, pos)
        case UInt8(ascii: "+"): return Token(.add, start, pos)
        case UInt8(ascii: "-"): return Token(.sub, start, pos)
        case UInt8(ascii: "^"): return Token(.pow, start, pos)
        case UInt8(ascii: "@"): return Token(.at, start, pos)
        case UInt8(ascii: "="):
            if peek() == UInt8(ascii: "=") {
                pos += 1
                return Token(.eqlc, start, pos)
            }
            if peek() == UInt8(ascii: "~") { return fail(start, "unexpected character after '=': '~'") }
            return Token(.assign, start, pos)
        case UInt8(ascii: "!"):
            if peek() == UInt8(ascii: "=") {
                pos += 1
                return Token(.neq, start, pos)
            }
            return fail(start, "unexpected character after '!': \(quoteRune(at: pos))")
        case UInt8(ascii: "<"):
            if peek() == UInt8(ascii: "=") {
                pos += 1
                return Token(.lte, start, pos)
            }
            return Token(.lss, start, pos)
        case UInt8(ascii: ">"):
            if peek() == UInt8(ascii: "=") {
                pos += 1
                return Token(.gte, start, pos)
            }
            return Token(.gtr, start, pos)
        case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`"):
            return c == UInt8(ascii: "`") ? lexRawString(start: start) : lexString(start: start, quote: c)
        case UInt8(ascii: "("):
            parenDepth += 1
            return Token(.leftParen, start, pos)
        case UInt8(ascii: ")"):
            parenDepth -= 1
            // Prometheus reports this one after the parenthesis it has already emitted.
            if parenDepth < 0 { return fail(pos, "unexpected right parenthesis ')'") }
            return Token(.rightParen, start, pos)
        case UInt8(ascii: "{"):
            braceOpen = true
            return Token(.leftBrace, start, pos)
        case UInt8(ascii: "["):
            if bracketOpen { return fail(start, "unexpected left bracket '['") }
            gotColon = false
            bracketOpen = true
            inDurationExpr = true
            return Token(.leftBracket, start, pos)
        case UInt8(ascii: "]"):
            if !bracketOpen { return fail(start, "unexpected right bracket ']'") }
            bracketOpen = false
            return Token(.rightBracket, start, pos)
        default:
            break
        }
        if PromQLByte.isDigit(c) || (c == UInt8(ascii: ".") && PromQLByte.isDigit(peek())) {
            pos = start
            return lexNumberOrDuration(start: start)
        }
        if PromQLByte.isAlpha(c) || c == UInt8(ascii: ":") {
            if bracketOpen && c == UInt8(ascii: ":") {
                if gotColon { return fail(start, "unexpected colon ':'") }
                gotColon = true
                return Token(.colon, start, pos)
            }
            if bracketOpen {
                if "sSmM".utf8.contains(c), let word = durationKeyword(start: start) { return word }
                return fail(start, "unexpected character: \(quoteRune(at: start)), expected ':'")
            }
            return lexIdentifierOrKeyword(start: start)
        }
        pos = start
        return fail(start, "unexpected character: \(quoteRune(at: start))")
    }

    /// The first tokens inside `[`: numbers and durations, `step`/`range`/`min`/`max`, operators, parentheses.
    private mutating func nextInDurationExpr() -> Token {
        let start = pos
        guard !atEnd else { return fail(start, "unexpected end of input in duration expression") }
        let c = bytes[pos]
        pos += 1
        switch c {
        case UInt8(ascii: "]"):
            bracketOpen = false
            gotColon = false
            inDurationExpr = false
            return Token(.rightBracket, start, pos)
        case UInt8(ascii: ":"):
            if gotColon { return fail(pos, "unexpected repeated colon in duration expression") }
            gotColon = true
            return Token(.colon, start, pos)
        case UInt8(ascii: "("):
            parenDepth += 1
            return Token(.leftParen, start, pos)
        case UInt8(ascii: ")"):
            parenDepth -= 1
            if parenDepth < 0 { return fail(pos, "unexpected right parenthesis ')'") }
            return Token(.rightParen, start, pos)
        case UInt8(ascii: "+"): return Token(.add, start, pos)
        case UInt8(ascii: "-"): return Token(.sub, start, pos)
        case UInt8(ascii: "*"): return Token(.mul, start, pos)
        case UInt8(ascii: "/"): return Token(.div, start, pos)
        case UInt8(ascii: "%"): return Token(.mod, start, pos)
        case UInt8(ascii: "^"): return Token(.pow, start, pos)
        case UInt8(ascii: ","): return Token(.comma, start, pos)
        default:
            break
        }
        if "sSmMrR".utf8.contains(c), let word = durationKeyword(start: start) { return word }
        if PromQLByte.isDigit(c) || (c == UInt8(ascii: ".") && PromQLByte.isDigit(peek())) {
            pos = start
            inDurationExpr = false
            return lexNumberOrDuration(start: start)
        }
        pos = start
        return fail(start, "unexpected character in duration expression: \(quoteRune(at: start))")
    }

    /// `step`, `range`, `min` or `max` inside brackets (Prometheus's `scanDurationKeyword`); nil for other words.
    private mutating func durationKeyword(start: Int) -> Token? {
        var end = start
        while end < bytes.count, PromQLByte.isAlpha(bytes[end]) { end += 1 }
        let lower = String(decoding: bytes[start..<end], as: UTF8.self).lowercased()
        guard ["step", "range", "min", "max"].contains(lower) else { return nil }
        pos = end
        return Token(.identifier, start, end, keyword: Keyword.lookup(lower))
    }

    private mutating func nextInsideBraces() -> Token {
        let start = pos
        guard !atEnd else { return fail(start, "unexpected end of input inside braces") }
        let c = bytes[pos]
        pos += 1
        switch c {
        case UInt8(ascii: ","): return Token(.comma, start, pos)
        case UInt8(ascii: "\""), UInt8(ascii: "'"): return lexString(start: start, quote: c)
        case UInt8(ascii: "`"): return lexRawString(start: start)
        case UInt8(ascii: "="):
            if peek() == UInt8(ascii: "~") {
                pos += 1
                return Token(.eqlRegex, start, pos)
            }
            return Token(.assign, start, pos)
        case UInt8(ascii: "!"):
            if peek() == UInt8(ascii: "~") {
                pos += 1
                return Token(.neqRegex, start, pos)
            }
            if peek() == UInt8(ascii: "=") {
                pos += 1
                return Token(.neq, start, pos)
            }
            return fail(start, "unexpected character after '!' inside braces: \(quoteRune(at: pos))")
        case UInt8(ascii: "{"):
            return fail(start, "unexpected left brace '{'")
        case UInt8(ascii: "}"):
            braceOpen = false
            return Token(.rightBrace, start, pos)
        default:
            if PromQLByte.isAlpha(c) {
                while !atEnd, PromQLByte.isAlphaNumeric(bytes[pos]) { pos += 1 }
                return Token(.identifier, start, pos)
            }
            pos = start
            return fail(start, "unexpected character inside braces: \(quoteRune(at: start))")
        }
    }

    private mutating func skipSpacesAndComments() {
        while !atEnd {
            let c = bytes[pos]
            if PromQLByte.isSpace(c) {
                pos += 1
            } else if c == UInt8(ascii: "#") {
                while !atEnd, bytes[pos] != UInt8(ascii: "\n"), bytes[pos] != UInt8(ascii: "\r") { pos += 1 }
            } else {
                return
            }
        }
    }

    private mutating func lexIdentifierOrKeyword(start: Int) -> Token {
        var hasColon = bytes[start] == UInt8(ascii: ":")
        while !atEnd {
            let c = bytes[pos]
            if PromQLByte.isAlphaNumeric(c) {
                pos += 1
            } else if c == UInt8(ascii: ":") {
                hasColon = true
                pos += 1
            } else {
                break
            }
        }
        if hasColon { return Token(.metricIdentifier, start, pos) }
        var lower = [UInt8]()
        lower.reserveCapacity(pos - start)
        for b in bytes[start..<pos] { lower.append(b >= 65 && b <= 90 ? b + 32 : b) }
        guard let kw = Keyword.lookup(String(decoding: lower, as: UTF8.self)) else {
            return Token(.identifier, start, pos)
        }
        if kw == .inf || kw == .nan { return Token(.number, start, pos, keyword: kw) }
        return Token(.identifier, start, pos, keyword: kw)
    }

    /// Scans a number as Prometheus's `scanNumber` does; true when it ends at a non-alphanumeric byte.
    private mutating func scanNumber() -> Bool {
        let initial = pos
        var hex = false
        func accept(_ set: String) -> Bool {
            if !atEnd, set.utf8.contains(bytes[pos]) {
                pos += 1
                return true
            }
            return false
        }
        func isAt(_ set: String) -> Bool { !atEnd && set.utf8.contains(bytes[pos]) }
        if accept("0") && accept("xX") {
            _ = accept("_")
            hex = true
        }
        let digits = hex ? "0123456789abcdefABCDEF" : "0123456789"
        // [.][d][d._eE]* with Prometheus's rules: one dot, one exponent, underscores only between digits.
        _ = accept(".")
        _ = accept(digits)
        var dot = false, exponent = false
        while isAt(digits + "._eE") {
            if isAt(".") && dot {
                pos += 1
                return false
            }
            if isAt("eE") && exponent {
                pos += 1
                return false
            }
            if accept(".") {
                dot = true
                if accept("_.") || hex { return false }
                continue
            }
            if accept("eE") {
                exponent = true
                _ = accept("+-")
                if accept("._eE") || atEnd { return false }
                continue
            }
            if accept("_") {
                if accept("._eE") || atEnd { return false }
                continue
            }
            while isAt(digits) { pos += 1 }
        }
        if pos == initial { return false }
        return !PromQLByte.isAlphaNumeric(peek())
    }

    /// Accepts the rest of a duration (`m`, `ms`, `1h30m`) after its leading digits.
    private mutating func acceptRemainingDuration() -> Bool {
        func acceptUnit(_ units: String) -> Bool {
            if !atEnd, units.utf8.contains(bytes[pos]) {
                pos += 1
                return true
            }
            return false
        }
        guard acceptUnit("smhdwy") else { return false }
        _ = acceptUnit("s")
        while !atEnd, PromQLByte.isDigit(bytes[pos]) {
            while !atEnd, PromQLByte.isDigit(bytes[pos]) { pos += 1 }
            guard acceptUnit("smhdw") else { return false }
            _ = acceptUnit("s")
        }
        if atEnd { return true }
        let c = bytes[pos]
        pos += 1
        if PromQLByte.isAlphaNumeric(c) { return false }
        pos -= 1
        return true
    }

    private mutating func lexNumberOrDuration(start: Int) -> Token {
        if scanNumber() { return Token(.number, start, pos) }
        if acceptRemainingDuration() { return Token(.duration, start, pos) }
        let text = String(decoding: bytes[start..<min(pos, bytes.count)], as: UTF8.self)
        return fail(start, "bad number or duration syntax: \(GoString.quote(text))")
    }

    private mutating func lexString(start: Int, quote: UInt8) -> Token {
        while true {
            guard !atEnd else { return fail(start, "unterminated quoted string") }
            let c = bytes[pos]
            pos += 1
            if c == quote { return Token(.string, start, pos) }
            if c == UInt8(ascii: "\n") { return fail(start, "unterminated quoted string") }
            if c == UInt8(ascii: "\\") {
                if let message = skipEscape(quote: quote) { return fail(start, message) }
            }
        }
    }

    /// Validates one escape sequence after a backslash, as Prometheus's `lexEscape` does.
    private mutating func skipEscape(quote: UInt8) -> String? {
        guard !atEnd else { return "escape sequence not terminated" }
        let c = bytes[pos]
        pos += 1
        var n = 0, base: UInt32 = 0, max: UInt32 = 0
        switch c {
        case UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"),
            UInt8(ascii: "t"), UInt8(ascii: "v"), UInt8(ascii: "\\"), quote:
            return nil
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            n = 3; base = 8; max = 255
            pos -= 1
        case UInt8(ascii: "x"):
            n = 2; base = 16; max = 255
        case UInt8(ascii: "u"):
            n = 4; base = 16; max = 0x10FFFF
        case UInt8(ascii: "U"):
            n = 8; base = 16; max = 0x10FFFF
        default:
            pos -= 1
            return "unknown escape sequence \(quoteRune(at: pos, unicodeForm: true))"
        }
        var x: UInt32 = 0
        for _ in 0..<n {
            guard !atEnd else { return "escape sequence not terminated" }
            let d = PromQLByte.digitValue(bytes[pos])
            guard d < base else {
                return "illegal character \(quoteRune(at: pos, unicodeForm: true)) in escape sequence"
            }
            x = x * base + d
            pos += 1
        }
        if x > max || (0xD800...0xDFFF).contains(x) { return "escape sequence is an invalid Unicode code point" }
        return nil
    }

    private mutating func lexRawString(start: Int) -> Token {
        while true {
            guard !atEnd else { return fail(start, "unterminated raw string") }
            let c = bytes[pos]
            pos += 1
            if c == UInt8(ascii: "`") { return Token(.string, start, pos) }
        }
    }

    /// The rune at `index` in Go's `%q` form (`'x'`), or `%#U` form (`U+0078 'x'`) when `unicodeForm` is set.
    private func quoteRune(at index: Int, unicodeForm: Bool = false) -> String {
        // Go's lexer returns the invalid rune -1 at the end of input, which %q prints as U+FFFD.
        guard index < bytes.count else { return unicodeForm ? "U+FFFFFFFF '\u{FFFD}'" : "'\u{FFFD}'" }
        var len = 1
        let b = bytes[index]
        if b >= 0xF0 { len = 4 } else if b >= 0xE0 { len = 3 } else if b >= 0xC0 { len = 2 }
        let text = String(decoding: bytes[index..<min(index + len, bytes.count)], as: UTF8.self)
        let quoted = GoString.quoteRune(text)
        guard unicodeForm, let scalar = text.unicodeScalars.first else { return quoted }
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + " " + quoted
    }
}
