/// Settings of the default ensemble; one configuration serves every series.
public struct EnsembleConfig: Sendable, Codable {
    /// Samples in the rolling median/IQR window.
    public var window = 64
    /// Samples before any score is reported.
    public var warmup = 32
    /// Robust z at which the instantaneous raw score starts to rise.
    public var zStart = 1.0
    /// Robust z span over which the raw score rises to 1.
    public var zSpan = 3.0
    /// CUSUM slack, in robust standard deviations.
    public var cusumSlack = 0.5
    /// CUSUM decision level.
    public var cusumLevel = 12.0
    /// Consecutive same-sign samples beyond `shiftZ` that confirm a level shift and re-baseline.
    public var shiftRun = 3
    /// Robust z beyond which a sample counts toward a level shift.
    public var shiftZ = 8.0
    /// Score at or above which an event is raised.
    public var eventLevel = 0.5
    /// Samples after an event during which further scores are damped.
    public var cooldown = 100
    /// Factor applied to scores during the cooldown.
    public var cooldownDamping = 0.3
    /// Weight of the likelihood score against the instantaneous score (0...1).
    public var likelihoodWeight = 0.6
    /// Half-life in samples of the recent maximum a score must beat to pass undamped (0 turns the gate off).
    public var noveltyHalfLife = 3000
    /// Factor applied to scores that do not beat the recent maximum.
    public var noveltyDamping = 0.6
    /// Fraction of the long-run typical scale below which the scale never falls.
    public var longScaleFloor = 1.0
    /// Weight of a new window scale in the long-run typical scale.
    public var longScaleRate = 0.0003
    /// Weight of a new raw score in the likelihood's short average.
    public var likelihoodShortAlpha = 0.3
    /// Weight of a new raw score in the likelihood's long-run distribution.
    public var likelihoodLongAlpha = 0.002
    /// Tolerance, as a fraction of the range seen so far, beyond which a value is a range breach.
    public var rangeTolerance = 0.01
    /// Score given to a range breach (0 turns the check off).
    public var rangeScore = 1.0
    /// Samples before range breaches count (the range of a young series is still being learned).
    public var rangeWarmup = 1000
    /// Sensitivity multiplier on z-scores (1 = default; larger flags more).
    public var sensitivity = 1.0

    /// The default configuration.
    public init() {}
}
