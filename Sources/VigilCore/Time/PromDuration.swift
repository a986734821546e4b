/// Prometheus durations (`1h30m`, `5m`, `500ms`, `2w`) held in milliseconds.
public enum PromDuration {
    private static let units: [(String, Int64)] = [
        ("y", 365 * 24 * 3_600_000), ("w", 7 * 24 * 3_600_000), ("d", 24 * 3_600_000), ("h", 3_600_000),
        ("m", 60_000), ("s", 1_000), ("ms", 1),
    ]

    /// Parses a Prometheus duration into milliseconds; units must appear largest first, each at most once.
    public static func parse(_ text: String) throws(DurationError) -> Int64 {
        if text == "0" { return 0 }
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw DurationError(text: text) }
        var i = 0
        var total: Int64 = 0
        var lastUnit = -1
        while i < bytes.count {
            var n: Int64 = 0
            let start = i
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                let (m, o1) = n.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(bytes[i] - 48))
                if o1 || o2 { throw DurationError(text: text) }
                n = a
                i += 1
            }
            guard i > start else { throw DurationError(text: text) }
            var unitIndex = -1
            if i + 1 < bytes.count, bytes[i] == UInt8(ascii: "m"), bytes[i + 1] == UInt8(ascii: "s") {
                unitIndex = 6
                i += 2
            } else if i < bytes.count {
                switch bytes[i] {
                case UInt8(ascii: "y"): unitIndex = 0
                case UInt8(ascii: "w"): unitIndex = 1
                case UInt8(ascii: "d"): unitIndex = 2
                case UInt8(ascii: "h"): unitIndex = 3
                case UInt8(ascii: "m"): unitIndex = 4
                case UInt8(ascii: "s"): unitIndex = 5
                default: break
                }
                if unitIndex >= 0 { i += 1 }
            }
            guard unitIndex > lastUnit else { throw DurationError(text: text) }
            lastUnit = unitIndex
            let (v, o) = n.multipliedReportingOverflow(by: units[unitIndex].1)
            if o { throw DurationError(text: text) }
            total += v
        }
        return total
    }

    /// Formats milliseconds as Prometheus does (`1h30m`, `5m`, `0s`, `1d`, `1w`, `1y`, `100ms`).
    public static func format(_ ms: Int64) -> String {
        if ms == 0 { return "0s" }
        var out = ms < 0 ? "-" : ""
        var rest = ms.magnitude
        for (name, size) in units {
            let s = UInt64(size)
            if rest >= s {
                let n = rest / s
                out += "\(n)\(name)"
                rest -= n * s
            }
        }
        return out
    }
}

/// A duration string that is not a Prometheus duration.
public struct DurationError: Error, Sendable, CustomStringConvertible {
    public var text: String
    public var description: String { "not a valid duration string: \"\(text)\"" }
}
