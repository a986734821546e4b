#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Numenta-style anomaly likelihood: how surprising the recent (short average) raw score is against the long-run
/// distribution of raw scores, as a Gaussian tail, reported on NAB's log scale in [0, 1].
public struct AnomalyLikelihood: Sendable, Codable {
    /// Weight of a new raw score in the short average.
    public var shortAlpha: Double
    /// Weight of a new raw score in the long-run mean and variance.
    public var longAlpha: Double
    private var short = 0.0
    private var mean = 0.0
    private var variance = 0.0
    private var count = 0

    /// A likelihood with the given averaging weights.
    public init(shortAlpha: Double = 0.3, longAlpha: Double = 0.002) {
        self.shortAlpha = shortAlpha
        self.longAlpha = longAlpha
    }

    /// Folds `raw` (in [0, 1]) in and returns the log-scaled likelihood in [0, 1].
    public mutating func update(_ raw: Double) -> Double {
        count += 1
        short += shortAlpha * (raw - short)
        let sd = max(variance.squareRoot(), 0.02)
        let z = (short - mean) / sd
        let tail = 0.5 * erfc(z / 2.0.squareRoot())
        let likelihood = count < 10 ? 0.5 : 1 - tail
        let beta = max(longAlpha, 1.0 / Double(count))
        let r = raw - mean
        mean += beta * r
        variance = (1 - beta) * (variance + beta * r * r)
        return AnomalyLikelihood.logScale(likelihood)
    }

    /// NAB's log scale of a likelihood: log(1.0000000001 - l) / log(1e-10), clamped to [0, 1].
    public static func logScale(_ likelihood: Double) -> Double {
        max(0, min(1, log(1.0000000001 - likelihood) / -23.02585084720009))
    }
}
