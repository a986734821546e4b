import VigilCore
import VigilStorage

/// One series of an intermediate result: labels, points at step timestamps and the delayed name-removal flag.
struct EvalSeries {
    var labels: Labels
    var samples: [Sample]
    /// Prometheus 3's delayed `__name__` removal: the name stays until the end of the query, then is dropped.
    var dropName: Bool
}

/// A range-vector argument: raw samples per series, looked at through a window `(te - range, te]` at each step.
struct RangeInput {
    var series: [EvalSeries]
    var range: Int64
    var offset: Int64
    var at: Int64?
}

/// The value of a node evaluated over every step of the query.
enum EvalValue {
    /// An instant vector at every step.
    case vector([EvalSeries])
    /// A scalar per step.
    case scalar([Double])
    case string(String)
    /// A range vector (only as a function argument or the top of an instant query).
    case range(RangeInput)
}

/// State shared by an evaluator and the evaluators it starts for subqueries.
final class EvalContext {
    let storage: any Storage
    let options: EngineOptions
    /// The outer query's start and end, for `start()` and `end()` in `@`.
    let queryStart: Int64
    let queryEnd: Int64
    /// The outer query's step (0 for an instant query), for `step()`.
    var queryStep: Int64 = 0
    let deadline: ContinuousClock.Instant
    var samples = 0

    init(storage: any Storage, options: EngineOptions, queryStart: Int64, queryEnd: Int64) {
        self.storage = storage
        self.options = options
        self.queryStart = queryStart
        self.queryEnd = queryEnd
        // Clamped so that a huge or infinite timeout cannot overflow the conversion.
        let ms = options.timeout.isNaN ? 0 : Swift.min(Swift.max(options.timeout, 0), 1e9) * 1000
        deadline = ContinuousClock.now.advanced(by: .milliseconds(Int64(ms)))
    }

    /// Accounts for `n` more samples held in memory; throws past `maxSamples`.
    func add(_ n: Int) throws(QueryError) {
        samples += n
        if samples > options.maxSamples {
            throw QueryError(.execution, "query processing would load too many samples into memory in query execution")
        }
    }

    func checkDeadline() throws(QueryError) {
        if ContinuousClock.now > deadline {
            throw QueryError(.timeout, "query timed out in expression evaluation")
        }
    }
}

/// Evaluates an expression at each step `start, start+interval, …, end` (an instant query has one step).
///
/// Every node yields its value for all steps at once, as Prometheus's range evaluation does; selectors read
/// storage once for the whole range and slide their windows.
final class Evaluator {
    let ctx: EvalContext
    let start: Int64
    let end: Int64
    let interval: Int64
    let stepCount: Int

    init(ctx: EvalContext, start: Int64, end: Int64, interval: Int64) {
        self.ctx = ctx
        self.start = start
        self.end = end
        self.interval = max(interval, 1)
        let (span, overflow) = end.subtractingReportingOverflow(start)
        stepCount = end < start ? 0 : (overflow ? Int.max : Int(span / max(interval, 1)) + 1)
    }

    @inline(__always) func time(_ step: Int) -> Int64 { start + Int64(step) * interval }

    /// Rejects evaluations with more steps than the sample limit allows, before anything is allocated per step.
    func checkStepCount() throws(QueryError) {
        if stepCount > ctx.options.maxSamples {
            throw QueryError(.execution, "query processing would load too many samples into memory in query execution")
        }
    }

    /// The index of the step at time `t`, which must be a step time.
    @inline(__always) func step(of t: Int64) -> Int { Int((t - start) / interval) }

    func resolve(_ at: AtModifier?) -> Int64? {
        switch at {
        case nil: nil
        case .timestamp(let t): t
        case .start: ctx.queryStart
        case .end: ctx.queryEnd
        }
    }

    func eval(_ expr: Expr) throws(QueryError) -> EvalValue {
        try ctx.checkDeadline()
        switch expr {
        case .number(let v):
            return .scalar([Double](repeating: v, count: stepCount))
        case .string(let s):
            return .string(s)
        case .paren(let e), .stepInvariant(let e):
            return try eval(e)
        case .vectorSelector(let vs):
            return .vector(try selectVector(vs, timestamps: false))
        case .matrixSelector(let ms):
            return .range(try selectRange(ms))
        case .subquery(let sq):
            return .range(try evalSubquery(sq))
        case .unary(let op, let e):
            let v = try eval(e)
            if op == .plus { return v }
            switch v {
            case .scalar(let xs): return .scalar(xs.map { -$0 })
            case .vector(var series):
                for i in series.indices {
                    for j in series[i].samples.indices { series[i].samples[j].v = -series[i].samples[j].v }
                    series[i].dropName = true
                }
                return .vector(series)
            default:
                throw QueryError(.badData, "unary expression only allowed on expressions of type scalar or vector")
            }
        case .binary(let b):
            return try evalBinary(b)
        case .aggregate(let a):
            return try evalAggregate(a)
        case .call(let c):
            return try evalCall(c)
        }
    }

    // MARK: Selectors

    /// Storage time bounds `[mint, maxt]` that cover every step's window of length `window` (left-open).
    private func bounds(offset: Int64, at: Int64?, window: Int64) -> (Int64, Int64) {
        let first = (at ?? start) - offset
        let last = (at ?? end) - offset
        return (first - window + 1, last)
    }

    /// An instant selector at every step: the newest sample in `(te - lookback, te]` unless it is a stale marker.
    ///
    /// With `timestamps`, the value is the sample's own timestamp in seconds (for `timestamp()`).
    /// - Complexity: O(samples + steps) per series.
    func selectVector(_ vs: VectorSelector, timestamps: Bool) throws(QueryError) -> [EvalSeries] {
        let at = resolve(vs.at)
        let lookback = ctx.options.lookbackDelta
        let (mint, maxt) = bounds(offset: vs.offset, at: at, window: lookback)
        let raw = ctx.storage.select(vs.matchers, mint: mint, maxt: maxt)
        var out: [EvalSeries] = []
        out.reserveCapacity(raw.count)
        for s in raw {
            let samples = s.samples
            var points: [Sample] = []
            var j = 0
            for i in 0..<stepCount {
                let t = time(i)
                let te = (at ?? t) - vs.offset
                while j < samples.count && samples[j].t <= te { j += 1 }
                guard j > 0 else { continue }
                let last = samples[j - 1]
                if last.t <= te - lookback || StaleMarker.isStale(last.v) { continue }
                points.append(Sample(t: t, v: timestamps ? Double(last.t) / 1000 : last.v))
            }
            if points.isEmpty { continue }
            try ctx.add(points.count)
            out.append(EvalSeries(labels: s.labels, samples: points, dropName: false))
        }
        return out
    }

    /// A range selector's samples for the whole query (stale markers removed).
    func selectRange(_ ms: MatrixSelector) throws(QueryError) -> RangeInput {
        let vs = ms.selector
        let at = resolve(vs.at)
        let (mint, maxt) = bounds(offset: vs.offset, at: at, window: ms.range)
        let raw = ctx.storage.select(vs.matchers, mint: mint, maxt: maxt)
        var out: [EvalSeries] = []
        out.reserveCapacity(raw.count)
        for s in raw {
            var samples = s.samples
            if samples.contains(where: { StaleMarker.isStale($0.v) }) {
                samples.removeAll { StaleMarker.isStale($0.v) }
            }
            if samples.isEmpty { continue }
            out.append(EvalSeries(labels: s.labels, samples: samples, dropName: false))
        }
        // Samples count against the limit per window as they are used (see `slide`), as Prometheus counts them.
        return RangeInput(series: out, range: ms.range, offset: vs.offset, at: at)
    }

    /// Evaluates a subquery's inner expression at steps aligned to absolute multiples of its step.
    func evalSubquery(_ sq: SubqueryExpr) throws(QueryError) -> RangeInput {
        let at = resolve(sq.at)
        let step = sq.step > 0 ? sq.step : ctx.options.defaultEvaluationInterval
        let outerStart = at ?? start
        let outerEnd = at ?? end
        let lowest = outerStart - sq.offset - sq.range
        var subStart = step * (lowest / step)
        if subStart <= lowest { subStart += step }
        let sub = Evaluator(ctx: ctx, start: subStart, end: outerEnd - sq.offset, interval: step)
        try sub.checkStepCount()
        let value = try sub.eval(sq.expr)
        let series: [EvalSeries]
        switch value {
        case .vector(let v): series = v
        case .scalar(let xs):
            var pts: [Sample] = []
            for (i, x) in xs.enumerated() { pts.append(Sample(t: sub.time(i), v: x)) }
            series = [EvalSeries(labels: Labels(), samples: pts, dropName: false)]
        default:
            throw QueryError(.badData, "subquery is only allowed on instant vector or scalar expressions")
        }
        return RangeInput(series: series, range: sq.range, offset: sq.offset, at: at)
    }

    // MARK: Step helpers

    /// Converts a value that must be a scalar.
    func scalars(_ v: EvalValue) throws(QueryError) -> [Double] {
        if case .scalar(let xs) = v { return xs }
        throw QueryError(.badData, "expected scalar argument")
    }

    func vectorSeries(_ v: EvalValue) throws(QueryError) -> [EvalSeries] {
        if case .vector(let s) = v { return s }
        throw QueryError(.badData, "expected instant vector argument")
    }
}
