/// Why a sample scored as it did: the detector that contributed most, the band it expected and what was seen.
public struct AnomalyExplanation: Sendable, Equatable, Codable {
    /// The detector with the largest contribution (`robust_z`, `ewma`, `seasonal`, `level_shift`).
    public var detector: String
    /// The kind this detector suggests.
    public var kind: AnomalyKind
    /// The lower edge of the expected band.
    public var lower: Double
    /// The upper edge of the expected band.
    public var upper: Double
    /// The observed value.
    public var observed: Double
    /// The expected (centre) value.
    public var expected: Double

    /// An explanation.
    public init(detector: String, kind: AnomalyKind, lower: Double, upper: Double, observed: Double,
                expected: Double) {
        self.detector = detector
        self.kind = kind
        self.lower = lower
        self.upper = upper
        self.observed = observed
        self.expected = expected
    }

    /// The relative change of `observed` against `expected` (0 when the expectation is 0).
    public var relativeChange: Double { expected == 0 ? 0 : (observed - expected) / abs(expected) }

    /// A one-line summary, e.g. `robust_z: observed 65 outside expected [97.1, 102.9] (dip)`.
    public var summary: String {
        let band = "[\(short(lower)), \(short(upper))]"
        return "\(detector): observed \(short(observed)) outside expected \(band) (\(kind.rawValue))"
    }

    private func short(_ v: Double) -> String {
        if !v.isFinite { return "\(v)" }
        let scaled = (v * 1000).rounded() / 1000
        return scaled == scaled.rounded() && abs(scaled) < 1e15 ? String(Int64(scaled)) : String(scaled)
    }
}
