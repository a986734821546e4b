import VigilCore

/// Go's `regexp.ReplaceAllString` over RE2: non-overlapping matches, `$1`/`${name}`/`$$` expansion.
enum RegexReplacer {
    static func replaceAll(_ re: RE2, in text: String, with template: String) -> String {
        let src = Array(text.utf8)
        var names: [String: Int] = [:]
        for (i, name) in re.groupNames.enumerated() where !name.isEmpty && names[name] == nil { names[name] = i }
        var out: [UInt8] = []
        var lastMatchEnd = 0
        var searchPos = 0
        while searchPos <= src.count {
            guard let m = re.firstMatch(in: text, from: searchPos) else { break }
            let (a, b) = (m.range.lowerBound, m.range.upperBound)
            out.append(contentsOf: src[lastMatchEnd..<a])
            if b > lastMatchEnd || a == 0 {
                out.append(contentsOf: Array(expand(template, groups: m.groups, names: names).utf8))
            }
            lastMatchEnd = b
            let width = searchPos < src.count ? runeWidth(src[searchPos]) : 1
            if searchPos + width > b {
                searchPos += width
            } else if searchPos + 1 > b {
                searchPos += 1
            } else {
                searchPos = b
            }
        }
        out.append(contentsOf: src[min(lastMatchEnd, src.count)...])
        return String(decoding: out, as: UTF8.self)
    }


    private static func runeWidth(_ lead: UInt8) -> Int {
        switch lead {
        case 0..<0x80: 1
        case 0xC0..<0xE0: 2
        case 0xE0..<0xF0: 3
        case 0xF0...: 4
        default: 1
        }
    }

    private static func isNameByte(_ c: Character) -> Bool {
        c == "_" || (c.isASCII && (c.isLetter || c.isNumber))
    }

    /// Go's `Regexp.Expand`: `$1`, `${1}`, `$name`, `${name}` and `$$`.
    static func expand(_ template: String, groups: [Substring?], names: [String: Int]) -> String {
        var out = ""
        var chars = template[...]
        while let dollar = chars.firstIndex(of: "$") {
            out += chars[..<dollar]
            chars = chars[chars.index(after: dollar)...]
            if chars.first == "$" {
                out += "$"
                chars = chars.dropFirst()
                continue
            }
            var name: Substring
            if chars.first == "{" {
                guard let close = chars.firstIndex(of: "}") else {
                    out += "$"
                    continue
                }
                name = chars[chars.index(after: chars.startIndex)..<close]
                guard !name.isEmpty, name.allSatisfy(isNameByte) else {
                    out += "$"
                    continue
                }
                chars = chars[chars.index(after: close)...]
            } else {
                name = chars.prefix(while: isNameByte)
                guard !name.isEmpty else {
                    out += "$"
                    continue
                }
                chars = chars.dropFirst(name.count)
            }
            let index = Int(name) ?? names[String(name)]
            if let n = index, n >= 0, n < groups.count, let g = groups[n] { out += g }
        }
        out += chars
        return out
    }
}
