import Foundation
import VigilCore

/// Go's `math.Max`/`math.Min`: NaN wins.
@inline(__always) func goMax(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : Swift.max(a, b) }
@inline(__always) func goMin(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : Swift.min(a, b) }

/// The UTC calendar fields of a Unix time in seconds.
struct CivilDate {
    var year: Int, month: Int, day: Int, hour: Int, minute: Int, weekday: Int, dayOfYear: Int

    init(seconds: Int64) {
        let days = Int(seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400)
        let secs = Int(seconds - Int64(days) * 86400)
        hour = secs / 3600
        minute = (secs % 3600) / 60
        weekday = ((days % 7) + 11) % 7
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        let leap = CivilDate.isLeap(year)
        let before = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        dayOfYear = before[month - 1] + day + (leap && month > 2 ? 1 : 0)
    }

    static func isLeap(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

    var daysInMonth: Int {
        switch month {
        case 2: CivilDate.isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension Evaluator {
    /// Functions applied to each element of an instant vector (math, clamping, dates).
    func evalElementwise(_ c: Call) throws(QueryError) -> [EvalSeries] {
        let name = c.function.name
        var input: [EvalSeries]
        if c.args.isEmpty {
            // Date functions default to `vector(time())`.
            input = [EvalSeries(labels: Labels(), samples: (0..<stepCount).map {
                Sample(t: time($0), v: Double(time($0)) / 1000)
            }, dropName: false)]
        } else {
            input = try vectorSeries(eval(c.args[0]))
        }
        var extra: [[Double]] = []
        for arg in c.args.dropFirst() { extra.append(try scalars(eval(arg))) }
        let f: (Double, Int) -> Double?
        switch name {
        case "abs": f = { v, _ in abs(v) }
        case "ceil": f = { v, _ in v.rounded(.up) }
        case "floor": f = { v, _ in v.rounded(.down) }
        case "exp": f = { v, _ in Foundation.exp(v) }
        case "sqrt": f = { v, _ in v.squareRoot() }
        case "ln": f = { v, _ in Foundation.log(v) }
        case "log2": f = { v, _ in Foundation.log2(v) }
        case "log10": f = { v, _ in Foundation.log10(v) }
        case "sin": f = { v, _ in Foundation.sin(v) }
        case "cos": f = { v, _ in Foundation.cos(v) }
        case "tan": f = { v, _ in Foundation.tan(v) }
        case "asin": f = { v, _ in Foundation.asin(v) }
        case "acos": f = { v, _ in Foundation.acos(v) }
        case "atan": f = { v, _ in Foundation.atan(v) }
        case "sinh": f = { v, _ in Foundation.sinh(v) }
        case "cosh": f = { v, _ in Foundation.cosh(v) }
        case "tanh": f = { v, _ in Foundation.tanh(v) }
        case "asinh": f = { v, _ in Foundation.asinh(v) }
        case "acosh": f = { v, _ in Foundation.acosh(v) }
        case "atanh": f = { v, _ in Foundation.atanh(v) }
        case "deg": f = { v, _ in v * 180 / Double.pi }
        case "rad": f = { v, _ in v * Double.pi / 180 }
        case "sgn": f = { v, _ in v < 0 ? -1 : (v > 0 ? 1 : v) }
        case "round":
            f = { v, i in
                let to = extra.isEmpty ? 1 : extra[0][i]
                let inv = 1.0 / to
                return (v * inv + 0.5).rounded(.down) / inv
            }
        case "clamp":
            f = { v, i in
                let lo = extra[0][i], hi = extra[1][i]
                return hi < lo ? nil : goMax(lo, goMin(hi, v))
            }
        case "clamp_min": f = { v, i in goMax(v, extra[0][i]) }
        case "clamp_max": f = { v, i in goMin(v, extra[0][i]) }
        case "day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month", "year":
            f = { v, _ in
                guard v.isFinite, abs(v) < 9.2e15 else { return .nan }
                let d = CivilDate(seconds: Int64(v))
                switch name {
                case "day_of_month": return Double(d.day)
                case "day_of_week": return Double(d.weekday)
                case "day_of_year": return Double(d.dayOfYear)
                case "days_in_month": return Double(d.daysInMonth)
                case "hour": return Double(d.hour)
                case "minute": return Double(d.minute)
                case "month": return Double(d.month)
                default: return Double(d.year)
                }
            }
        default:
            throw QueryError(.badData, "function \"\(name)\" is not supported")
        }
        var out: [EvalSeries] = []
        out.reserveCapacity(input.count)
        for s in input {
            var pts: [Sample] = []
            pts.reserveCapacity(s.samples.count)
            for p in s.samples {
                if let v = f(p.v, step(of: p.t)) { pts.append(Sample(t: p.t, v: v)) }
            }
            if !pts.isEmpty { out.append(EvalSeries(labels: s.labels, samples: pts, dropName: true)) }
        }
        return out
    }

    func labelReplace(_ c: Call) throws(QueryError) -> [EvalSeries] {
        let input = try vectorSeries(eval(c.args[0]))
        guard let dst = stringLiteral(c.args[1]), let repl = stringLiteral(c.args[2]),
              let src = stringLiteral(c.args[3]), let pattern = stringLiteral(c.args[4])
        else { throw QueryError(.badData, "label_replace expects string arguments") }
        let regex: RE2
        do { regex = try RE2.anchored(pattern) } catch {
            throw QueryError(.execution, "invalid regular expression in label_replace(): \(pattern)")
        }
        if !isValidLabelName(dst) {
            throw QueryError(.execution, "invalid destination label name in label_replace(): \(dst)")
        }
        let groupNames = regex.groupNames
        var out: [EvalSeries] = []
        for s in input {
            guard let groups = regex.fullMatchGroups(s.labels[src]) else {
                out.append(s)
                continue
            }
            var labels = s.labels
            labels.set(dst, expandTemplate(repl, groups, names: groupNames))
            out.append(EvalSeries(labels: labels, samples: s.samples,
                                  dropName: dst == LabelName.metricName ? false : s.dropName))
        }
        return try mergeChecked(out)
    }

    func labelJoin(_ c: Call) throws(QueryError) -> [EvalSeries] {
        let input = try vectorSeries(eval(c.args[0]))
        guard let dst = stringLiteral(c.args[1]), let sep = stringLiteral(c.args[2]) else {
            throw QueryError(.badData, "label_join expects string arguments")
        }
        let srcs = c.args.dropFirst(3).compactMap { stringLiteral($0) }
        if !isValidLabelName(dst) {
            throw QueryError(.execution, "invalid destination label name in label_join(): \(dst)")
        }
        var out: [EvalSeries] = []
        for s in input {
            var labels = s.labels
            labels.set(dst, srcs.map { s.labels[$0] }.joined(separator: sep))
            out.append(EvalSeries(labels: labels, samples: s.samples,
                                  dropName: dst == LabelName.metricName ? false : s.dropName))
        }
        return try mergeChecked(out)
    }

    /// Merges series that ended up with equal labels; a shared step means a duplicate label set.
    func mergeChecked(_ series: [EvalSeries]) throws(QueryError) -> [EvalSeries] {
        let merged = mergeSameLabels(series)
        if merged.count == series.count { return merged }
        for s in merged where s.samples.count > 1 {
            for k in 1..<s.samples.count where s.samples[k].t == s.samples[k - 1].t {
                throw QueryError(.execution, "vector cannot contain metrics with the same labelset")
            }
        }
        return merged
    }
}

/// Label names may hold any UTF-8 in Prometheus 3, but not be empty.
func isValidLabelName(_ s: String) -> Bool { !s.isEmpty }


/// Go's `regexp.Expand`: `$1`, `${1}`, `$name`, `${name}` and `$$`; unknown groups expand to "".
func expandTemplate(_ template: String, _ groups: [Substring?], names: [String] = []) -> String {
    let b = Array(template.utf8)
    var out: [UInt8] = []
    var i = 0
    func isNameByte(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95
    }
    while i < b.count {
        if b[i] != UInt8(ascii: "$") || i + 1 >= b.count {
            out.append(b[i])
            i += 1
            continue
        }
        if b[i + 1] == UInt8(ascii: "$") {
            out.append(b[i])
            i += 2
            continue
        }
        var name: [UInt8] = []
        var j = i + 1
        if b[j] == UInt8(ascii: "{") {
            var k = j + 1
            while k < b.count && isNameByte(b[k]) { k += 1 }
            guard k < b.count, b[k] == UInt8(ascii: "}"), k > j + 1 else {
                out.append(b[i])
                i += 1
                continue
            }
            name = Array(b[(j + 1)..<k])
            j = k + 1
        } else {
            var k = j
            while k < b.count && isNameByte(b[k]) { k += 1 }
            if k == j {
                out.append(b[i])
                i += 1
                continue
            }
            name = Array(b[j..<k])
            j = k
        }
        let text = String(decoding: name, as: UTF8.self)
        if let n = Int(text), name.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            if n < groups.count, let g = groups[n] { out += Array(g.utf8) }
        } else if let n = names.firstIndex(of: text), n > 0, n < groups.count, let g = groups[n] {
            out += Array(g.utf8)
        }
        i = j
    }
    return String(decoding: out, as: UTF8.self)
}
