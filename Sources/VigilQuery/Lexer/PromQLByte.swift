/// Byte classes of the PromQL lexer (ASCII only, as Prometheus's `isAlpha`, `isDigit` and `isSpace`).
enum PromQLByte {
    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    @inline(__always) static func isHexDigit(_ c: UInt8) -> Bool {
        isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)
    }

    @inline(__always) static func isAlpha(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "_") || (c >= 97 && c <= 122) || (c >= 65 && c <= 90)
    }

    @inline(__always) static func isAlphaNumeric(_ c: UInt8) -> Bool { isAlpha(c) || isDigit(c) }

    @inline(__always) static func isSpace(_ c: UInt8) -> Bool {
        c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r")
    }

    /// The value of a hex digit, or 99 for any other byte.
    @inline(__always) static func digitValue(_ c: UInt8) -> UInt32 {
        if isDigit(c) { return UInt32(c - 48) }
        if c >= 97 && c <= 102 { return UInt32(c - 87) }
        if c >= 65 && c <= 70 { return UInt32(c - 55) }
        return 99
    }
}
