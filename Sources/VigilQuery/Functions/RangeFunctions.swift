import Foundation
import VigilCore

/// Functions of a range-vector window, as Prometheus's `functions.go` defines them.
enum RangeFunctions {
    /// `rate`, `increase` and `delta` with Prometheus 3's extrapolation to the window edges.
    ///
    /// The gap to an edge is extrapolated fully when under 1.1× the average sample spacing, else by half a spacing;
    /// a counter's start is further limited to where it would reach zero.
    static func extrapolatedRate(_ w: ArraySlice<Sample>, rangeStart: Int64, rangeEnd: Int64, range: Int64,
                                 isCounter: Bool, isRate: Bool) -> Double?
    {
        guard w.count >= 2, let first = w.first, let last = w.last else { return nil }
        var result = last.v - first.v
        if isCounter {
            var prev = first.v
            for s in w.dropFirst() {
                if s.v < prev { result += prev }
                prev = s.v
            }
        }
        var durationToStart = Double(first.t - rangeStart) / 1000
        var durationToEnd = Double(rangeEnd - last.t) / 1000
        let sampledInterval = Double(last.t - first.t) / 1000
        let averageSpacing = sampledInterval / Double(w.count - 1)
        let threshold = averageSpacing * 1.1
        if durationToStart >= threshold { durationToStart = averageSpacing / 2 }
        if isCounter {
            var durationToZero = durationToStart
            if result > 0 && first.v >= 0 { durationToZero = sampledInterval * (first.v / result) }
            if durationToZero < durationToStart { durationToStart = durationToZero }
        }
        if durationToEnd >= threshold { durationToEnd = averageSpacing / 2 }
        var factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval
        if isRate { factor /= Double(range) / 1000 }
        return result * factor
    }

    /// `irate` and `idelta`: the last two samples.
    static func instantValue(_ w: ArraySlice<Sample>, isRate: Bool) -> Double? {
        guard w.count >= 2 else { return nil }
        let last = w[w.endIndex - 1]
        let prev = w[w.endIndex - 2]
        var result = isRate && last.v < prev.v ? last.v : last.v - prev.v
        let interval = last.t - prev.t
        if interval == 0 { return nil }
        if isRate { result /= Double(interval) / 1000 }
        return result
    }

    /// Least-squares fit with compensated sums; x is seconds relative to `interceptTime`.
    static func linearRegression(_ w: ArraySlice<Sample>, interceptTime: Int64) -> (slope: Double, intercept: Double) {
        var n = 0.0
        var sumX = 0.0, cX = 0.0, sumY = 0.0, cY = 0.0
        var sumXY = 0.0, cXY = 0.0, sumX2 = 0.0, cX2 = 0.0
        let initY = w.first!.v
        var constY = true
        for s in w {
            if constY && s.v != initY { constY = false }
            n += 1
            let x = Double(s.t - interceptTime) / 1000
            (sumX, cX) = kahanSumInc(x, sumX, cX)
            (sumY, cY) = kahanSumInc(s.v, sumY, cY)
            (sumXY, cXY) = kahanSumInc(x * s.v, sumXY, cXY)
            (sumX2, cX2) = kahanSumInc(x * x, sumX2, cX2)
        }
        if constY {
            if initY.isInfinite { return (.nan, .nan) }
            return (0, initY)
        }
        sumX += cX
        sumY += cY
        sumXY += cXY
        sumX2 += cX2
        let covXY = sumXY - sumX * sumY / n
        let varX = sumX2 - sumX * sumX / n
        let slope = covXY / varX
        return (slope, sumY / n - slope * sumX / n)
    }

    static func avg(_ w: ArraySlice<Sample>) -> Double {
        var sum = w.first!.v
        var count = 1.0
        var mean = 0.0
        var c = 0.0
        var incremental = false
        for s in w.dropFirst() {
            count += 1
            if !incremental {
                let (ns, nc) = kahanSumInc(s.v, sum, c)
                if !ns.isInfinite {
                    (sum, c) = (ns, nc)
                    continue
                }
                incremental = true
                mean = sum / (count - 1)
                c /= count - 1
            }
            let q = (count - 1) / count
            (mean, c) = kahanSumInc(s.v / count, q * mean, q * c)
        }
        return incremental ? mean + c : sum / count + c / count
    }

    static func sum(_ w: ArraySlice<Sample>) -> Double {
        var sum = 0.0
        var c = 0.0
        for s in w { (sum, c) = kahanSumInc(s.v, sum, c) }
        return sum.isInfinite ? sum : sum + c
    }

    static func variance(_ w: ArraySlice<Sample>) -> Double {
        var count = 0.0
        var mean = 0.0, cMean = 0.0, aux = 0.0, cAux = 0.0
        for s in w {
            count += 1
            let delta = s.v - (mean + cMean)
            (mean, cMean) = kahanSumInc(delta / count, mean, cMean)
            (aux, cAux) = kahanSumInc(delta * (s.v - (mean + cMean)), aux, cAux)
        }
        return (aux + cAux) / count
    }

    static func extreme(_ w: ArraySlice<Sample>, max isMax: Bool) -> Double {
        var r = w.first!.v
        for s in w where (isMax ? s.v > r : s.v < r) || r.isNaN { r = s.v }
        return r
    }

    static func changes(_ w: ArraySlice<Sample>) -> Double {
        var n = 0.0
        var prev = w.first!.v
        for s in w.dropFirst() {
            if s.v != prev && !(s.v.isNaN && prev.isNaN) { n += 1 }
            prev = s.v
        }
        return n
    }

    static func resets(_ w: ArraySlice<Sample>) -> Double {
        var n = 0.0
        var prev = w.first!.v
        for s in w.dropFirst() {
            if s.v < prev { n += 1 }
            prev = s.v
        }
        return n
    }

    static func mad(_ w: ArraySlice<Sample>) -> Double {
        let values = w.map(\.v)
        if values.contains(where: \.isNaN) { return .nan }
        let median = quantileOf(0.5, values)
        return quantileOf(0.5, values.map { abs($0 - median) })
    }

    /// `double_exponential_smoothing` (formerly `holt_winters`).
    static func doubleExponentialSmoothing(_ w: ArraySlice<Sample>, sf: Double, tf: Double) -> Double? {
        guard w.count >= 2 else { return nil }
        let xs = Array(w)
        var s0 = 0.0
        var s1 = xs[0].v
        var b = xs[1].v - xs[0].v
        for i in 1..<xs.count {
            let x = sf * xs[i].v
            if i > 1 { b = tf * (s1 - s0) + (1 - tf) * b }
            let y = (1 - sf) * (s1 + b)
            (s0, s1) = (s1, x + y)
        }
        return s1
    }
}
