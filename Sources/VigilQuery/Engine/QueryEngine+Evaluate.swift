import VigilCore

// Evaluation produces no annotations: Prometheus's `warnings` and `infos` (e.g. "quantile value should be between 0
// and 1", "metric might not be a counter") are not reported, so API answers carry none.
extension QueryEngine {
    /// Evaluates an expression at one instant (milliseconds).
    public func instant(_ expr: Expr, at: Int64) throws(QueryError) -> QueryValue {
        let ctx = EvalContext(storage: storage, options: options, queryStart: at, queryEnd: at)
        let ev = Evaluator(ctx: ctx, start: at, end: at, interval: 1)
        switch try ev.eval(expr) {
        case .scalar(let xs):
            return .scalar(t: at, v: xs.first ?? .nan)
        case .string(let s):
            return .string(t: at, v: s)
        case .vector(let series):
            let cleaned = try Self.dropNames(series)
            return .vector(cleaned.compactMap { s in
                s.samples.first.map { VectorElement(labels: s.labels, t: at, v: $0.v) }
            })
        case .range(let input):
            var out: [Series] = []
            let te = (input.at ?? at) - input.offset
            for s in input.series {
                let pts = s.samples.filter { $0.t > te - input.range && $0.t <= te }
                if pts.isEmpty { continue }
                try ctx.add(pts.count)
                out.append(Series(labels: s.dropName ? s.labels.removing(Self.nameLabels) : s.labels, samples: pts))
            }
            return .matrix(out)
        }
    }

    /// Evaluates an expression at each step from `start` to `end` inclusive; returns a matrix sorted by labels.
    public func range(_ expr: Expr, start: Int64, end: Int64, step: Int64) throws(QueryError) -> QueryValue {
        guard step > 0 else {
            throw QueryError(.badData, "zero or negative query resolution step widths are not accepted")
        }
        guard end >= start else { throw QueryError(.badData, "end timestamp must not be before start time") }
        let ctx = EvalContext(storage: storage, options: options, queryStart: start, queryEnd: end)
        ctx.queryStep = step
        let ev = Evaluator(ctx: ctx, start: start, end: end, interval: step)
        try ev.checkStepCount()
        switch try ev.eval(expr) {
        case .scalar(let xs):
            let pts = xs.enumerated().map { Sample(t: ev.time($0.offset), v: $0.element) }
            return .matrix([Series(labels: Labels(), samples: pts)])
        case .string:
            throw QueryError(.badData, "invalid expression type \"string\" for range query, must be Scalar or "
                + "instant Vector")
        case .range:
            throw QueryError(.badData, "invalid expression type \"range vector\" for range query, must be Scalar "
                + "or instant Vector")
        case .vector(let series):
            let cleaned = try Self.dropNames(series)
            return .matrix(cleaned.map { Series(labels: $0.labels, samples: $0.samples) }.sorted {
                $0.labels < $1.labels
            })
        }
    }

    /// The labels dropped with the metric name: `__type__` and `__unit__` travel with it (Prometheus's type-and-unit
    /// labels), and no other series carry them.
    static let nameLabels: Set<String> = [LabelName.metricName, "__type__", "__unit__"]

    /// Applies delayed `__name__` removal and rejects label sets that then collide at the same step.
    static func dropNames(_ series: [EvalSeries]) throws(QueryError) -> [EvalSeries] {
        guard series.contains(where: { s in s.dropName && s.labels.pairs.contains { nameLabels.contains($0.name) } })
        else {
            return series
        }
        var index: [Labels: Int] = [:]
        var out: [EvalSeries] = []
        var merged = Set<Int>()
        for var s in series {
            if s.dropName { s.labels = s.labels.removing(Self.nameLabels) }
            if let i = index[s.labels] {
                out[i].samples += s.samples
                merged.insert(i)
            } else {
                index[s.labels] = out.count
                out.append(s)
            }
        }
        for i in merged {
            out[i].samples.sort { $0.t < $1.t }
            for k in 1..<out[i].samples.count where out[i].samples[k].t == out[i].samples[k - 1].t {
                throw QueryError(.execution, "vector cannot contain metrics with the same labelset")
            }
        }
        return out
    }
}
