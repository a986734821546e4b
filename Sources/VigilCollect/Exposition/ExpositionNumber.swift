#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import VigilCore

/// Number parsing for the exposition formats: Go's `strconv.ParseFloat` and `ParseInt` on raw bytes.
enum ExpositionNumber {
    private static let pow10: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22,
    ]

    /// Parses `p[start..<end]` as Go's `ParseFloat(s, 64)` does; nil when it is not a float or overflows.
    ///
    /// Decimal numbers with up to 15 significant digits and a small exponent take an exact fast path
    /// (Clinger's); others go through `strtod`.
    /// - Complexity: O(end - start).
    @inline(__always)
    static func parseFloat(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var j = start
        guard j < end else { return nil }
        var negative = false
        if p[j] == UInt8(ascii: "+") || p[j] == UInt8(ascii: "-") {
            negative = p[j] == UInt8(ascii: "-")
            j += 1
            guard j < end else { return nil }
        }
        let first = p[j] | 0x20
        if first == UInt8(ascii: "i") || first == UInt8(ascii: "n") {
            return special(p, j, end).map { negative ? -$0 : $0 }
        }
        if p[j] == UInt8(ascii: "0"), j + 1 < end, p[j + 1] | 0x20 == UInt8(ascii: "x") {
            return hex(p, start, j + 2, end)
        }

        var mantissa: UInt64 = 0
        var digits = 0
        var sawDigits = false
        var sawPoint = false
        var exp10 = 0
        var trunc = false
        while j < end {
            let c = p[j]
            if c >= 48 && c <= 57 {
                sawDigits = true
                if c == 48 && digits == 0 {
                    if sawPoint { exp10 -= 1 }
                } else if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(c - 48)
                    digits += 1
                    if sawPoint { exp10 -= 1 }
                } else {
                    trunc = true
                    if !sawPoint { exp10 += 1 }
                }
            } else if c == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
            } else {
                break
            }
            j += 1
        }
        guard sawDigits else { return nil }
        if j < end {
            guard p[j] | 0x20 == UInt8(ascii: "e") else { return nil }
            j += 1
            guard j < end else { return nil }
            var expNegative = false
            if p[j] == UInt8(ascii: "+") || p[j] == UInt8(ascii: "-") {
                expNegative = p[j] == UInt8(ascii: "-")
                j += 1
            }
            guard j < end else { return nil }
            var e = 0
            while j < end {
                let c = p[j]
                guard c >= 48 && c <= 57 else { return nil }
                if e < 100_000 { e = e * 10 + Int(c - 48) }
                j += 1
            }
            exp10 += expNegative ? -e : e
        }
        if !trunc && mantissa < (1 << 53) && exp10 >= -22 && exp10 <= 22 {
            var v = Double(mantissa)
            if exp10 < 0 { v /= pow10[-exp10] } else { v *= pow10[exp10] }
            return negative ? -v : v
        }
        return slow(p, start, end)
    }

    /// `inf`, `infinity` or `nan`, any case, at `p[j..<end]`.
    private static func special(_ p: UnsafeBufferPointer<UInt8>, _ j: Int, _ end: Int) -> Double? {
        func matches(_ word: StaticString) -> Bool {
            guard end - j == word.utf8CodeUnitCount else { return false }
            let w = word.utf8Start
            for k in 0..<word.utf8CodeUnitCount where p[j + k] | 0x20 != w[k] { return false }
            return true
        }
        if matches("inf") || matches("infinity") { return .infinity }
        if matches("nan") { return .nan }
        return nil
    }

    /// A Go hex float (`0x1.8p3`): hex digits, an optional point and a required `p` exponent.
    private static func hex(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ body: Int, _ end: Int) -> Double? {
        var j = body
        var sawDigits = false
        var sawPoint = false
        while j < end {
            let c = p[j] | 0x20
            if (c >= 48 && c <= 57) || (c >= 97 && c <= 102) {
                sawDigits = true
            } else if c == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
            } else {
                break
            }
            j += 1
        }
        guard sawDigits, j < end, p[j] | 0x20 == UInt8(ascii: "p") else { return nil }
        j += 1
        if j < end && (p[j] == UInt8(ascii: "+") || p[j] == UInt8(ascii: "-")) { j += 1 }
        guard j < end else { return nil }
        while j < end {
            guard p[j] >= 48 && p[j] <= 57 else { return nil }
            j += 1
        }
        return slow(p, start, end)
    }

    /// `strtod` on a NUL-terminated copy of an already validated token; nil on overflow.
    private static func slow(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        let n = end - start
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buf -> Double? in
            for k in 0..<n { buf[k] = CChar(bitPattern: p[start + k]) }
            buf[n] = 0
            var endPtr: UnsafeMutablePointer<CChar>?
            let v = strtod(buf.baseAddress!, &endPtr)
            guard let endPtr, endPtr - buf.baseAddress! == n, v.isFinite else { return nil }
            return v
        }
    }

    /// Parses `p[start..<end]` as Go's `ParseInt(s, 10, 64)`.
    @inline(__always)
    static func parseInt(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int64? {
        var j = start
        guard j < end else { return nil }
        var negative = false
        if p[j] == UInt8(ascii: "+") || p[j] == UInt8(ascii: "-") {
            negative = p[j] == UInt8(ascii: "-")
            j += 1
        }
        guard j < end else { return nil }
        var v: UInt64 = 0
        while j < end {
            let c = p[j]
            guard c >= 48 && c <= 57 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(c - 48))
            guard !o1, !o2 else { return nil }
            v = s
            j += 1
        }
        if negative {
            guard v <= UInt64(Int64.max) + 1 else { return nil }
            return v == UInt64(Int64.max) + 1 ? Int64.min : -Int64(v)
        }
        guard v <= UInt64(Int64.max) else { return nil }
        return Int64(v)
    }

    /// Prometheus's `formatOpenMetricsFloat`: Go `'g'` shortest digits with `.0` added to integers.
    ///
    /// Prometheus 3 normalises `le` and `quantile` label values this way so `le="1"` and `le="1.0"` are one series.
    static func openMetricsFloat(_ v: Double) -> String {
        if v == 1 { return "1.0" }
        if v == 0 { return "0.0" }
        if v == -1 { return "-1.0" }
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        var s = goShortestG(v)
        if !s.utf8.contains(UInt8(ascii: ".")) && !s.utf8.contains(UInt8(ascii: "e")) { s += ".0" }
        return s
    }

    /// Go's `strconv.FormatFloat(v, 'g', -1, 64)` for finite non-zero `v`: shortest digits, exponent form when the
    /// decimal exponent is below -4 or at least 6 (`1e+06`, `1.5e-07`), plain otherwise.
    static func goShortestG(_ v: Double) -> String {
        // Swift's description has the same shortest round-trip digits; only the layout differs.
        var digits: [UInt8] = []
        digits.reserveCapacity(24)
        var pointPos = 0
        var seenPoint = false
        var exp10 = 0
        var expNegative = false
        var inExp = false
        for c in v.magnitude.description.utf8 {
            if inExp {
                if c == UInt8(ascii: "-") { expNegative = true } else if c >= 48 && c <= 57 {
                    exp10 = exp10 * 10 + Int(c - 48)
                }
            } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                inExp = true
            } else if c == UInt8(ascii: ".") {
                seenPoint = true
            } else {
                digits.append(c)
                if !seenPoint { pointPos += 1 }
            }
        }
        if expNegative { exp10 = -exp10 }
        var lead = 0
        while lead < digits.count - 1 && digits[lead] == 48 { lead += 1 }
        if lead > 0 {
            digits.removeFirst(lead)
            pointPos -= lead
        }
        while digits.count > 1 && digits.last == 48 { digits.removeLast() }
        let dp = pointPos + exp10
        let x = dp - 1
        var out: [UInt8] = v < 0 ? [UInt8(ascii: "-")] : []
        out.reserveCapacity(digits.count + 8)
        if x < -4 || x >= 6 {
            out.append(digits[0])
            if digits.count > 1 {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: digits[1...])
            }
            out.append(UInt8(ascii: "e"))
            out.append(x < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            let a = abs(x)
            if a < 10 { out.append(48) }
            out.append(contentsOf: String(a).utf8)
        } else if dp <= 0 {
            out.append(contentsOf: [48, UInt8(ascii: ".")])
            out.append(contentsOf: repeatElement(48, count: -dp))
            out.append(contentsOf: digits)
        } else if dp >= digits.count {
            out.append(contentsOf: digits)
            out.append(contentsOf: repeatElement(48, count: dp - digits.count))
        } else {
            out.append(contentsOf: digits[..<dp])
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: digits[dp...])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
