/// Parses the timestamps that start log lines into Unix milliseconds (UTC).
public enum LogTimestamp {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Jun 03 12:00:41` (syslog, no year: `year` supplies it) or `2026-06-03T12:00:41[.fff][Z]` /
    /// `2026-06-03 12:00:41[,fff]` at the start of `line`; nil when neither is there.
    public static func parse(_ line: Substring, year: Int) -> Int64? {
        let b = Array(line.utf8.prefix(32))
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= b.count else { return nil }
            var v = 0
            for i in from..<from + len {
                let c = b[i]
                if c == 0x20 && i == from && len == 2 { continue }
                guard c >= 0x30 && c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            return v
        }
        if b.count >= 15, let m = months.firstIndex(of: String(decoding: b[0..<3], as: UTF8.self)), b[3] == 0x20,
            let d = num(4, 2), b[6] == 0x20, let hh = num(7, 2), let mm = num(10, 2), let ss = num(13, 2)
        {
            return ms(year, m + 1, d, hh, mm, ss, 0)
        }
        if b.count >= 19, let y = num(0, 4), b[4] == UInt8(ascii: "-"), let mo = num(5, 2), let d = num(8, 2),
            b[10] == UInt8(ascii: "T") || b[10] == 0x20, let hh = num(11, 2), let mm = num(14, 2), let ss = num(17, 2)
        {
            var frac = 0
            if b.count > 20 && (b[19] == UInt8(ascii: ".") || b[19] == UInt8(ascii: ",")) {
                var scale = 100
                var i = 20
                while i < b.count, b[i] >= 0x30, b[i] <= 0x39, scale >= 1 {
                    frac += Int(b[i] - 0x30) * scale
                    scale /= 10
                    i += 1
                }
            }
            return ms(y, mo, d, hh, mm, ss, frac)
        }
        return nil
    }

    /// Days from 1970-01-01 to a civil date (Howard Hinnant's `days_from_civil`).
    static func days(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func ms(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int, _ frac: Int) -> Int64? {
        guard (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61 else { return nil }
        let secs = Int64(days(y, mo, d)) * 86400 + Int64(h * 3600 + mi * 60 + s)
        return secs * 1000 + Int64(frac)
    }
}
