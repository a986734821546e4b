/// Settings of the default ensemble; one configuration serves every series.
public struct EnsembleConfig: Sendable {
    /// Samples in the rolling median/IQR window.
    public var window = 64
    /// Samples before any score is reported.
    public var warmup = 32
    /// Robust z at which the instantaneous raw score starts to rise.
    public var zStart = 2.0
    /// Robust z span over which the raw score rises to 1.
    public var zSpan = 8.0
    /// CUSUM slack (in robust sd) and decision level.
    public var cusumSlack = 0.5
    /// CUSUM decision level.
    public var cusumLevel = 12.0
    /// Consecutive same-sign samples beyond `shiftZ` that confirm a level shift and re-baseline.
    public var shiftRun = 3
    /// Robust z beyond which a sample counts toward a level shift.
    public var shiftZ = 4.0
    /// Score at or above which an event is raised.
    public var eventLevel = 0.5
    /// Samples after an event during which further scores are damped.
    public var cooldown = 200
    /// Factor applied to scores during the cooldown.
    public var cooldownDamping = 0.3
    /// Weight of the likelihood score against the instantaneous score (0...1).
    public var likelihoodWeight = 0.5
    /// Sensitivity multiplier on z-scores (1 = default; larger flags more).
    public var sensitivity = 1.0

    /// The default configuration.
    public init() {}
}
