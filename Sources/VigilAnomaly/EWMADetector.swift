/// Exponentially weighted mean with an adaptive (residual-driven, winsorised) variance.
public struct EWMADetector: Sendable, Codable {
    /// Weight of a new sample in the mean.
    public var alpha: Double
    /// The current mean.
    public private(set) var mean = 0.0
    /// The current variance of residuals.
    public private(set) var variance = 0.0
    /// Samples seen.
    public private(set) var count = 0

    /// A detector with mean weight `alpha`.
    public init(alpha: Double = 0.05) { self.alpha = alpha }

    /// The signed z-score of `x` against the state before it, then folds `x` in.
    public mutating func update(_ x: Double) -> Double {
        count += 1
        if count == 1 { mean = x; return 0 }
        let residual = x - mean
        let sd = variance.squareRoot()
        let z = sd > 0 ? residual / sd : 0
        // Winsorise the residual at 4 sd so that one spike does not inflate the variance for long.
        let clipped = sd > 0 ? max(-4 * sd, min(4 * sd, residual)) : residual
        let beta = count < 20 ? 1.0 / Double(count) : alpha
        mean += beta * clipped
        variance = (1 - beta) * (variance + beta * clipped * clipped)
        return z
    }

    /// Starts over at `level`, keeping the variance.
    public mutating func rebase(to level: Double) {
        mean = level
    }
}
