/// Which kinds of variable a line's tokens are masked for before mining.
public struct LogMasking: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    /// Creates a set from its raw bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Dotted IPv4 addresses (`10.0.0.1`), also when numbers are not masked.
    public static let ips = LogMasking(rawValue: 1 << 0)
    /// Integers, signed integers and the numeric parts of dotted or dashed words (`core.1234`, `node-12`).
    public static let numbers = LogMasking(rawValue: 1 << 1)
    /// `0x` hex and runs of eight or more hex digits that contain a digit.
    public static let hex = LogMasking(rawValue: 1 << 2)
    /// UUIDs in 8-4-4-4-12 form.
    public static let uuids = LogMasking(rawValue: 1 << 3)
    /// Absolute paths of at least two components (`/var/log/syslog`).
    public static let paths = LogMasking(rawValue: 1 << 4)
    /// Durations such as `250ms`, `1.5s`, `3h`.
    public static let durations = LogMasking(rawValue: 1 << 5)
    /// Every kind.
    public static let all: LogMasking = [.ips, .numbers, .hex, .uuids, .paths, .durations]
}

/// The byte that stands for a variable inside masked tokens and templates (rendered as `<*>`).
public let logVariableByte: UInt8 = 0

/// Turns a raw line into masked tokens; training and matching both go through here (case C15).
///
/// A line is trimmed of surrounding whitespace (including `\r\n`) and split on runs of ASCII whitespace.
/// Each token is cut into fields at strong delimiters (`=:,;()[]{}"'|<>`); a field is masked whole when it
/// is a path, UUID or duration, and otherwise its digit-bearing parts (between `.`, `/`, `@`, `#`, `+` and
/// a `-` that follows a letter or digit) are masked when they are numbers or hex.
public struct LogTokenizer: Sendable {
    /// The kinds of variable masked.
    public var masking: LogMasking

    /// Creates a tokenizer masking the given kinds.
    public init(masking: LogMasking = .all) { self.masking = masking }

    /// Calls `body` with each masked token of `line`, in order.
    /// - Complexity: O(n) in the line's length.
    public func forEachToken(
        _ line: UnsafeBufferPointer<UInt8>, scratch: inout [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> Void
    ) {
        var i = 0
        let n = line.count
        while i < n {
            while i < n && Self.isSpace(line[i]) { i += 1 }
            if i >= n { break }
            let start = i
            var plain = true
            while i < n && !Self.isSpace(line[i]) {
                let c = line[i]
                if Self.isDigit(c) || c == UInt8(ascii: "/") { plain = false }
                i += 1
            }
            if plain {
                // Without digits or slashes no mask applies: the token is its own masked form.
                body(UnsafeBufferPointer(rebasing: line[start..<i]))
                continue
            }
            scratch.removeAll(keepingCapacity: true)
            maskToken(UnsafeBufferPointer(rebasing: line[start..<i]), into: &scratch)
            scratch.withUnsafeBufferPointer { body($0) }
        }
    }

    /// The masked tokens of `line` as byte arrays (convenience for tests and small inputs).
    public func tokens(_ line: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var scratch: [UInt8] = []
        line.withUnsafeBufferPointer { buf in forEachToken(buf, scratch: &scratch) { out.append(Array($0)) } }
        return out
    }

    /// True for the whitespace that separates tokens (NUL counts too, so it never reaches a template).
    @inline(__always) static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || (c >= 0x09 && c <= 0x0D) || c == 0
    }

    /// True for the delimiters that cut a token into fields.
    @inline(__always) static func isStrong(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "("),
            UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"),
            UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "|"), UInt8(ascii: "<"), UInt8(ascii: ">"):
            return true
        default:
            return false
        }
    }

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    @inline(__always) static func isAlnum(_ c: UInt8) -> Bool {
        isDigit(c) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A)
    }
    @inline(__always) static func isHex(_ c: UInt8) -> Bool {
        isDigit(c) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x66)
    }

    func maskToken(_ tok: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        var start = 0
        for i in 0..<tok.count where Self.isStrong(tok[i]) {
            maskField(UnsafeBufferPointer(rebasing: tok[start..<i]), into: &out)
            out.append(tok[i])
            start = i + 1
        }
        maskField(UnsafeBufferPointer(rebasing: tok[start..<tok.count]), into: &out)
        Self.collapseVariables(&out, from: 0)
    }

    func maskField(_ f: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        if f.isEmpty { return }
        if masking.contains(.paths) && f[0] == UInt8(ascii: "/") && f.count(where: { $0 == UInt8(ascii: "/") }) >= 2 {
            out.append(logVariableByte)
            return
        }
        guard f.contains(where: Self.isDigit) else {
            out.append(contentsOf: f)
            return
        }
        if (masking.contains(.uuids) && Self.isUUID(f)) || (masking.contains(.durations) && Self.isDuration(f))
            || (masking.contains(.ips) && Self.isIPv4(f)) {
            out.append(logVariableByte)
            return
        }
        let base = out.count
        var start = 0
        for i in 0..<f.count {
            let c = f[i]
            let sep = c == UInt8(ascii: ".") || c == UInt8(ascii: "/") || c == UInt8(ascii: "@")
                || c == UInt8(ascii: "#") || c == UInt8(ascii: "+")
                || (c == UInt8(ascii: "-") && i > 0 && Self.isAlnum(f[i - 1]))
            if sep {
                maskPart(UnsafeBufferPointer(rebasing: f[start..<i]), into: &out)
                out.append(c)
                start = i + 1
            }
        }
        maskPart(UnsafeBufferPointer(rebasing: f[start..<f.count]), into: &out)
        Self.collapseVariables(&out, from: base)
        // A field left as variables joined by separators (`/<*>`, `<*>-<*>`) is one variable.
        guard out[base...].contains(logVariableByte) else { return }
        var hasVar = false
        var onlySeparators = true
        for c in out[base...] {
            if c == logVariableByte { hasVar = true; continue }
            switch c {
            case UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "@"), UInt8(ascii: "#"), UInt8(ascii: "+"),
                UInt8(ascii: "-"):
                continue
            default:
                onlySeparators = false
            }
        }
        if hasVar && onlySeparators {
            out.removeLast(out.count - base)
            out.append(logVariableByte)
        }
    }

    func maskPart(_ p: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        guard p.contains(where: Self.isDigit) else {
            out.append(contentsOf: p)
            return
        }
        if masking.contains(.numbers) && Self.isNumber(p) {
            out.append(logVariableByte)
            return
        }
        if masking.contains(.hex) && Self.isHexRun(p) {
            out.append(logVariableByte)
            return
        }
        if masking.contains(.numbers) && p.contains(UInt8(ascii: "_")) {
            // An identifier with a numeric piece (`blk_-123`, `attempt_12_0001`) is an id.
            var start = 0
            for i in 0...p.count where i == p.count || p[i] == UInt8(ascii: "_") {
                if i > start && Self.isNumber(UnsafeBufferPointer(rebasing: p[start..<i])) {
                    out.append(logVariableByte)
                    return
                }
                start = i + 1
            }
        }
        out.append(contentsOf: p)
    }

    /// `[-+]?[0-9]+`
    static func isNumber(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if i < p.count && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) { i += 1 }
        if i >= p.count { return false }
        while i < p.count {
            if !isDigit(p[i]) { return false }
            i += 1
        }
        return true
    }

    /// `0x[0-9a-fA-F]+` or `[0-9a-fA-F]{8,}`
    static func isHexRun(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        var prefixed = false
        if p.count > 2 && p[0] == UInt8(ascii: "0") && p[1] | 0x20 == UInt8(ascii: "x") {
            i = 2
            prefixed = true
        }
        if !prefixed && p.count < 8 { return false }
        while i < p.count {
            if !isHex(p[i]) { return false }
            i += 1
        }
        return true
    }

    /// 8-4-4-4-12 hex digits.
    static func isUUID(_ f: UnsafeBufferPointer<UInt8>) -> Bool {
        guard f.count == 36 else { return false }
        for i in 0..<36 {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                if f[i] != UInt8(ascii: "-") { return false }
            } else if !isHex(f[i]) {
                return false
            }
        }
        return true
    }

    /// Four dot-separated groups of one to three digits.
    static func isIPv4(_ f: UnsafeBufferPointer<UInt8>) -> Bool {
        var groups = 0
        var digits = 0
        for c in f {
            if isDigit(c) {
                digits += 1
                if digits > 3 { return false }
            } else if c == UInt8(ascii: ".") {
                if digits == 0 { return false }
                groups += 1
                digits = 0
            } else {
                return false
            }
        }
        return groups == 3 && digits > 0
    }

    /// A decimal number followed by a time unit (`ns us µs ms s m h d`).
    static func isDuration(_ f: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < f.count && isDigit(f[i]) { i += 1 }
        if i == 0 { return false }
        if i < f.count && f[i] == UInt8(ascii: ".") {
            i += 1
            let s = i
            while i < f.count && isDigit(f[i]) { i += 1 }
            if i == s { return false }
        }
        let rest = f.count - i
        let a: UInt8 = rest > 0 ? f[i] : 0
        let b: UInt8 = rest > 1 ? f[i + 1] : 0
        let c: UInt8 = rest > 2 ? f[i + 2] : 0
        switch rest {
        case 1:
            return a == UInt8(ascii: "s") || a == UInt8(ascii: "m") || a == UInt8(ascii: "h") || a == UInt8(ascii: "d")
        case 2:
            return b == UInt8(ascii: "s")
                && (a == UInt8(ascii: "n") || a == UInt8(ascii: "u") || a == UInt8(ascii: "m"))
        case 3:
            // `µs` is two bytes of UTF-8 and an `s`; `sec` and `min` spelled out.
            return (a == 0xC2 && b == 0xB5 && c == UInt8(ascii: "s"))
                || (a == UInt8(ascii: "s") && b == UInt8(ascii: "e") && c == UInt8(ascii: "c"))
                || (a == UInt8(ascii: "m") && b == UInt8(ascii: "i") && c == UInt8(ascii: "n"))
        default:
            return false
        }
    }

    /// Collapses `<*>.<*>` and `<*><*>` into one variable from `base` on.
    static func collapseVariables(_ out: inout [UInt8], from base: Int) {
        guard out.count - base >= 2, out[base...].contains(logVariableByte) else { return }
        var w = base
        var r = base
        while r < out.count {
            let c = out[r]
            if c == logVariableByte && w > base && out[w - 1] == logVariableByte {
                r += 1
                continue
            }
            if c == logVariableByte && w - base >= 2 && out[w - 1] == UInt8(ascii: ".")
                && out[w - 2] == logVariableByte
            {
                w -= 1
                r += 1
                continue
            }
            out[w] = c
            w += 1
            r += 1
        }
        if w < out.count { out.removeLast(out.count - w) }
    }
}
