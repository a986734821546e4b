import VigilCore

/// Parses Alertmanager matcher strings such as `severity="critical"`, `{env!~"dev|test", team=ops}`.
///
/// This follows Alertmanager's classic matcher syntax (`labels.ParseMatchers`): optional braces, matchers
/// separated by commas outside quotes, a label name, one of `=`, `!=`, `=~`, `!~`, and a value that is either
/// double-quoted (with `\"`, `\\` and `\n` escapes) or bare (trimmed). Quoted label names of the newer UTF-8
/// parser are not accepted yet.
public enum MatcherParser {
    /// Parses one line of a `matchers` list into its matchers; throws a message quoting the bad text.
    public static func parse(_ line: String) throws(NotifyError) -> [LabelMatcher] {
        var s = Substring(line.trimmingSpaces())
        if s.hasPrefix("{") { s = s.dropFirst() }
        if s.hasSuffix("}") { s = s.dropLast() }

        var tokens: [String] = []
        var token = ""
        var insideQuotes = false
        var escaped = false
        for ch in s {
            switch ch {
            case ",":
                if !insideQuotes {
                    tokens.append(token)
                    token = ""
                    continue
                }
            case "\"":
                if !escaped { insideQuotes.toggle() } else { escaped = false }
            case "\\":
                escaped.toggle()
            default:
                escaped = false
            }
            token.append(ch)
        }
        let last = token.trimmingSpaces()
        if !last.isEmpty { tokens.append(last) }

        var out: [LabelMatcher] = []
        for t in tokens { out.append(try parseOne(t)) }
        if out.isEmpty { throw NotifyError.badMatcher(line, "no matchers") }
        return out
    }

    /// Parses a single `name op value` matcher.
    public static func parseOne(_ text: String) throws(NotifyError) -> LabelMatcher {
        let chars = Array(text.trimmingSpaces())
        var i = 0
        while i < chars.count, isNameChar(chars[i], first: i == 0) { i += 1 }
        let name = String(chars[0..<i])
        guard !name.isEmpty else { throw NotifyError.badMatcher(text, "bad matcher format") }
        while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 }

        let rest = String(chars[i...])
        let kind: LabelMatcher.Kind
        if rest.hasPrefix("=~") { kind = .regexMatch } else if rest.hasPrefix("!=") { kind = .notEqual }
        else if rest.hasPrefix("!~") { kind = .regexNoMatch } else if rest.hasPrefix("=") { kind = .equal }
        else { throw NotifyError.badMatcher(text, "bad matcher format") }
        let rawValue = String(rest.dropFirst(kind.rawValue.count)).trimmingSpaces()
        let value = try unescape(rawValue, original: text)
        do {
            return try LabelMatcher(kind, name, value)
        } catch {
            throw NotifyError.badMatcher(text, "invalid regular expression: \(error)")
        }
    }

    private static func unescape(_ raw: String, original: String) throws(NotifyError) -> String {
        var chars = Array(raw)
        var expectTrailingQuote = false
        if chars.first == "\"" {
            chars.removeFirst()
            expectTrailingQuote = true
        }
        var value = ""
        var escaped = false
        for (i, ch) in chars.enumerated() {
            if escaped {
                escaped = false
                switch ch {
                case "n": value.append("\n")
                case "\"", "\\": value.append(ch)
                default: value.append("\\"); value.append(ch)
                }
                continue
            }
            switch ch {
            case "\\":
                if i < chars.count - 1 { escaped = true } else { value.append("\\") }
            case "\"":
                if !expectTrailingQuote || i < chars.count - 1 {
                    throw NotifyError.badMatcher(original, "matcher value contains unescaped double quote")
                }
                expectTrailingQuote = false
            default:
                value.append(ch)
            }
        }
        if expectTrailingQuote {
            throw NotifyError.badMatcher(original, "matcher value contains unescaped double quote")
        }
        return value
    }

    /// True for characters of a classic label name (`[a-zA-Z_:][a-zA-Z0-9_:]*`).
    static func isNameChar(_ c: Character, first: Bool) -> Bool {
        guard let a = c.asciiValue else { return false }
        if (a >= 65 && a <= 90) || (a >= 97 && a <= 122) || a == 95 || a == 58 { return true }
        return !first && a >= 48 && a <= 57
    }

    /// True when `name` is a valid classic label name.
    static func isValidLabelName(_ name: String) -> Bool {
        guard !name.isEmpty else { return false }
        for (i, c) in name.enumerated() where !isNameChar(c, first: i == 0) { return false }
        return true
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}
