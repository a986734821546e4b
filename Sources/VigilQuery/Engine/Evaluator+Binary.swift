import Foundation
import VigilCore

/// Applies a binary operator to two floats; `keep` is false when a comparison filters the element out.
@inline(__always)
func binaryOp(_ op: BinaryOp, _ l: Double, _ r: Double) -> (value: Double, keep: Bool) {
    switch op {
    case .add: return (l + r, true)
    case .sub: return (l - r, true)
    case .mul: return (l * r, true)
    case .div: return (l / r, true)
    case .pow: return (Foundation.pow(l, r), true)
    case .mod: return (fmod(l, r), true)
    case .atan2: return (Foundation.atan2(l, r), true)
    case .eql: return (l, l == r)
    case .neq: return (l, l != r)
    case .gtr: return (l, l > r)
    case .lss: return (l, l < r)
    case .gte: return (l, l >= r)
    case .lte: return (l, l <= r)
    case .and, .or, .unless: return (l, true)
    }
}

/// An instant vector regrouped by step: for each step, the series that have a point there and their values.
///
/// Built once per operand (a counting sort by step), so per-step loops touch contiguous memory only.
/// - Complexity: O(points + steps) to build.
struct StepIndex {
    private var offsets: [Int]
    private var series: [Int32]
    private var values: [Double]

    init(_ input: [EvalSeries], _ ev: Evaluator) {
        var counts = [Int](repeating: 0, count: ev.stepCount + 1)
        for s in input {
            for p in s.samples { counts[ev.step(of: p.t) + 1] += 1 }
        }
        for i in 0..<ev.stepCount { counts[i + 1] += counts[i] }
        offsets = counts
        var fill = counts
        let total = counts[ev.stepCount]
        series = [Int32](repeating: 0, count: total)
        values = [Double](repeating: 0, count: total)
        for (j, s) in input.enumerated() {
            for p in s.samples {
                let k = ev.step(of: p.t)
                series[fill[k]] = Int32(j)
                values[fill[k]] = p.v
                fill[k] += 1
            }
        }
    }

    /// Calls `body(seriesIndex, value)` for every point at step `i`, in series order.
    @inline(__always)
    func forEach<E: Error>(step i: Int, _ body: (Int, Double) throws(E) -> Void) throws(E) {
        for k in offsets[i]..<offsets[i + 1] { try body(Int(series[k]), values[k]) }
    }
}

/// Collects step outputs into series keyed by label set.
struct SeriesCollector {
    private var index: [Labels: Int] = [:]
    private var lastT: [Int64] = []
    private(set) var series: [EvalSeries] = []

    /// Returns the index of the series with `labels`, creating it.
    mutating func slot(_ labels: Labels) -> Int {
        if let i = index[labels] { return i }
        index[labels] = series.count
        series.append(EvalSeries(labels: labels, samples: [], dropName: false))
        lastT.append(.min)
        return series.count - 1
    }

    /// Appends a point to series `i`; two points at one step mean two outputs share a label set.
    @inline(__always)
    mutating func append(_ i: Int, t: Int64, v: Double, dropName: Bool) throws(QueryError) {
        if lastT[i] == t {
            throw QueryError(.execution, "vector cannot contain metrics with the same labelset")
        }
        lastT[i] = t
        series[i].samples.append(Sample(t: t, v: v))
        if dropName { series[i].dropName = true }
    }
}

extension Labels {
    /// Prometheus's `labels.Labels.String()` form: `{__name__="x", a="b"}`.
    var promString: String {
        "{" + pairs.map { "\($0.name)=\"\(Labels.escape($0.value))\"" }.joined(separator: ", ") + "}"
    }
}

extension Evaluator {
    func evalBinary(_ b: BinaryExpr) throws(QueryError) -> EvalValue {
        let lhs = try eval(b.lhs)
        let rhs = try eval(b.rhs)
        switch (lhs, rhs) {
        case (.scalar(let l), .scalar(let r)):
            var out = [Double](repeating: 0, count: stepCount)
            for i in 0..<stepCount {
                let (v, keep) = binaryOp(b.op, l[i], r[i])
                out[i] = b.op.isComparison ? (keep ? 1 : 0) : v
            }
            return .scalar(out)
        case (.vector(let l), .scalar(let r)):
            return .vector(vectorScalar(b, l, r, swapped: false))
        case (.scalar(let l), .vector(let r)):
            return .vector(vectorScalar(b, r, l, swapped: true))
        case (.vector(let l), .vector(let r)):
            if b.op.isSetOperator { return .vector(try setOperation(b, l, r)) }
            return .vector(try vectorVector(b, l, r))
        default:
            throw QueryError(.badData, "binary expression must contain only scalar and instant vector types")
        }
    }

    private func vectorScalar(_ b: BinaryExpr, _ vec: [EvalSeries], _ sc: [Double], swapped: Bool) -> [EvalSeries] {
        var out: [EvalSeries] = []
        out.reserveCapacity(vec.count)
        let drop = b.returnBool || !b.op.isComparison
        for s in vec {
            var pts: [Sample] = []
            pts.reserveCapacity(s.samples.count)
            for p in s.samples {
                let x = sc[step(of: p.t)]
                var (v, keep) = swapped ? binaryOp(b.op, x, p.v) : binaryOp(b.op, p.v, x)
                if b.op.isComparison && swapped { v = p.v }
                if b.returnBool {
                    v = keep ? 1 : 0
                    keep = true
                }
                if keep { pts.append(Sample(t: p.t, v: v)) }
            }
            if pts.isEmpty { continue }
            out.append(EvalSeries(labels: s.labels, samples: pts, dropName: s.dropName || drop))
        }
        return out
    }

    /// Matching signatures for both sides, interned to small integers.
    private func signatures(_ m: VectorMatching?, _ l: [EvalSeries], _ r: [EvalSeries]) -> ([Int], [Int]) {
        let on = m?.on ?? false
        var names = Set(m?.labels ?? [])
        if !on { names.insert(LabelName.metricName) }
        var table: [Labels: Int] = [:]
        func sig(_ s: EvalSeries) -> Int {
            let key = on ? s.labels.keeping(names) : s.labels.removing(names)
            if let i = table[key] { return i }
            table[key] = table.count
            return table.count - 1
        }
        return (l.map(sig), r.map(sig))
    }

    private func setOperation(_ b: BinaryExpr, _ l: [EvalSeries], _ r: [EvalSeries]) throws(QueryError)
        -> [EvalSeries]
    {
        let (ls, rs) = signatures(b.matching, l, r)
        var lOut = l.map { EvalSeries(labels: $0.labels, samples: [], dropName: $0.dropName) }
        var rOut = b.op == .or ? r.map { EvalSeries(labels: $0.labels, samples: [], dropName: $0.dropName) } : []
        let lc = StepIndex(l, self)
        let rc = StepIndex(r, self)
        var seen = Set<Int>()
        var rightSteps: [(Int, Double)] = []
        for i in 0..<stepCount {
            let t = time(i)
            seen.removeAll(keepingCapacity: true)
            rightSteps.removeAll(keepingCapacity: true)
            switch b.op {
            case .and, .unless:
                rc.forEach(step: i) { j, _ in seen.insert(rs[j]) }
                let want = b.op == .and
                lc.forEach(step: i) { j, v in
                    if seen.contains(ls[j]) == want { lOut[j].samples.append(Sample(t: t, v: v)) }
                }
            default:
                lc.forEach(step: i) { j, v in
                    seen.insert(ls[j])
                    lOut[j].samples.append(Sample(t: t, v: v))
                }
                rc.forEach(step: i) { j, v in
                    if !seen.contains(rs[j]) { rOut[j].samples.append(Sample(t: t, v: v)) }
                }
            }
        }
        return mergeSameLabels((lOut + rOut).filter { !$0.samples.isEmpty })
    }

    /// Merges series with identical labels (disjoint in time) into one.
    func mergeSameLabels(_ series: [EvalSeries]) -> [EvalSeries] {
        var index: [Labels: Int] = [:]
        var out: [EvalSeries] = []
        var needsSort = Set<Int>()
        for s in series {
            if let i = index[s.labels] {
                out[i].samples += s.samples
                out[i].dropName = out[i].dropName || s.dropName
                needsSort.insert(i)
            } else {
                index[s.labels] = out.count
                out.append(s)
            }
        }
        for i in needsSort { out[i].samples.sort { $0.t < $1.t } }
        return out
    }

    private func vectorVector(_ b: BinaryExpr, _ l0: [EvalSeries], _ r0: [EvalSeries]) throws(QueryError)
        -> [EvalSeries]
    {
        let matching = b.matching ?? VectorMatching(cardinality: .oneToOne, on: false, labels: [])
        let swap = matching.cardinality == .oneToMany
        let (l, r) = swap ? (r0, l0) : (l0, r0)
        let (ls, rs) = signatures(matching, l, r)
        let dropAll = b.returnBool || !b.op.isComparison
        let keepNames = Set(matching.labels)
        var collector = SeriesCollector()
        let sigCount = (ls.max() ?? -1) > (rs.max() ?? -1) ? ls.max()! + 1 : (rs.max() ?? -1) + 1
        // Per-signature state for the current step, valid when its stamp equals the step index.
        var rightStamp = [Int](repeating: -1, count: sigCount)
        var rightSeries = [Int](repeating: 0, count: sigCount)
        var rightValue = [Double](repeating: 0, count: sigCount)
        var matchedStamp = [Int](repeating: -1, count: sigCount)
        var matchedSlots = Set<Int>()
        // The output slot of each left series for the right series it last matched.
        var cachedRight = [Int](repeating: -1, count: l.count)
        var cachedSlot = [Int](repeating: 0, count: l.count)
        var pairSlot: [Int: Int] = [:]
        let lc = StepIndex(l, self)
        let rc = StepIndex(r, self)
        for i in 0..<stepCount {
            let t = time(i)
            if i & 1023 == 0 { try ctx.checkDeadline() }
            matchedSlots.removeAll(keepingCapacity: true)
            try rc.forEach(step: i) { (j: Int, v: Double) throws(QueryError) in
                let sig = rs[j]
                if rightStamp[sig] == i {
                    let dup = rightSeries[sig]
                    let side = swap ? "left" : "right"
                    let group = matching.on
                        ? r[j].labels.keeping(keepNames)
                        : r[j].labels.removing(keepNames.union([LabelName.metricName]))
                    let pair = [r[j].labels, r[dup].labels].sorted()
                    throw QueryError(.execution, "found duplicate series for the match group \(group.promString) "
                        + "on the \(side) hand-side of the operation: [\(pair[0].promString), "
                        + "\(pair[1].promString)];many-to-many matching not allowed: matching labels must "
                        + "be unique on one side")
                }
                rightStamp[sig] = i
                rightSeries[sig] = j
                rightValue[sig] = v
            }
            try lc.forEach(step: i) { (j: Int, lv: Double) throws(QueryError) in
                let sig = ls[j]
                guard rightStamp[sig] == i else { return }
                let k = rightSeries[sig]
                let rv = rightValue[sig]
                if matching.cardinality == .oneToOne {
                    // Checked before a comparison filters, so the error does not depend on the values.
                    if matchedStamp[sig] == i {
                        throw QueryError(.execution, "multiple matches for labels: many-to-one matching must be "
                            + "explicit (group_left/group_right)")
                    }
                    matchedStamp[sig] = i
                }
                var (v, keep) = swap ? binaryOp(b.op, rv, lv) : binaryOp(b.op, lv, rv)
                if b.returnBool {
                    v = keep ? 1 : 0
                    keep = true
                }
                if !keep { return }
                let slot: Int
                if cachedRight[j] == k {
                    slot = cachedSlot[j]
                } else {
                    let key = j &* r.count &+ k
                    if let s = pairSlot[key] {
                        slot = s
                    } else {
                        slot = collector.slot(resultLabels(l[j].labels, r[k].labels, matching))
                        pairSlot[key] = slot
                    }
                    cachedRight[j] = k
                    cachedSlot[j] = slot
                }
                if matching.cardinality != .oneToOne {
                    if !matchedSlots.insert(slot).inserted {
                        throw QueryError(.execution, "multiple matches for labels: grouping labels must ensure "
                            + "unique matches")
                    }
                }
                try collector.append(slot, t: t, v: v, dropName: dropAll || l[j].dropName)
            }
        }
        return collector.series
    }

    private func resultLabels(_ l: Labels, _ r: Labels, _ m: VectorMatching) -> Labels {
        var out = l
        if m.cardinality == .oneToOne {
            out = m.on ? out.keeping(Set(m.labels)) : out.removing(Set(m.labels))
        }
        for name in m.include {
            out.set(name, r[name])
        }
        return out
    }
}
