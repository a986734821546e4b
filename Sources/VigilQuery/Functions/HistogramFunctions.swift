import Foundation
import VigilCore

/// One classic histogram bucket: upper bound (`le`) and cumulative count.
struct Bucket {
    var upperBound: Double
    var count: Double
}

/// Classic-histogram math of Prometheus's `quantile.go`.
enum HistogramFunctions {
    static func almostEqual(_ a: Double, _ b: Double, _ epsilon: Double) -> Bool {
        if a.isNaN && b.isNaN { return true }
        if a == b { return true }
        let minNormal = Double(bitPattern: 0x0010_0000_0000_0000)
        let absSum = abs(a) + abs(b)
        let diff = abs(a - b)
        if a == 0 || b == 0 || absSum < minNormal { return diff < epsilon * minNormal }
        return diff / min(absSum, .greatestFiniteMagnitude) < epsilon
    }

    /// Sorts, merges buckets with equal bounds (`le="1"` and `le="1.0"`) and forces monotonic counts.
    static func prepare(_ input: [Bucket]) -> [Bucket]? {
        var buckets = input.sorted { $0.upperBound < $1.upperBound }
        guard let top = buckets.last, top.upperBound == .infinity else { return nil }
        var merged: [Bucket] = []
        merged.reserveCapacity(buckets.count)
        for b in buckets {
            if let last = merged.last, last.upperBound == b.upperBound {
                merged[merged.count - 1].count += b.count
            } else {
                merged.append(b)
            }
        }
        buckets = merged
        var prev = buckets[0].count
        for i in 1..<buckets.count {
            let curr = buckets[i].count
            if curr == prev { continue }
            if almostEqual(prev, curr, 1e-12) || curr < prev {
                buckets[i].count = prev
                continue
            }
            prev = curr
        }
        return buckets
    }

    /// `histogram_quantile` over classic buckets.
    /// - Complexity: O(n log n) in the number of buckets.
    static func quantile(_ q: Double, _ input: [Bucket]) -> Double {
        if q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        guard let buckets = prepare(input), buckets.count >= 2 else { return .nan }
        let observations = buckets[buckets.count - 1].count
        if observations == 0 { return .nan }
        var rank = q * observations
        var b = 0
        while b < buckets.count - 1 && !(buckets[b].count >= rank) { b += 1 }
        if b == buckets.count - 1 { return buckets[buckets.count - 2].upperBound }
        if b == 0 && buckets[0].upperBound <= 0 { return buckets[0].upperBound }
        var bucketStart = 0.0
        let bucketEnd = buckets[b].upperBound
        var count = buckets[b].count
        if b > 0 {
            bucketStart = buckets[b - 1].upperBound
            count -= buckets[b - 1].count
            rank -= buckets[b - 1].count
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count)
    }

    /// `histogram_fraction` over classic buckets: the estimated share of observations in `[lower, upper]`.
    ///
    /// Interpolates linearly inside a bucket; the first bucket starts at 0 when its bound is positive, else at -Inf
    /// (where the whole bucket counts).
    static func fraction(_ lower: Double, _ upper: Double, _ input: [Bucket]) -> Double {
        var sorted = input.sorted { $0.upperBound < $1.upperBound }
        guard let top = sorted.last, top.upperBound == .infinity else { return .nan }
        var merged: [Bucket] = []
        for b in sorted {
            if let last = merged.last, last.upperBound == b.upperBound {
                merged[merged.count - 1].count += b.count
            } else {
                merged.append(b)
            }
        }
        sorted = merged
        let count = sorted[sorted.count - 1].count
        if count == 0 || lower.isNaN || upper.isNaN { return .nan }
        if lower >= upper { return 0 }
        var rank = 0.0
        var lowerRank = 0.0, upperRank = 0.0
        var lowerSet = false, upperSet = false
        var lowerBound = sorted[0].upperBound > 0 ? 0.0 : -Double.infinity
        for (i, b) in sorted.enumerated() {
            if i > 0 { lowerBound = sorted[i - 1].upperBound }
            let upperBound = b.upperBound
            let lb = lowerBound, r = rank
            func interpolate(_ v: Double) -> Double {
                lb == -.infinity ? b.count : r + (b.count - r) * (v - lb) / (upperBound - lb)
            }
            if !lowerSet && lowerBound >= lower {
                lowerRank = rank
                lowerSet = true
            }
            if !upperSet && lowerBound >= upper {
                upperRank = rank
                upperSet = true
            }
            if lowerSet && upperSet { break }
            if !lowerSet && lowerBound < lower && upperBound > lower {
                lowerRank = interpolate(lower)
                lowerSet = true
            }
            if !upperSet && lowerBound < upper && upperBound > upper {
                upperRank = interpolate(upper)
                upperSet = true
            }
            if lowerSet && upperSet { break }
            rank = b.count
        }
        if !lowerSet || lowerRank > count { lowerRank = count }
        if !upperSet || upperRank > count { upperRank = count }
        return (upperRank - lowerRank) / count
    }
}
