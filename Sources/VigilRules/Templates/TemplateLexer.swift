import Foundation

/// Tokens inside a `{{ }}` action.
enum TemplateToken: Equatable, Sendable {
    case identifier(String)
    case field(String)
    case variable(String)
    case dot
    case string(String)
    case number(String)
    case char(Int)
    case declare
    case assign
    case pipe
    case leftParen
    case rightParen
    case comma
}

/// A token with its position and whether whitespace preceded it (Go chains `.a.b` only without spaces).
struct LexedToken: Sendable {
    var token: TemplateToken
    var pos: TemplatePos
    var spaceBefore: Bool
    /// The token as written.
    var raw: String
}

/// One piece of template source: literal text, or the tokens of one action.
enum TemplateItem: Sendable {
    case text(String)
    case action([LexedToken], TemplatePos, source: String)
}

/// Splits template text into text and action items, handling `{{-`/`-}}` trimming and comments.
struct TemplateLexer {
    let bytes: [UInt8]
    let name: String
    var i = 0
    var line = 1
    var lineStart = 0

    init(_ text: String, name: String) {
        bytes = Array(text.utf8)
        self.name = name
    }

    func error(_ message: String, line: Int? = nil) -> TemplateError {
        .parse(name: name, line: line ?? self.line, message: message)
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 }

    private func has(_ s: String, at p: Int) -> Bool {
        let u = Array(s.utf8)
        guard p + u.count <= bytes.count else { return false }
        for k in 0..<u.count where bytes[p + k] != u[k] { return false }
        return true
    }

    private mutating func advance(to p: Int) {
        while i < p {
            if bytes[i] == 10 {
                line += 1
                lineStart = i + 1
            }
            i += 1
        }
    }

    /// Lexes the whole template.
    mutating func items() throws(TemplateError) -> [TemplateItem] {
        var out: [TemplateItem] = []
        var trimNextLeading = false
        while i < bytes.count {
            var textEnd = i
            while textEnd < bytes.count, !has("{{", at: textEnd) { textEnd += 1 }
            var textStart = i
            if trimNextLeading {
                while textStart < textEnd, Self.isSpace(bytes[textStart]) { textStart += 1 }
            }
            var trimmedEnd = textEnd
            let trimLeft = textEnd + 3 < bytes.count && bytes[textEnd + 2] == UInt8(ascii: "-")
                && Self.isSpace(bytes[textEnd + 3])
            if trimLeft {
                while trimmedEnd > textStart, Self.isSpace(bytes[trimmedEnd - 1]) { trimmedEnd -= 1 }
            }
            if trimmedEnd > textStart {
                out.append(.text(String(decoding: bytes[textStart..<trimmedEnd], as: UTF8.self)))
            }
            advance(to: textEnd)
            if i >= bytes.count { break }
            let actionLine = line
            advance(to: i + (trimLeft ? 3 : 2))
            if try skipComment(trimRight: &trimNextLeading) { continue }
            let start = i
            let pos = TemplatePos(line: line, column: i - lineStart + 1)
            let (tokens, trimRight, endStart) = try actionTokens(actionLine: actionLine)
            let source = String(decoding: bytes[start..<endStart], as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            out.append(.action(tokens, pos, source: source))
            trimNextLeading = trimRight
        }
        return out
    }

    /// Skips a `{{/* … */}}` comment when one starts here.
    private mutating func skipComment(trimRight: inout Bool) throws(TemplateError) -> Bool {
        var p = i
        while p < bytes.count, Self.isSpace(bytes[p]) { p += 1 }
        guard has("/*", at: p) else { return false }
        var q = p + 2
        while q < bytes.count, !has("*/", at: q) { q += 1 }
        guard q < bytes.count else { throw error("unclosed comment") }
        q += 2
        var r = q
        while r < bytes.count, Self.isSpace(bytes[r]) { r += 1 }
        if has("-}}", at: r), r > q {
            advance(to: r + 3)
            trimRight = true
        } else if has("}}", at: q) {
            advance(to: q + 2)
            trimRight = false
        } else {
            throw error("comment ends before closing delimiter")
        }
        return true
    }

    private static func isAlnum(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 || b >= 0x80
    }

    private mutating func actionTokens(actionLine: Int) throws(TemplateError)
        -> ([LexedToken], Bool, Int)
    {
        var tokens: [LexedToken] = []
        var space = true
        while true {
            guard i < bytes.count else { throw error("unclosed action", line: actionLine) }
            let b = bytes[i]
            if Self.isSpace(b) {
                if has(" -}}", at: i) || (Self.isSpace(b) && has("-}}", at: i + 1)) {
                    let end = i
                    advance(to: i + 4)
                    return (tokens, true, end)
                }
                advance(to: i + 1)
                space = true
                continue
            }
            if has("}}", at: i) {
                let end = i
                advance(to: i + 2)
                return (tokens, false, end)
            }
            let pos = TemplatePos(line: line, column: i - lineStart + 1)
            let start = i
            var tok: TemplateToken
            switch b {
            case UInt8(ascii: "|"): tok = .pipe; i += 1
            case UInt8(ascii: "("): tok = .leftParen; i += 1
            case UInt8(ascii: ")"): tok = .rightParen; i += 1
            case UInt8(ascii: ","): tok = .comma; i += 1
            case UInt8(ascii: "="): tok = .assign; i += 1
            case UInt8(ascii: ":"):
                guard has(":=", at: i) else { throw error("expected :=") }
                tok = .declare
                i += 2
            case UInt8(ascii: "\""): tok = .string(try quoted())
            case UInt8(ascii: "`"): tok = .string(try raw())
            case UInt8(ascii: "'"): tok = .char(try charConstant())
            case UInt8(ascii: "$"):
                i += 1
                while i < bytes.count, Self.isAlnum(bytes[i]) { i += 1 }
                tok = .variable(String(decoding: bytes[start..<i], as: UTF8.self))
            case UInt8(ascii: "."):
                if i + 1 < bytes.count, bytes[i + 1] >= 48, bytes[i + 1] <= 57 {
                    tok = .number(number())
                } else {
                    i += 1
                    while i < bytes.count, Self.isAlnum(bytes[i]) { i += 1 }
                    tok = i - start == 1 ? .dot : .field(String(decoding: bytes[(start + 1)..<i], as: UTF8.self))
                }
            case UInt8(ascii: "-"), UInt8(ascii: "+"), 48...57:
                tok = .number(number())
            default:
                guard Self.isAlnum(b) else {
                    throw error("unexpected \"\(String(decoding: [b], as: UTF8.self))\" in command")
                }
                while i < bytes.count, Self.isAlnum(bytes[i]) { i += 1 }
                tok = .identifier(String(decoding: bytes[start..<i], as: UTF8.self))
            }
            let raw = String(decoding: bytes[start..<i], as: UTF8.self)
            tokens.append(LexedToken(token: tok, pos: pos, spaceBefore: space, raw: raw))
            space = false
        }
    }

    private mutating func number() -> String {
        let start = i
        if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
        while i < bytes.count {
            let c = bytes[i]
            let isExpSign = (c == UInt8(ascii: "-") || c == UInt8(ascii: "+"))
                && (bytes[i - 1] == UInt8(ascii: "e") || bytes[i - 1] == UInt8(ascii: "E"))
                && !String(decoding: bytes[start..<i], as: UTF8.self).lowercased().contains("0x")
            if Self.isAlnum(c) || c == UInt8(ascii: ".") || isExpSign { i += 1 } else { break }
        }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    private mutating func quoted() throws(TemplateError) -> String {
        i += 1
        var out: [UInt8] = []
        while true {
            guard i < bytes.count, bytes[i] != 10 else { throw error("unterminated quoted string") }
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if c == UInt8(ascii: "\\"), i + 1 < bytes.count {
                i += 1
                switch bytes[i] {
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "a"): out.append(7)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "v"): out.append(11)
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): out.append(bytes[i])
                case UInt8(ascii: "x"):
                    guard i + 2 < bytes.count,
                        let v = UInt8(String(decoding: bytes[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)
                    else { throw error("invalid syntax") }
                    out.append(v)
                    i += 2
                case UInt8(ascii: "u"):
                    guard i + 4 < bytes.count,
                        let v = UInt32(String(decoding: bytes[(i + 1)...(i + 4)], as: UTF8.self), radix: 16),
                        let u = Unicode.Scalar(v)
                    else { throw error("invalid syntax") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                    i += 4
                default: throw error("invalid syntax")
                }
                i += 1
                continue
            }
            out.append(c)
            i += 1
        }
    }

    private mutating func raw() throws(TemplateError) -> String {
        i += 1
        let start = i
        while i < bytes.count, bytes[i] != UInt8(ascii: "`") { i += 1 }
        guard i < bytes.count else { throw error("unterminated raw quoted string") }
        let s = String(decoding: bytes[start..<i], as: UTF8.self)
        i += 1
        return s
    }

    private mutating func charConstant() throws(TemplateError) -> Int {
        i += 1
        let start = i
        while i < bytes.count, bytes[i] != UInt8(ascii: "'") { i += 1 }
        guard i < bytes.count else { throw error("unterminated character constant") }
        let s = String(decoding: bytes[start..<i], as: UTF8.self)
        i += 1
        guard let u = s.unicodeScalars.first, s.unicodeScalars.count == 1 else {
            throw error("malformed character constant: '\(s)'")
        }
        return Int(u.value)
    }
}
