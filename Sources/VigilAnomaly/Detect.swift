/// Scores a whole series with the default ensemble: one score in [0, 1] per input row, in order, no look-ahead.
/// Timestamps are NAB's `YYYY-MM-DD HH:MM:SS` (or RFC 3339), or a number (epoch seconds/ms when large, else a
/// step number, which turns seasonal baselines off).
public func detect(values: [(timestamp: String, value: Double)]) -> [Double] {
    var detector = AnomalyDetector()
    var out: [Double] = []
    out.reserveCapacity(values.count)
    for row in values {
        out.append(detector.update(time: TimestampParser.seconds(row.timestamp), value: row.value))
    }
    return out
}

/// Parses the timestamps `detect` accepts into epoch seconds.
public enum TimestampParser {
    /// Epoch seconds of `text`, or NaN when it is a small number (a step) or unreadable.
    public static func seconds(_ text: String) -> Double {
        var bytes = Array(text.utf8)
        while let last = bytes.last, last == 32 || last == 13 || last == 34 { bytes.removeLast() }
        while let first = bytes.first, first == 32 || first == 34 { bytes.removeFirst() }
        if bytes.count >= 19, bytes[4] == 45, bytes[7] == 45, bytes[10] == 32 || bytes[10] == 84 {
            func num(_ from: Int, _ len: Int) -> Int? {
                var v = 0
                for i in from..<(from + len) {
                    let c = bytes[i]
                    guard c >= 48 && c <= 57 else { return nil }
                    v = v * 10 + Int(c - 48)
                }
                return v
            }
            guard let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2),
                  let s = num(17, 2) else { return .nan }
            return Double(daysFromCivil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s)
        }
        guard let v = Double(String(decoding: bytes, as: UTF8.self)), v.isFinite else { return .nan }
        if v > 1e11 { return v / 1000 }
        if v > 1e8 { return v }
        return .nan
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
