import Foundation
import VigilCore

/// Neumaier-compensated addition, as Prometheus's `kahanSumInc`.
@inline(__always)
func kahanSumInc(_ inc: Double, _ sum: Double, _ c: Double) -> (Double, Double) {
    let t = sum + inc
    var c = c
    if t.isInfinite {
        c = 0
    } else if abs(sum) >= abs(inc) {
        c += (sum - t) + inc
    } else {
        c += (inc - t) + sum
    }
    return (t, c)
}

/// The running state of one aggregation group at one step.
struct AggregateGroup {
    var value = 0.0
    var kahanC = 0.0
    var mean = 0.0
    var count = 0.0
    var incremental = false
    var dropName = false
    var values: [Double] = []

    mutating func add(_ op: AggregateOp, _ f: Double) {
        count += 1
        if count == 1 {
            value = f
            mean = f
            kahanC = 0
            incremental = false
            if op == .stddev || op == .stdvar { value = f.isFinite ? 0 : .nan }
            if op == .quantile { values = [f] }
            return
        }
        switch op {
        case .sum:
            (value, kahanC) = kahanSumInc(f, value, kahanC)
        case .avg:
            if !incremental {
                let (nv, nc) = kahanSumInc(f, value, kahanC)
                if !nv.isInfinite {
                    (value, kahanC) = (nv, nc)
                    return
                }
                incremental = true
                mean = value / (count - 1)
                kahanC /= count - 1
            }
            let q = (count - 1) / count
            (mean, kahanC) = kahanSumInc(f / count, q * mean, q * kahanC)
        case .max:
            if value < f || value.isNaN { value = f }
        case .min:
            if value > f || value.isNaN { value = f }
        case .stddev, .stdvar:
            let delta = f - mean
            mean += delta / count
            value += delta * (f - mean)
        case .quantile:
            values.append(f)
        default:
            break
        }
    }

    func result(_ op: AggregateOp, param: Double) -> Double {
        switch op {
        case .sum: return value + kahanC
        case .avg: return incremental ? mean + kahanC : value / count + kahanC / count
        case .count: return count
        case .group: return 1
        case .stdvar: return value / count
        case .stddev: return (value / count).squareRoot()
        case .quantile: return quantileOf(param, values)
        default: return value
        }
    }
}

/// Prometheus's `quantile`: linear interpolation between the closest ranks, NaNs sorted first.
func quantileOf(_ q: Double, _ input: [Double]) -> Double {
    if input.isEmpty || q.isNaN { return .nan }
    if q < 0 { return -.infinity }
    if q > 1 { return .infinity }
    let values = input.sorted { $0 < $1 || ($0.isNaN && !$1.isNaN) }
    let n = Double(values.count)
    let rank = q * (n - 1)
    let lower = max(0, rank.rounded(.down))
    let upper = min(n - 1, lower + 1)
    let weight = rank - rank.rounded(.down)
    return values[Int(lower)] * (1 - weight) + values[Int(upper)] * weight
}

extension Evaluator {
    func evalAggregate(_ a: AggregateExpr) throws(QueryError) -> EvalValue {
        var params: [Double] = []
        var valueLabel = ""
        if let p = a.param {
            switch try eval(p) {
            case .scalar(let xs): params = xs
            case .string(let s): valueLabel = s
            default: throw QueryError(.badData, "aggregation parameter must be a scalar or string")
            }
        }
        let input = try vectorSeries(eval(a.expr))
        if a.op == .countValues { return .vector(try countValues(a, input, valueLabel)) }

        let names = Set(a.grouping)
        var keyIndex: [Labels: Int] = [:]
        var keys: [Labels] = []
        let groupOf: [Int] = input.map { s in
            let key = a.without
                ? s.labels.removing(names.union([LabelName.metricName])) : s.labels.keeping(names)
            if let i = keyIndex[key] { return i }
            keyIndex[key] = keys.count
            keys.append(key)
            return keys.count - 1
        }
        if a.op == .topk || a.op == .bottomk || a.op == .limitk || a.op == .limitRatio {
            return .vector(try selectK(a, input, groupOf, keys.count, params))
        }

        var groups = [AggregateGroup](repeating: AggregateGroup(), count: keys.count)
        var touched: [Int] = []
        var out = keys.map { EvalSeries(labels: $0, samples: [], dropName: false) }
        let keyHasName = keys.map { $0.get(LabelName.metricName) != nil }
        let cursor = StepIndex(input, self)
        for i in 0..<stepCount {
            let t = time(i)
            if i & 1023 == 0 { try ctx.checkDeadline() }
            touched.removeAll(keepingCapacity: true)
            cursor.forEach(step: i) { j, v in
                let g = groupOf[j]
                if groups[g].count == 0 { touched.append(g) }
                groups[g].add(a.op, v)
                if input[j].dropName { groups[g].dropName = true }
            }
            touched.sort()
            let param = params.isEmpty ? 0 : params[i]
            for g in touched {
                out[g].samples.append(Sample(t: t, v: groups[g].result(a.op, param: param)))
                if groups[g].dropName && keyHasName[g] { out[g].dropName = true }
                groups[g] = AggregateGroup()
            }
        }
        return .vector(out.filter { !$0.samples.isEmpty })
    }

    private func countValues(_ a: AggregateExpr, _ input: [EvalSeries], _ label: String) throws(QueryError)
        -> [EvalSeries]
    {
        if label.isEmpty || label.utf8.contains(0) {
            throw QueryError(.execution, "invalid label name \"\(label)\"")
        }
        var names = Set(a.grouping)
        if !a.without { names.insert(label) }
        var collector = SeriesCollector()
        var counts: [Int: Double] = [:]
        var order: [Int] = []
        let cursor = StepIndex(input, self)
        for i in 0..<stepCount {
            let t = time(i)
            counts.removeAll(keepingCapacity: true)
            order.removeAll(keepingCapacity: true)
            cursor.forEach(step: i) { j, v in
                var l = input[j].labels
                l.set(label, GoFloat.format(v))
                let key = a.without ? l.removing(names.union([LabelName.metricName])) : l.keeping(names)
                let slot = collector.slot(key)
                if counts[slot] == nil { order.append(slot) }
                counts[slot, default: 0] += 1
            }
            for slot in order { try collector.append(slot, t: t, v: counts[slot]!, dropName: false) }
        }
        return collector.series
    }

    /// `topk`/`bottomk` (and `limitk`): keeps the selected input elements with their labels.
    private func selectK(_ a: AggregateExpr, _ input: [EvalSeries], _ groupOf: [Int], _ groupCount: Int,
                         _ params: [Double]) throws(QueryError) -> [EvalSeries]
    {
        var out = input.map { EvalSeries(labels: $0.labels, samples: [], dropName: $0.dropName) }
        // Output order is the order of first selection, so an instant query lists each group best first.
        var order: [Int] = []
        var members = [[(Int, Double)]](repeating: [], count: groupCount)
        let cursor = StepIndex(input, self)
        for i in 0..<stepCount {
            let t = time(i)
            let p = params.isEmpty ? 0 : params[i]
            if p.isNaN {
                throw QueryError(.execution, a.op == .limitRatio ? "Ratio value is NaN" : "Parameter value is NaN")
            }
            if a.op != .limitRatio && (p >= 9.223372036854775807e18 || p < -9.223372036854775807e18) {
                throw QueryError(.execution, "Scalar value \(GoFloat.formatG(p)) overflows int64")
            }
            for g in 0..<groupCount { members[g].removeAll(keepingCapacity: true) }
            cursor.forEach(step: i) { j, v in members[groupOf[j]].append((j, v)) }
            let k = a.op == .limitRatio ? 0 : Int(p)
            for g in 0..<groupCount where !members[g].isEmpty {
                var chosen = members[g]
                switch a.op {
                case .topk:
                    if k < 1 { continue }
                    chosen.sort { x, y in x.1 > y.1 || (!x.1.isNaN && y.1.isNaN) }
                    chosen = Array(chosen.prefix(k))
                case .bottomk:
                    if k < 1 { continue }
                    chosen.sort { x, y in x.1 < y.1 || (!x.1.isNaN && y.1.isNaN) }
                    chosen = Array(chosen.prefix(k))
                case .limitk:
                    if k < 1 { continue }
                    chosen = Array(chosen.prefix(k))
                case .limitRatio:
                    // A series is kept when its label hash, scaled to [0, 1), falls below the ratio (or, for a
                    // negative ratio, in the complementary top part), so `r` and `-(1-r)` partition the input.
                    // Prometheus hashes with xxhash; this uses the label fingerprint, so which series a given
                    // ratio picks differs from Prometheus while the proportions and partitions hold.
                    let r = Swift.max(-1, Swift.min(1, p))
                    chosen = chosen.filter { j, _ in
                        let offset = Double(input[j].labels.fingerprint) / Double(UInt64.max)
                        return (r >= 0 && offset < r) || (r < 0 && offset >= 1 + r)
                    }
                default:
                    continue
                }
                for (j, v) in chosen {
                    if out[j].samples.isEmpty { order.append(j) }
                    out[j].samples.append(Sample(t: t, v: v))
                }
            }
        }
        return order.map { out[$0] }
    }
}
