import Foundation

/// Time helpers: Vigil keeps time as milliseconds since the Unix epoch.
public enum Timestamp {
    /// Now, in milliseconds since the epoch.
    public static func nowMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    /// Monotonic seconds, for measuring durations.
    public static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// RFC 3339 in UTC with fractional seconds only when non-zero, like Go's `time.RFC3339Nano`.
    public static func rfc3339(_ ms: Int64) -> String {
        var secs = time_t(ms >= 0 ? ms / 1000 : (ms - 999) / 1000)
        let frac = ms - Int64(secs) * 1000
        var tmv = tm()
        gmtime_r(&secs, &tmv)
        var s = String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d", Int(tmv.tm_year) + 1900, Int(tmv.tm_mon) + 1,
            Int(tmv.tm_mday), Int(tmv.tm_hour), Int(tmv.tm_min), Int(tmv.tm_sec))
        if frac != 0 {
            var f = String(format: "%03d", Int(frac))
            while f.hasSuffix("0") { f.removeLast() }
            s += "." + f
        }
        return s + "Z"
    }

    /// Parses an API time: Unix seconds with an optional fraction, or RFC 3339. Returns milliseconds.
    public static func parse(_ text: String) -> Int64? {
        if let d = Double(text), d.isFinite {
            return Int64((d * 1000).rounded())
        }
        return parseRFC3339(text)
    }

    /// Parses RFC 3339 (`2024-01-02T03:04:05.123Z`, `…+02:00`) into milliseconds.
    public static func parseRFC3339(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= b.count else { return nil }
            var n = 0
            for i in from..<(from + len) {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                n = n * 10 + Int(b[i] - 48)
            }
            return n
        }
        guard b.count >= 20, let year = num(0, 4), b[4] == 45, let mon = num(5, 2), b[7] == 45,
            let day = num(8, 2), b[10] == 84 || b[10] == 116 || b[10] == 32, let hour = num(11, 2), b[13] == 58,
            let minute = num(14, 2), b[16] == 58, let sec = num(17, 2)
        else { return nil }
        // Reject impossible dates as Go's time.Parse does, instead of rolling them over.
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(mon), day >= 1, day <= monthDays[mon - 1], hour < 24, minute < 60, sec < 60 else {
            return nil
        }
        var i = 19
        var millis = 0
        if i < b.count, b[i] == 46 {
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if digits < 3 { millis = millis * 10 + Int(b[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<3 where digits < 3 { millis *= 10 }
        }
        guard i < b.count else { return nil }
        var offset = 0
        if b[i] == 90 || b[i] == 122 {
            i += 1
        } else if b[i] == 43 || b[i] == 45 {
            guard let oh = num(i + 1, 2), b.count > i + 3, b[i + 3] == 58, let om = num(i + 4, 2), oh < 24, om < 60
            else { return nil }
            offset = (oh * 60 + om) * 60 * (b[i] == 45 ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = daysFromCivil(year, mon, day)
        let secs = Int64(days) * 86400 + Int64(hour * 3600 + minute * 60 + sec) - Int64(offset)
        return secs * 1000 + Int64(millis)
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
