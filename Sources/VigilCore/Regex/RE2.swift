import CRE2

/// A compiled RE2 regular expression (linear-time, RE2 syntax as PromQL and Alertmanager use).
public final class RE2: @unchecked Sendable {
    private let handle: OpaquePointer
    /// The pattern as written.
    public let pattern: String

    /// Compiles `pattern`; throws `RegexError` naming the pattern and RE2's message.
    public init(_ pattern: String) throws(RegexError) {
        var err = [CChar](repeating: 0, count: 256)
        var utf8 = Array(pattern.utf8)
        utf8.append(0)
        let h = utf8.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                vigil_re2_new($0, buf.count - 1, &err, err.count)
            }
        }
        guard let h else {
            let message = String(decoding: err.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw RegexError(pattern: pattern, message: message)
        }
        self.handle = h
        self.pattern = pattern
    }

    /// Compiles `^(?:pattern)$`, the fully anchored form PromQL and Alertmanager use.
    public static func anchored(_ pattern: String) throws(RegexError) -> RE2 {
        do {
            return try RE2("^(?:" + pattern + ")$")
        } catch {
            throw RegexError(pattern: pattern, message: error.message)
        }
    }

    deinit { vigil_re2_free(handle) }

    /// True when the whole of `text` matches.
    public func fullMatch(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { buf in
            buf.withMemoryRebound(to: CChar.self) { vigil_re2_full_match(handle, $0.baseAddress, $0.count) == 1 }
        }
    }

    /// True when some part of `text` matches.
    public func partialMatch(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { buf in
            buf.withMemoryRebound(to: CChar.self) { vigil_re2_partial_match(handle, $0.baseAddress, $0.count) == 1 }
        }
    }

    /// Number of capturing groups.
    public var groupCount: Int { Int(vigil_re2_groups(handle)) }

    /// The name of each capturing group by number (`(?P<name>…)`), index 0 for the whole match; "" when unnamed.
    public var groupNames: [String] {
        [""] + (0..<groupCount).map { i in
            vigil_re2_group_name(handle, Int32(i + 1)).map { String(cString: $0) } ?? ""
        }
    }

    /// Captures of a full match: index 0 is the whole match; nil for groups that did not take part.
    public func fullMatchGroups(_ text: String) -> [Substring?]? {
        matchGroups(text, from: 0, anchored: true)?.groups
    }

    /// The first match at or after byte offset `from`: its captures and the byte range of group 0.
    public func firstMatch(in text: String, from: Int = 0) -> (groups: [Substring?], range: Range<Int>)? {
        matchGroups(text, from: from, anchored: false)
    }

    private func matchGroups(_ text: String, from: Int, anchored: Bool) -> (groups: [Substring?], range: Range<Int>)? {
        let n = groupCount
        var starts = [Int](repeating: -1, count: n + 1)
        var ends = [Int](repeating: -1, count: n + 1)
        var copy = text
        let ok = copy.withUTF8 { buf in
            buf.withMemoryRebound(to: CChar.self) { cbuf in
                starts.withUnsafeMutableBufferPointer { sp in
                    ends.withUnsafeMutableBufferPointer { ep in
                        anchored
                            ? vigil_re2_full_match_groups(handle, cbuf.baseAddress, cbuf.count, sp.baseAddress,
                                                          ep.baseAddress, Int32(n))
                            : vigil_re2_search_groups(handle, cbuf.baseAddress, cbuf.count, from, sp.baseAddress,
                                                      ep.baseAddress, Int32(n))
                    }
                }
            }
        }
        guard ok == 1 else { return nil }
        let utf8 = text.utf8
        var groups: [Substring?] = []
        for i in 0...n {
            if starts[i] < 0 {
                groups.append(nil)
            } else {
                let s = utf8.index(utf8.startIndex, offsetBy: starts[i])
                let e = utf8.index(utf8.startIndex, offsetBy: ends[i])
                groups.append(text[s..<e])
            }
        }
        return (groups, starts[0]..<ends[0])
    }
}

/// A regular expression that did not compile.
public struct RegexError: Error, Sendable, CustomStringConvertible {
    public var pattern: String
    public var message: String
    public var description: String { "invalid regular expression \"\(pattern)\": \(message)" }
}
