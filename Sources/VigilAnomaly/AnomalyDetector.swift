#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The default ensemble for one series: robust z on a rolling median/IQR, an EWMA with adaptive variance (kept for
/// explanations), daily and weekly seasonal baselines (used only when a season is found), a CUSUM level/mean-shift
/// detector with re-baselining, a range-breach check (a value beyond everything seen, as Numenta's NAB detector
/// does), an anomaly-likelihood step, a novelty gate and event damping. Scores are in [0, 1]; there is no look-ahead.
public struct AnomalyDetector: Sendable, Codable {
    /// The settings.
    public let config: EnsembleConfig
    private var window: SortedWindow
    private var ewma = EWMADetector(alpha: 0.05)
    private var daily = SeasonalBaseline(period: 86_400, buckets: 48)
    private var weekly = SeasonalBaseline(period: 604_800, buckets: 168)
    private var likelihood: AnomalyLikelihood
    private var absDev = 0.0
    private var seenMin = 0.0
    private var seenMax = 0.0
    private var longScale = 0.0
    private var scaleFloor = 0.0
    private var cusumUp = 0.0
    private var cusumDown = 0.0
    private var shiftCount = 0
    private var shiftSign = 0.0
    private var shiftSum = 0.0
    private var cooldownLeft = 0
    private var recentMax = 0.0
    private let noveltyDecay: Double
    private var count = 0
    /// The explanation of the last scored sample (nil before any finite sample).
    public private(set) var explanation: AnomalyExplanation?
    /// The last confirmed level shift (kind `level_shift`, expected = old level, observed = new level).
    public private(set) var lastShift: AnomalyExplanation?
    /// The sample index (0-based, counting every update) of the last confirmed level shift's first sample.
    public private(set) var lastShiftStart: Int?
    private var updates = 0

    /// A detector with `config`.
    public init(config: EnsembleConfig = EnsembleConfig()) {
        self.config = config
        noveltyDecay = config.noveltyHalfLife > 0 ? pow(0.5, 1 / Double(config.noveltyHalfLife)) : 0
        window = SortedWindow(capacity: config.window)
        likelihood = AnomalyLikelihood(shortAlpha: config.likelihoodShortAlpha, longAlpha: config.likelihoodLongAlpha)
    }

    /// Approximate bytes of state held for this series.
    public var stateBytes: Int { config.window * 8 + daily.stateBytes + weekly.stateBytes + 240 }

    /// Scores `value` at `time` (seconds since the epoch, NaN when unknown) and folds it in.
    /// Non-finite values score 0 and leave the state untouched.
    public mutating func update(time: Double, value: Double) -> Double {
        updates += 1
        guard value.isFinite else {
            if cooldownLeft > 0 { cooldownLeft -= 1 }
            return 0
        }
        count += 1
        let median = window.quantile(0.5)
        let iqr = window.quantile(0.75) - window.quantile(0.25)
        let tiny = 1e-9 * max(1, abs(median.isNaN ? value : median))
        if window.count >= 8 {
            longScale += (count < 200 ? 1.0 / Double(count) : config.longScaleRate) * (iqr / 1.349 - longScale)
        }
        let scale = max(iqr / 1.349, absDev * 0.5, scaleFloor, longScale * config.longScaleFloor, tiny)
        let zRobust = window.count >= 4 ? (value - median) / scale : 0
        let zEWMA = ewma.update(value)
        let residual = median.isNaN ? 0 : value - median

        // Seasonal expectation, when a season is active.
        var zSeason = Double.nan
        var seasonBand: (Double, Double, Double)?
        let seasonal = weekly.active ? weekly.expectation(at: time)
            : (daily.active ? daily.expectation(at: time) : nil)
        if let e = seasonal {
            let s = max(e.scale, scale * 0.25, tiny)
            zSeason = (value - e.expected) / s
            seasonBand = (e.expected - 3 * s, e.expected + 3 * s, e.expected)
        }
        daily.update(time: time, value: value, localResidual: residual)
        weekly.update(time: time, value: value, localResidual: residual)

        // The seasonal residual replaces the local one when a season is active.
        let primary = zSeason.isNaN ? zRobust : zSeason
        let z = abs(primary) * config.sensitivity

        // CUSUM on the clipped robust residual.
        let r = max(-4, min(4, zRobust))
        cusumUp = max(0, cusumUp + r - config.cusumSlack)
        cusumDown = max(0, cusumDown - r - config.cusumSlack)
        let cusum = min(1, max(cusumUp, cusumDown) / config.cusumLevel)

        var inst = min(1, max(0, (z - config.zStart) / config.zSpan))
        inst = max(inst, cusum >= 1 ? 0.5 : 0)
        // Range breach: a value beyond everything seen so far by more than a tolerance of the range.
        var breach = false
        let range = (seenMin, seenMax)
        if seenMax > seenMin {
            let tolerance = (seenMax - seenMin) * config.rangeTolerance
            breach = value > seenMax + tolerance || value < seenMin - tolerance
        }
        if count == 1 { seenMin = value; seenMax = value }
        seenMin = min(seenMin, value)
        seenMax = max(seenMax, value)
        let lik = likelihood.update(inst)
        var score = config.likelihoodWeight * lik + (1 - config.likelihoodWeight) * inst
        breach = breach && count > config.rangeWarmup
        if breach { score = max(score, config.rangeScore) }
        if count <= config.warmup { score = 0 }

        // Explanation: the strongest contributor.
        if breach {
            explanation = AnomalyExplanation(detector: "range", kind: value > range.1 ? .spike : .dip,
                                             lower: range.0, upper: range.1, observed: value,
                                             expected: median.isNaN ? value : median)
        } else if let band = seasonBand, cusum < 1 {
            explanation = AnomalyExplanation(detector: "seasonal", kind: .seasonalBreak, lower: band.0,
                                             upper: band.1, observed: value, expected: band.2)
        } else {
            let centre = median.isNaN ? value : median
            let detector = cusum >= 1 ? "level_shift" : (abs(zEWMA) > abs(zRobust) ? "ewma" : "robust_z")
            let kind: AnomalyKind = cusum >= 1 ? .levelShift : (value >= centre ? .spike : .dip)
            explanation = AnomalyExplanation(detector: detector, kind: kind, lower: centre - 3 * scale,
                                             upper: centre + 3 * scale, observed: value, expected: centre)
        }

        // Level-shift confirmation and re-baselining.
        let sign: Double = zRobust > 0 ? 1 : -1
        if abs(zRobust) >= config.shiftZ && (shiftCount == 0 || sign == shiftSign) {
            if shiftCount == 0 { shiftSum = 0 }
            shiftCount += 1
            shiftSign = sign
            shiftSum += value
        } else {
            shiftCount = 0
        }
        if shiftCount >= config.shiftRun || (cusum >= 1 && window.count >= window.capacity / 2) {
            let confirmedByRun = shiftCount >= config.shiftRun
            let newLevel = confirmedByRun ? shiftSum / Double(shiftCount) : value
            let oldLevel = median.isNaN ? value : median
            lastShift = AnomalyExplanation(detector: "level_shift", kind: .levelShift, lower: oldLevel - 3 * scale,
                                           upper: oldLevel + 3 * scale, observed: newLevel, expected: oldLevel)
            lastShiftStart = updates - (confirmedByRun ? shiftCount : 1)
            let keep = confirmedByRun ? shiftCount : 1
            var recent: (Double, Double, Double) = (value, value, value)
            if keep >= 2 { recent.1 = window.recent(0) }
            if keep >= 3 { recent.2 = window.recent(1) }
            window.removeAll()
            if keep >= 3 { window.push(recent.2) }
            if keep >= 2 { window.push(recent.1) }
            scaleFloor = scale
            ewma.rebase(to: newLevel)
            cusumUp = 0
            cusumDown = 0
            shiftCount = 0
        }
        window.push(value)
        if window.count >= window.capacity / 2 { scaleFloor *= 0.98 }
        absDev += (count < 20 ? 1.0 / Double(count) : 0.01) * (min(abs(residual), 6 * scale) - absDev)

        // Novelty gate: a score passes undamped only when it beats the decaying maximum of recent raw scores, so
        // the everyday noise of a series never pages however often it recurs.
        let raw = score
        if count > config.warmup && score <= recentMax {
            score *= config.noveltyDamping
        }
        recentMax = max(recentMax * noveltyDecay, raw)

        // Event damping: one event per episode rather than a storm.
        if cooldownLeft > 0 {
            cooldownLeft -= 1
            score *= config.cooldownDamping
        } else if score >= config.eventLevel {
            cooldownLeft = config.cooldown
        }
        return max(0, min(1, score))
    }
}
