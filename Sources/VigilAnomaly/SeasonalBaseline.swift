/// A coarse periodic baseline (one bucket per slot of the period) that turns itself on only when it explains
/// the series clearly better than a local level does. Buckets are allocated after one period of data.
public struct SeasonalBaseline: Sendable, Codable {
    /// The period in seconds.
    public let period: Double
    /// Buckets per period.
    public let buckets: Int
    private var means: [Float] = []
    private var devs: [Float] = []
    private var visits: [UInt8] = []
    private var firstTime = Double.nan
    private var seasonError = 0.0
    private var localError = 0.0
    private var errorSamples = 0
    /// True when the season explains the series (residual error well below the local model's).
    public private(set) var active = false

    /// A baseline over `period` seconds with `buckets` slots.
    public init(period: Double, buckets: Int) {
        self.period = period
        self.buckets = buckets
    }

    /// Bytes of state held.
    public var stateBytes: Int { means.capacity * 4 + devs.capacity * 4 + visits.capacity + 64 }

    /// The expected value and scale at `time`, when the bucket has history.
    public func expectation(at time: Double) -> (expected: Double, scale: Double)? {
        guard !means.isEmpty, time.isFinite else { return nil }
        let b = bucket(time)
        if visits[b] < 2 { return nil }
        return (Double(means[b]), Double(devs[b]) * 1.2533)
    }

    private func bucket(_ time: Double) -> Int {
        var phase = time.truncatingRemainder(dividingBy: period)
        if phase < 0 { phase += period }
        return min(buckets - 1, Int(phase / period * Double(buckets)))
    }

    /// Folds `value` at `time` in; `localResidual` is the local model's residual for the same sample.
    public mutating func update(time: Double, value: Double, localResidual: Double) {
        guard time.isFinite else { return }
        if firstTime.isNaN { firstTime = time }
        if means.isEmpty {
            if time - firstTime < period { return }
            means = [Float](repeating: 0, count: buckets)
            devs = [Float](repeating: 0, count: buckets)
            visits = [UInt8](repeating: 0, count: buckets)
        }
        let b = bucket(time)
        if visits[b] >= 2 {
            let r = value - Double(means[b])
            let w = 0.01
            seasonError = (1 - w) * seasonError + w * r * r
            localError = (1 - w) * localError + w * localResidual * localResidual
            errorSamples += 1
            active = errorSamples > buckets && time - firstTime >= 2 * period && seasonError < 0.5 * localError
        }
        let n = Double(visits[b]) + 1
        let beta = Float(max(1.0 / n, 0.1))
        if visits[b] == 0 {
            means[b] = Float(value)
        } else {
            let r = Float(value) - means[b]
            let dev = devs[b] > 0 ? devs[b] : abs(r)
            let clipped = max(-4 * dev - 1e-12, min(4 * dev + 1e-12, r))
            means[b] += beta * clipped
            devs[b] += beta * (abs(clipped) - devs[b])
        }
        if visits[b] < UInt8.max { visits[b] += 1 }
    }
}
