/// A header layout inferred from the classes of a line's first tokens (`--header auto` when no built-in layout
/// fits): timestamps and numbers, levels, month and day names, bracketed fields, lone dashes, then optionally
/// one `component:` token.
struct HeaderShape: Sendable, Hashable {
    enum TokenClass: UInt8, Sendable {
        case number, level, calendar, bracket, dash, component

        var letter: Character {
            switch self {
            case .number: return "N"
            case .level: return "L"
            case .calendar: return "M"
            case .bracket: return "B"
            case .dash: return "D"
            case .component: return "C"
            }
        }
    }

    var classes: [TokenClass]

    /// The shape's name, e.g. `inferred:NNLC`.
    var name: String { "inferred:" + String(classes.map(\.letter)) }

    /// True when the shape has a timestamp, number or level (a header worth splitting).
    var isHeader: Bool { classes.contains { $0 == .number || $0 == .level || $0 == .calendar } }

    private static let levels: Set<String> = [
        "TRACE", "DEBUG", "INFO", "NOTICE", "WARN", "WARNING", "ERROR", "ERR", "FATAL", "CRITICAL", "SEVERE",
        "V", "D", "I", "W", "E", "F",
    ]
    private static let calendar: Set<String> = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
        "MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN",
    ]

    /// The class of a header token, or nil when the token cannot be part of a header.
    static func classify(_ tok: Substring) -> TokenClass? {
        if tok == "-" || tok == "|" { return .dash }
        var hasDigit = false
        var numeric = true
        for c in tok.utf8 {
            if c >= 0x30 && c <= 0x39 {
                hasDigit = true
            } else if !":./,-_TZ+[]()".utf8.contains(c) {
                numeric = false
                break
            }
        }
        if hasDigit && numeric { return .number }
        let bare = tok.trimmingPrefixAndSuffix()
        if levels.contains(bare.uppercased()) && (bare.count > 1 || tok.count == 1) { return .level }
        if calendar.contains(bare.uppercased()) { return .calendar }
        if tok.count >= 2, let f = tok.first, let l = tok.last,
            (f == "[" && l == "]") || (f == "(" && l == ")") || (f == "<" && l == ">")
        {
            return .bracket
        }
        return nil
    }

    static func isComponent(_ tok: Substring) -> Bool {
        tok.count > 1 && tok.last == ":" && !tok.contains("//")
    }

    /// The first header tokens of a line (at most 12): whitespace-separated, except that a token opening `[`
    /// runs to the token that closes it (`[RMCommunicator Allocator]` is one token), within eight tokens.
    static func tokens(_ line: String) -> [Substring] {
        var out: [Substring] = []
        var i = line.startIndex
        while out.count < 12 {
            while i < line.endIndex && line[i] == " " { i = line.index(after: i) }
            guard i < line.endIndex else { break }
            var j = i
            while j < line.endIndex && line[j] != " " { j = line.index(after: j) }
            if line[i] == "[" && line[line.index(before: j)] != "]" {
                var k = j
                var words = 1
                while k < line.endIndex && words < 8 {
                    var m = k
                    while m < line.endIndex && line[m] == " " { m = line.index(after: m) }
                    var e = m
                    while e < line.endIndex && line[e] != " " { e = line.index(after: e) }
                    if e == m { break }
                    words += 1
                    k = e
                    if line[line.index(before: e)] == "]" {
                        j = e
                        break
                    }
                }
            }
            out.append(line[i..<j])
            i = j
        }
        return out
    }

    /// The greedy shape of a line's header.
    static func shape(of line: String) -> HeaderShape {
        var classes: [TokenClass] = []
        for tok in tokens(line) {
            if let c = classify(tok) {
                classes.append(c)
            } else {
                if !classes.isEmpty && isComponent(tok) { classes.append(.component) }
                break
            }
        }
        return HeaderShape(classes: classes)
    }

    /// The content and level of a line whose first tokens have this shape; nil otherwise.
    func split(_ line: String) -> (content: Substring, level: String?)? {
        let toks = Self.tokens(line)
        guard toks.count >= classes.count else { return nil }
        var level: String?
        for (cls, tok) in zip(classes, toks) {
            if cls == .component {
                guard Self.isComponent(tok) else { return nil }
            } else {
                guard Self.classify(tok) == cls else { return nil }
                if cls == .level { level = LogHeaderLayout.normalisedLevel(tok.trimmingPrefixAndSuffix()) }
            }
        }
        var i = classes.isEmpty ? line.startIndex : toks[classes.count - 1].endIndex
        while i < line.endIndex && line[i] == " " { i = line.index(after: i) }
        return (line[i...], level)
    }
}

extension Substring {
    /// The token without surrounding brackets, colons and commas (`[INFO]` → `INFO`, `Info,` → `Info`).
    fileprivate func trimmingPrefixAndSuffix() -> Substring {
        var s = self
        while let f = s.first, "[(<".contains(f) { s = s.dropFirst() }
        while let l = s.last, "])>:,".contains(l) { s = s.dropLast() }
        return s
    }
}
