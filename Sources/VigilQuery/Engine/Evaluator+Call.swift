import Foundation
import VigilCore

/// Functions that keep the metric name of their input.
private let nameKeepingFunctions: Set<String> = [
    "last_over_time", "first_over_time", "sort", "sort_desc", "sort_by_label", "sort_by_label_desc",
    "label_replace", "label_join",
]

extension Evaluator {
    func evalCall(_ c: Call) throws(QueryError) -> EvalValue {
        let name = c.function.name
        switch name {
        case "time":
            return .scalar((0..<stepCount).map { Double(time($0)) / 1000 })
        case "start", "end", "range", "step":
            let v: Double
            switch name {
            case "start": v = Double(ctx.queryStart) / 1000
            case "end": v = Double(ctx.queryEnd) / 1000
            case "range": v = Double(ctx.queryEnd - ctx.queryStart) / 1000
            default: v = Double(ctx.queryStep) / 1000
            }
            return .scalar([Double](repeating: v, count: stepCount))
        case "pi":
            return .scalar([Double](repeating: Double.pi, count: stepCount))
        case "vector":
            let xs = try scalars(eval(c.args[0]))
            let pts = (0..<stepCount).map { Sample(t: time($0), v: xs[$0]) }
            return .vector(pts.isEmpty ? [] : [EvalSeries(labels: Labels(), samples: pts, dropName: false)])
        case "scalar":
            let v = try vectorSeries(eval(c.args[0]))
            var out = [Double](repeating: .nan, count: stepCount)
            var n = [Int](repeating: 0, count: stepCount)
            for s in v {
                for p in s.samples {
                    let i = step(of: p.t)
                    n[i] += 1
                    out[i] = p.v
                }
            }
            for i in 0..<stepCount where n[i] != 1 { out[i] = .nan }
            return .scalar(out)
        case "timestamp":
            if case .vectorSelector(let vs) = unwrap(c.args[0]) {
                return .vector(try selectVector(vs, timestamps: true).map {
                    EvalSeries(labels: $0.labels, samples: $0.samples, dropName: true)
                })
            }
            return .vector(try vectorSeries(eval(c.args[0])).map { s in
                EvalSeries(labels: s.labels, samples: s.samples.map { Sample(t: $0.t, v: Double($0.t) / 1000) },
                           dropName: true)
            })
        case "absent":
            let v = try vectorSeries(eval(c.args[0]))
            return .vector(absent(v.map { $0.samples.map(\.t) }, labels: absentLabels(c.args[0])))
        case "label_replace":
            return .vector(try labelReplace(c))
        case "label_join":
            return .vector(try labelJoin(c))
        case "sort", "sort_desc":
            var v = try vectorSeries(eval(c.args[0]))
            let desc = name == "sort_desc"
            v.sort { a, b in
                let x = a.samples.first?.v ?? 0
                let y = b.samples.first?.v ?? 0
                if x.isNaN { return false }
                if y.isNaN { return true }
                return desc ? x > y : x < y
            }
            return .vector(v)
        case "sort_by_label", "sort_by_label_desc":
            var v = try vectorSeries(eval(c.args[0]))
            let names = c.args.dropFirst().compactMap { stringLiteral($0) }
            let desc = name == "sort_by_label_desc"
            v.sort { a, b in
                for n in names {
                    let x = a.labels[n]
                    let y = b.labels[n]
                    if x != y { return desc ? naturalLess(y, x) : naturalLess(x, y) }
                }
                return desc ? b.labels < a.labels : a.labels < b.labels
            }
            return .vector(v)
        case "histogram_quantile":
            let q = try scalars(eval(c.args[0]))
            let v = try vectorSeries(eval(c.args[1]))
            return .vector(try classicHistogram(v) { i, buckets in HistogramFunctions.quantile(q[i], buckets) })
        case "histogram_quantiles":
            let v = try vectorSeries(eval(c.args[0]))
            guard let label = stringLiteral(c.args[1]) else {
                throw QueryError(.badData, "histogram_quantiles expects a label name")
            }
            var out: [EvalSeries] = []
            for arg in c.args.dropFirst(2) {
                let q = try scalars(eval(arg))
                for var s in try classicHistogram(v, { i, buckets in HistogramFunctions.quantile(q[i], buckets) }) {
                    s.labels.set(label, quantileLabel(q.first ?? .nan))
                    out.append(s)
                }
            }
            return .vector(try mergeChecked(out))
        case "info":
            return .vector(try info(c))
        case "min_of", "max_of":
            let a = try scalars(eval(c.args[0]))
            let b = try scalars(eval(c.args[1]))
            return .scalar(zip(a, b).map { name == "min_of" ? goMin($0, $1) : goMax($0, $1) })
        case "histogram_fraction":
            let lo = try scalars(eval(c.args[0]))
            let hi = try scalars(eval(c.args[1]))
            let v = try vectorSeries(eval(c.args[2]))
            return .vector(try classicHistogram(v) { i, b in HistogramFunctions.fraction(lo[i], hi[i], b) })
        case "histogram_count", "histogram_sum", "histogram_avg", "histogram_stddev", "histogram_stdvar":
            // Native histograms are not stored; on float samples these functions return nothing, as in Prometheus.
            _ = try eval(c.args[0])
            return .vector([])
        default:
            break
        }
        if c.function.argTypes.contains(.matrix) {
            return .vector(try evalRangeCall(c))
        }
        return .vector(try evalElementwise(c))
    }

    func unwrap(_ e: Expr) -> Expr {
        switch e {
        case .paren(let x), .stepInvariant(let x): unwrap(x)
        default: e
        }
    }

    func stringLiteral(_ e: Expr) -> String? {
        if case .string(let s) = unwrap(e) { return s }
        return nil
    }

    /// Output labels of `absent`/`absent_over_time`: the selector's equality matchers (not `__name__`).
    func absentLabels(_ e: Expr) -> Labels {
        let matchers: [LabelMatcher]
        switch unwrap(e) {
        case .vectorSelector(let vs): matchers = vs.matchers
        case .matrixSelector(let ms): matchers = ms.selector.matchers
        default: return Labels()
        }
        var out = Labels()
        var seen = Set<String>()
        for m in matchers where m.name != LabelName.metricName {
            if m.kind == .equal && !seen.contains(m.name) {
                out.set(m.name, m.value)
                seen.insert(m.name)
            } else {
                out.remove(m.name)
            }
        }
        return out
    }

    /// 1 at every step where no series has a point (`times` are the steps each series has).
    private func absent(_ times: [[Int64]], labels: Labels) -> [EvalSeries] {
        var present = [Bool](repeating: false, count: stepCount)
        for ts in times { for t in ts { present[step(of: t)] = true } }
        let pts = (0..<stepCount).filter { !present[$0] }.map { Sample(t: time($0), v: 1) }
        return pts.isEmpty ? [] : [EvalSeries(labels: labels, samples: pts, dropName: false)]
    }

    /// Groups classic bucket series by their labels without `le` and applies `f` at every step.
    private func classicHistogram(_ v: [EvalSeries], _ f: (Int, [Bucket]) -> Double) throws(QueryError)
        -> [EvalSeries]
    {
        var keyIndex: [Labels: Int] = [:]
        var out: [EvalSeries] = []
        var groupOf: [Int] = []
        var bounds: [Double] = []
        for s in v {
            guard let le = s.labels.get(LabelName.bucket), let bound = parseGoFloat(le) else {
                groupOf.append(-1)
                bounds.append(0)
                continue
            }
            let key = s.labels.removing([LabelName.bucket])
            if let g = keyIndex[key] {
                groupOf.append(g)
            } else {
                keyIndex[key] = out.count
                groupOf.append(out.count)
                out.append(EvalSeries(labels: key, samples: [], dropName: true))
            }
            bounds.append(bound)
        }
        var buckets = [[Bucket]](repeating: [], count: out.count)
        let cursor = StepIndex(v, self)
        for i in 0..<stepCount {
            let t = time(i)
            for g in buckets.indices { buckets[g].removeAll(keepingCapacity: true) }
            cursor.forEach(step: i) { j, x in
                if groupOf[j] >= 0 { buckets[groupOf[j]].append(Bucket(upperBound: bounds[j], count: x)) }
            }
            for g in buckets.indices where !buckets[g].isEmpty {
                out[g].samples.append(Sample(t: t, v: f(i, buckets[g])))
            }
        }
        return out.filter { !$0.samples.isEmpty }
    }

    /// Functions of a range vector (`rate`, `*_over_time`, …), evaluated per series with sliding windows.
    private func evalRangeCall(_ c: Call) throws(QueryError) -> [EvalSeries] {
        let name = c.function.name
        let rangeIndex = c.function.argTypes.firstIndex(of: .matrix) ?? 0
        guard case .range(let input) = try eval(c.args[rangeIndex]) else {
            throw QueryError(.badData, "expected range vector argument to \(name)")
        }
        var extra: [[Double]] = []
        for (k, arg) in c.args.enumerated() where k != rangeIndex {
            extra.append(try scalars(eval(arg)))
        }
        if name == "double_exponential_smoothing" || name == "holt_winters" {
            for i in 0..<stepCount {
                let sf = extra[0][i], tf = extra[1][i]
                if sf <= 0 || sf >= 1 {
                    throw QueryError(.execution, "invalid smoothing factor. Expected: 0 < sf < 1, got: \(sf)")
                }
                if tf <= 0 || tf >= 1 {
                    throw QueryError(.execution, "invalid trend factor. Expected: 0 < tf < 1, got: \(tf)")
                }
            }
        }
        if name == "absent_over_time" {
            var present = [Bool](repeating: false, count: stepCount)
            try slide(input) { _, i, _, _, _ in present[i] = true }
            let pts = (0..<stepCount).filter { !present[$0] }.map { Sample(t: time($0), v: 1) }
            return pts.isEmpty ? [] : [EvalSeries(labels: absentLabels(c.args[0]), samples: pts, dropName: false)]
        }
        let keepName = nameKeepingFunctions.contains(name)
        let range = input.range
        let fn: (ArraySlice<Sample>, Int, Int64, Int64) -> Double?
        switch name {
        case "rate", "increase", "delta":
            let counter = name != "delta", isRate = name == "rate"
            fn = { w, _, rs, re in
                RangeFunctions.extrapolatedRate(w, rangeStart: rs, rangeEnd: re, range: range,
                                                isCounter: counter, isRate: isRate)
            }
        case "irate": fn = { w, _, _, _ in RangeFunctions.instantValue(w, isRate: true) }
        case "idelta": fn = { w, _, _, _ in RangeFunctions.instantValue(w, isRate: false) }
        case "deriv":
            fn = { w, _, _, _ in
                w.count < 2 ? nil : RangeFunctions.linearRegression(w, interceptTime: w.first!.t).slope
            }
        case "predict_linear":
            fn = { [self] w, i, _, _ in
                guard w.count >= 2 else { return nil }
                let r = RangeFunctions.linearRegression(w, interceptTime: time(i))
                return r.slope * extra[0][i] + r.intercept
            }
        case "avg_over_time": fn = { w, _, _, _ in RangeFunctions.avg(w) }
        case "sum_over_time": fn = { w, _, _, _ in RangeFunctions.sum(w) }
        case "count_over_time": fn = { w, _, _, _ in Double(w.count) }
        case "min_over_time": fn = { w, _, _, _ in RangeFunctions.extreme(w, max: false) }
        case "max_over_time": fn = { w, _, _, _ in RangeFunctions.extreme(w, max: true) }
        case "last_over_time": fn = { w, _, _, _ in w.last!.v }
        case "first_over_time": fn = { w, _, _, _ in w.first!.v }
        case "present_over_time": fn = { _, _, _, _ in 1 }
        case "stddev_over_time": fn = { w, _, _, _ in RangeFunctions.variance(w).squareRoot() }
        case "stdvar_over_time": fn = { w, _, _, _ in RangeFunctions.variance(w) }
        case "mad_over_time": fn = { w, _, _, _ in RangeFunctions.mad(w) }
        case "quantile_over_time": fn = { w, i, _, _ in quantileOf(extra[0][i], w.map(\.v)) }
        case "changes": fn = { w, _, _, _ in RangeFunctions.changes(w) }
        case "resets": fn = { w, _, _, _ in RangeFunctions.resets(w) }
        case "ts_of_last_over_time": fn = { w, _, _, _ in Double(w.last!.t) / 1000 }
        case "ts_of_first_over_time": fn = { w, _, _, _ in Double(w.first!.t) / 1000 }
        case "ts_of_max_over_time", "ts_of_min_over_time":
            let isMax = name == "ts_of_max_over_time"
            fn = { w, _, _, _ in
                var best = w.first!
                for s in w where (isMax ? s.v >= best.v : s.v <= best.v) || best.v.isNaN { best = s }
                return Double(best.t) / 1000
            }
        case "double_exponential_smoothing", "holt_winters":
            fn = { w, i, _, _ in RangeFunctions.doubleExponentialSmoothing(w, sf: extra[0][i], tf: extra[1][i]) }
        default:
            throw QueryError(.badData, "function \"\(name)\" is not supported")
        }
        var out: [EvalSeries] = []
        var current = -1
        var pts: [Sample] = []
        func flush() {
            if current >= 0 && !pts.isEmpty {
                let s = input.series[current]
                out.append(EvalSeries(labels: s.labels, samples: pts, dropName: s.dropName || !keepName))
            }
            pts = []
        }
        try slide(input) { k, i, w, rs, re in
            if k != current {
                flush()
                current = k
            }
            if let v = fn(w, i, rs, re) { pts.append(Sample(t: time(i), v: v)) }
        }
        flush()
        if keepName { return out }
        return out
    }

    /// Calls `body(series, step, window, rangeStart, rangeEnd)` for every non-empty window, series by series.
    /// - Complexity: O(samples + steps) per series: both window edges only move forward.
    func slide(_ input: RangeInput,
               _ body: (Int, Int, ArraySlice<Sample>, Int64, Int64) -> Void) throws(QueryError)
    {
        for (k, s) in input.series.enumerated() {
            if k & 255 == 255 { try ctx.checkDeadline() }
            let samples = s.samples
            var lo = 0
            var hi = 0
            var widest = 0
            for i in 0..<stepCount {
                let te = (input.at ?? time(i)) - input.offset
                let ts = te - input.range
                while hi < samples.count && samples[hi].t <= te { hi += 1 }
                while lo < hi && samples[lo].t <= ts { lo += 1 }
                if lo < hi {
                    widest = Swift.max(widest, hi - lo)
                    body(k, i, samples[lo..<hi], ts, te)
                }
            }
            // The widest window of each series is what one step holds in memory at once.
            try ctx.add(widest)
        }
    }
}

/// Parses a float as Go's `strconv.ParseFloat` accepts the common forms (`+Inf`, `1e3`, `0x1p-2` excepted).
func parseGoFloat(_ s: String) -> Double? {
    switch s.lowercased() {
    case "+inf", "inf", "+infinity", "infinity": return .infinity
    case "-inf", "-infinity": return -.infinity
    case "nan": return .nan
    default: break
    }
    if s.isEmpty || s.contains("_") { return nil }
    return Double(s)
}

/// A quantile as a label value: Go's shortest form with `.0` kept on whole numbers (`0.0`, `0.25`, `1.0`).
func quantileLabel(_ q: Double) -> String {
    let s = GoFloat.format(q)
    return q.isFinite && !s.contains(".") && !s.contains("e") ? s + ".0" : s
}

/// Natural ordering of strings with embedded numbers, as `sort_by_label` uses.
func naturalLess(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    var i = 0, j = 0
    func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    while i < x.count && j < y.count {
        if isDigit(x[i]) && isDigit(y[j]) {
            var ie = i, je = j
            while ie < x.count && isDigit(x[ie]) { ie += 1 }
            while je < y.count && isDigit(y[je]) { je += 1 }
            let nx = x[i..<ie].drop { $0 == 48 }, ny = y[j..<je].drop { $0 == 48 }
            if nx.count != ny.count { return nx.count < ny.count }
            if !nx.elementsEqual(ny) { return nx.lexicographicallyPrecedes(ny) }
            i = ie
            j = je
        } else {
            if x[i] != y[j] { return x[i] < y[j] }
            i += 1
            j += 1
        }
    }
    return x.count - i < y.count - j
}
