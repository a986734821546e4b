/// The kinds of anomaly Vigil names (ids as in the anomaly API).
public enum AnomalyKind: String, Sendable, CaseIterable, Codable {
    case spike
    case dip
    case levelShift = "level_shift"
    case trendChange = "trend_change"
    case varianceChange = "variance_change"
    case flatline
    case seasonalBreak = "seasonal_break"
}
