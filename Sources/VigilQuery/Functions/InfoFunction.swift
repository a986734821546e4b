import VigilCore

extension Evaluator {
    /// `info(v, {selector})`: adds the data labels of info series (default `target_info`) that share the
    /// identifying labels `instance` and `job` with each element of `v`.
    ///
    /// `__name__` matchers choose the info metrics (names ending in `_info` unless named exactly); other matchers
    /// filter info series and limit the data labels added to the ones they name. Labels already on the base series
    /// win; two info metrics giving one label different values is an error. Info series are read as of the time
    /// the base sample was read (its `@` and offsets); when several series of one info metric match, the newest
    /// sample wins. A base series that is itself a chosen info series passes through unchanged. Without a match the
    /// element is kept as it is, unless a data matcher requires a non-empty value.
    func info(_ c: Call) throws(QueryError) -> [EvalSeries] {
        let base = try vectorSeries(eval(c.args[0]))
        var nameMatchers: [LabelMatcher] = []
        var dataMatchers: [LabelMatcher] = []
        if c.args.count > 1, case .vectorSelector(let vs) = unwrap(c.args[1]) {
            for m in vs.matchers {
                if m.name == LabelName.metricName { nameMatchers.append(m) } else { dataMatchers.append(m) }
            }
        }
        do {
            if nameMatchers.isEmpty { nameMatchers = [try LabelMatcher(.equal, LabelName.metricName, "target_info")] }
        } catch {
            throw QueryError(.internal, "\(error)")
        }
        let identifying = ["instance", "job"]
        // Info metrics end in `_info` unless a `__name__="…"` matcher names one.
        let explicitName = nameMatchers.contains { $0.kind == .equal }
        let dataNames = Set(dataMatchers.map(\.name))
        let requireMatch = dataMatchers.contains { !$0.matchesEmpty }

        // Reference times of every base step, and the info series' raw samples around them.
        let refs = (0..<stepCount).map { referenceTime(c.args[0], time($0)) }
        let lookback = ctx.options.lookbackDelta
        let infos = ctx.storage.select(nameMatchers + dataMatchers, mint: (refs.min() ?? 0) - lookback + 1,
                                       maxt: refs.max() ?? 0)
            .filter { explicitName || $0.labels.metricName.hasSuffix("_info") }
        let dataLabels: [[Label]] = infos.map { s in
            s.labels.pairs.filter { p in
                p.name != LabelName.metricName && !identifying.contains(p.name)
                    && (dataNames.isEmpty || dataNames.contains(p.name))
            }
        }
        var byKey: [[String]: [Int]] = [:]
        for (k, s) in infos.enumerated() { byKey[identifying.map { s.labels[$0] }, default: []].append(k) }

        var collector = SeriesCollector()
        for b in base {
            let candidates = byKey[identifying.map { b.labels[$0] }] ?? []
            let passThrough = nameMatchers.matches(b.labels)
                && (explicitName || b.labels.metricName.hasSuffix("_info"))
            for p in b.samples {
                var labels = b.labels
                if !passThrough {
                    let ref = refs[step(of: p.t)]
                    // The newest current sample per info metric name.
                    var chosen: [String: (Int, Int64)] = [:]
                    for k in candidates {
                        guard let ts = latestSampleTime(infos[k].samples, at: ref, lookback: lookback) else { continue }
                        let name = infos[k].labels.metricName
                        if let other = chosen[name], other.1 >= ts { continue }
                        chosen[name] = (k, ts)
                    }
                    if chosen.isEmpty && requireMatch { continue }
                    var added: [String: String] = [:]
                    for (k, _) in chosen.values.sorted(by: { $0.0 < $1.0 }) {
                        for l in dataLabels[k] where b.labels.get(l.name) == nil {
                            if let v = added[l.name], v != l.value {
                                throw QueryError(.execution, "conflicting label \(l.name): values \"\(v)\" and "
                                    + "\"\(l.value)\" from different info metrics")
                            }
                            added[l.name] = l.value
                            labels.set(l.name, l.value)
                        }
                    }
                }
                try collector.append(collector.slot(labels), t: p.t, v: p.v, dropName: b.dropName)
            }
        }
        return collector.series
    }

    /// The time a sample of `e` evaluated at `t` was read at: `@` and offsets along the path to its selector.
    private func referenceTime(_ e: Expr, _ t: Int64) -> Int64 {
        switch e {
        case .vectorSelector(let vs): return (resolve(vs.at) ?? t) - vs.offset
        case .matrixSelector(let ms): return (resolve(ms.selector.at) ?? t) - ms.selector.offset
        case .subquery(let sq): return referenceTime(sq.expr, (resolve(sq.at) ?? t) - sq.offset)
        case .paren(let x), .stepInvariant(let x), .unary(_, let x): return referenceTime(x, t)
        case .aggregate(let a): return referenceTime(a.expr, t)
        case .binary(let b): return referenceTime(b.lhs.type == .scalar ? b.rhs : b.lhs, t)
        case .call(let call):
            if let arg = call.args.first(where: { $0.type == .vector || $0.type == .matrix }) {
                return referenceTime(arg, t)
            }
            return t
        default: return t
        }
    }

    /// The timestamp of the newest sample in `(t - lookback, t]` unless it is a stale marker.
    private func latestSampleTime(_ samples: [Sample], at t: Int64, lookback: Int64) -> Int64? {
        var lo = 0
        var hi = samples.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if samples[mid].t <= t { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0 else { return nil }
        let s = samples[lo - 1]
        return s.t > t - lookback && !StaleMarker.isStale(s.v) ? s.t : nil
    }
}
