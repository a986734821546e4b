import VigilCore

/// Counts log lines per source, template and level: `vigil_log_lines_total{source,template_id,level}`.
///
/// Only the counting and the samples for the store exist; the alerts for a new error-level template and for a
/// template bursting against its own baseline, which run on these series, are not built yet.
public struct LogLineCounter: Sendable {
    /// The metric name of the counter series.
    public static let metricName = "vigil_log_lines_total"

    private struct Key: Hashable {
        var source: String
        var templateID: String
        var level: String
    }

    private var counts: [Key: Int] = [:]
    private var firstSeen: [Key: Int64] = [:]

    /// Creates an empty counter.
    public init() {}

    /// Counts one line; `level` is empty when the header gave none. Returns true the first time this source
    /// sees this template at this level (a new template).
    @discardableResult
    public mutating func observe(source: String, templateID: String, level: String, at t: Int64) -> Bool {
        let key = Key(source: source, templateID: templateID, level: level)
        counts[key, default: 0] += 1
        if firstSeen[key] == nil {
            firstSeen[key] = t
            return true
        }
        return false
    }

    /// The count for one series (0 when never seen).
    public func count(source: String, templateID: String, level: String) -> Int {
        counts[Key(source: source, templateID: templateID, level: level)] ?? 0
    }

    /// Every series' count at time `t`, for appending to the store.
    public func samples(at t: Int64) -> [LabeledSample] {
        counts.map { key, value in
            let labels = Labels([
                "__name__": Self.metricName, "source": key.source, "template_id": key.templateID, "level": key.level,
            ])
            return LabeledSample(labels, t: t, v: Double(value))
        }.sorted { $0.labels < $1.labels }
    }
}
