#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Names the kind of an anomaly from a window of values around it (the anomaly in the last third), with a random
/// forest trained on labelled synthetic shapes plus operator feedback. Training is deterministic for a seed.
public struct ShapeClassifier: Sendable {
    /// The kinds, in label order.
    public static let kinds = AnomalyKind.allCases
    /// Samples in a synthetic training window (the last third holds the anomaly).
    public static let windowLength = 96
    private var forest: RandomForestClassifier

    /// A classifier trained on `examplesPerKind` synthetic windows of each kind plus `feedback` (windows an operator
    /// labelled; each is weighted as `feedbackWeight` synthetic examples).
    public init(seed: UInt64 = 7, examplesPerKind: Int = 150, feedback: [(window: [Double], kind: AnomalyKind)] = [],
                feedbackWeight: Int = 5) {
        var rng = SplitMix64(seed: seed)
        var x: [[Double]] = []
        var y: [Int] = []
        for (label, kind) in ShapeClassifier.kinds.enumerated() {
            for _ in 0..<examplesPerKind {
                x.append(ShapeClassifier.features(ShapeClassifier.synthetic(kind, rng: &rng)))
                y.append(label)
            }
        }
        for item in feedback {
            guard let label = ShapeClassifier.kinds.firstIndex(of: item.kind) else { continue }
            let f = ShapeClassifier.features(item.window)
            for _ in 0..<max(1, feedbackWeight) { x.append(f); y.append(label) }
        }
        forest = RandomForestClassifier(classes: ShapeClassifier.kinds.count, trees: 40, maxDepth: 12, seed: seed)
        forest.fit(x, y)
    }

    /// The kind of the anomaly in the last third of `window` and the forest's confidence.
    public func classify(_ window: [Double]) -> (kind: AnomalyKind, confidence: Double) {
        let p = forest.predict(ShapeClassifier.features(window))
        return (ShapeClassifier.kinds[p.label], p.probability)
    }

    // MARK: Features

    private static func median(_ v: ArraySlice<Double>) -> Double {
        let s = v.sorted()
        if s.isEmpty { return 0 }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    private static func slope(_ v: ArraySlice<Double>) -> Double {
        let n = Double(v.count)
        if n < 2 { return 0 }
        let mx = (n - 1) / 2
        let my = v.reduce(0, +) / n
        var num = 0.0
        var den = 0.0
        for (i, y) in v.enumerated() {
            num += (Double(i) - mx) * (y - my)
            den += (Double(i) - mx) * (Double(i) - mx)
        }
        return num / den
    }

    private static func sd(_ v: ArraySlice<Double>) -> Double {
        let n = Double(v.count)
        if n < 2 { return 0 }
        let m = v.reduce(0, +) / n
        return (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)).squareRoot()
    }

    /// Scale-free features of a window: the baseline is the first two thirds, the candidate anomaly the last third.
    public static func features(_ raw: [Double]) -> [Double] {
        let values = raw.map { $0.isFinite ? $0 : 0 }
        guard values.count >= 12 else { return [Double](repeating: 0, count: 14) }
        let cut = values.count * 2 / 3
        let before = values[..<cut]
        let after = values[cut...]
        let m = median(before)
        let diffs = zip(before.dropFirst(), before).map { abs($0 - $1) }
        let noise = median(diffs[...]) / 0.9539 + 1e-9 * max(1, abs(m))
        let spread = sd(before) + 1e-9 * max(1, abs(m))
        let scale = max(noise, 1e-12)
        let z = after.map { ($0 - m) / spread }
        // Period of the baseline: the lag with the highest autocorrelation.
        var bestLag = 0
        var bestCorr = 0.0
        let mean = before.reduce(0, +) / Double(before.count)
        let variance = before.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        if variance > 0 {
            for lag in 4...max(4, before.count / 2) {
                var c = 0.0
                for i in (before.startIndex + lag)..<before.endIndex {
                    c += (values[i] - mean) * (values[i - lag] - mean)
                }
                c /= variance
                if c > bestCorr { bestCorr = c; bestLag = lag }
            }
        }
        var seasonalResidual = 0.0
        var seasonalBefore = 0.0
        if bestLag > 0 && bestCorr > 0.3 {
            for i in after.indices { seasonalResidual += abs(values[i] - values[i - bestLag]) }
            seasonalResidual /= Double(after.count) * scale
            for i in (before.startIndex + bestLag)..<before.endIndex {
                seasonalBefore += abs(values[i] - values[i - bestLag])
            }
            seasonalBefore /= Double(before.count - bestLag) * scale
        }
        let flatAfter = Double(zip(after.dropFirst(), after).filter { $0 == $1 }.count) / Double(after.count - 1)
        let flatBefore = Double(zip(before.dropFirst(), before).filter { $0 == $1 }.count) / Double(before.count - 1)
        let outliers = Double(z.filter { abs($0) > 3 }.count) / Double(z.count)
        let afterDiffs = zip(after.dropFirst(), after).map { abs($0 - $1) }
        return [
            z.max() ?? 0,
            z.min() ?? 0,
            (median(after) - m) / spread,
            outliers,
            slope(before) / spread * Double(before.count),
            slope(after) / spread * Double(after.count),
            (slope(after) - slope(before)) / spread * Double(after.count),
            log((sd(after) + 1e-12) / (sd(before) + 1e-12)),
            flatAfter - flatBefore,
            log((median(afterDiffs[...]) + 1e-12 * scale) / (noise + 1e-12 * scale)),
            bestCorr,
            seasonalResidual - seasonalBefore,
            z.last ?? 0,
            log((afterDiffs.max() ?? 0) / scale + 1),
        ]
    }

    // MARK: Synthetic shapes

    private static func uniform(_ rng: inout SplitMix64, _ lo: Double, _ hi: Double) -> Double {
        lo + (hi - lo) * Double(rng.next() >> 11) / Double(1 << 53)
    }

    private static func gaussian(_ rng: inout SplitMix64) -> Double {
        let u = max(uniform(&rng, 0, 1), 1e-12)
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * uniform(&rng, 0, 1))
    }

    /// A labelled synthetic window of `kind` (noise, optional season and trend; the shape in the last third).
    public static func synthetic(_ kind: AnomalyKind, rng: inout SplitMix64) -> [Double] {
        let n = windowLength
        let cut = n * 2 / 3
        let level = uniform(&rng, -100, 100)
        let noise = uniform(&rng, 0.5, 3)
        let seasonal = kind == .seasonalBreak || uniform(&rng, 0, 1) < 0.3
        let amplitude = seasonal ? noise * uniform(&rng, 4, 10) : 0
        let period = Double(Int(uniform(&rng, 12, 25)))
        let trend = uniform(&rng, 0, 1) < 0.3 ? noise * uniform(&rng, -0.05, 0.05) : 0
        var v = (0..<n).map { i in
            level + amplitude * sin(2 * Double.pi * Double(i) / period) + trend * Double(i) + noise * gaussian(&rng)
        }
        let sign: Double = uniform(&rng, 0, 1) < 0.5 ? -1 : 1
        let spread = (noise * noise + amplitude * amplitude / 2).squareRoot()
        switch kind {
        case .spike, .dip:
            let at = cut + Int(uniform(&rng, 0, Double(n - cut - 1)))
            let size = spread * uniform(&rng, 5, 15) * (kind == .spike ? 1 : -1)
            v[at] += size
            if uniform(&rng, 0, 1) < 0.3 && at + 1 < n { v[at + 1] += size * 0.6 }
        case .levelShift:
            let size = spread * uniform(&rng, 3, 10) * sign
            for i in cut..<n { v[i] += size }
        case .trendChange:
            let slope = spread * uniform(&rng, 0.15, 0.5) * sign
            for i in cut..<n { v[i] += slope * Double(i - cut) }
        case .varianceChange:
            let factor = uniform(&rng, 3, 7)
            for i in cut..<n { v[i] += noise * (factor - 1) * gaussian(&rng) }
        case .flatline:
            let value = v[cut - 1]
            for i in cut..<n { v[i] = value }
        case .seasonalBreak:
            let phase = uniform(&rng, 0, 1) < 0.5
            for i in cut..<n {
                let t = 2 * Double.pi * Double(i) / period
                v[i] -= amplitude * sin(t)
                if phase { v[i] += amplitude * sin(t + Double.pi) }
            }
        }
        return v
    }
}
