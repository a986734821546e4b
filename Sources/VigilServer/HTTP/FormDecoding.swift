/// Decodes `application/x-www-form-urlencoded` text (`a=1&b=x+y&match[]=%7Bjob%3D%22a%22%7D`).
public enum FormDecoding {
    /// The key/value pairs of a form body in order, with `+` as space and `%XX` escapes decoded.
    public static func decode(_ bytes: [UInt8]) -> [(String, String)] {
        var out: [(String, String)] = []
        for part in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            if let eq = part.firstIndex(of: UInt8(ascii: "=")) {
                out.append((unescape(part[part.startIndex..<eq]), unescape(part[(eq + 1)...])))
            } else {
                out.append((unescape(part), ""))
            }
        }
        return out
    }

    /// Decodes a query string (`a=1&b=2`) the same way.
    public static func decode(_ text: String) -> [(String, String)] { decode(Array(text.utf8)) }

    /// Percent-decodes one component; `+` becomes a space, invalid escapes are kept literally.
    public static func unescape(_ bytes: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if b == UInt8(ascii: "%"), i + 2 < bytes.endIndex,
                      let hi = hex(bytes[i + 1]), let lo = hex(bytes[i + 2]) {
                out.append(hi << 4 | lo)
                i += 2
            } else {
                out.append(b)
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Percent-encodes a component for a URL query (`application/x-www-form-urlencoded` rules, space as `%20`).
    public static func escape(_ text: String) -> String {
        var out = ""
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                 UInt8(ascii: "~"):
                out.unicodeScalars.append(UnicodeScalar(b))
            default:
                let digits = Array("0123456789ABCDEF".utf8)
                out += "%"
                out.unicodeScalars.append(UnicodeScalar(digits[Int(b >> 4)]))
                out.unicodeScalars.append(UnicodeScalar(digits[Int(b & 15)]))
            }
        }
        return out
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
