/// Watches per-template line counts interval by interval and reports new error templates and bursts.
///
/// A burst is an interval whose count is at least `minimumBurst` and at least `factor` times the template's
/// own baseline (an exponentially weighted mean of its earlier intervals, quiet intervals counting 0) plus one,
/// once the template has `warmUpIntervals` intervals of history. A new error template is a template first seen
/// on a line of level `error` or `critical`. These feed the alerts of issue 8 item 3; the rule wiring that
/// turns them into alerts is not built here.
public struct TemplateActivityMonitor: Sendable {
    /// Something worth an alert.
    public enum Event: Sendable, Hashable {
        /// A template first seen at error level.
        case newErrorTemplate(source: String, templateID: String)
        /// A template bursting against its own baseline.
        case burst(source: String, templateID: String, count: Int, baseline: Double)
    }

    private struct Key: Hashable {
        var source: String
        var templateID: String
    }

    private struct History {
        var baseline = 0.0
        var intervals = 0
    }

    /// Weight of the newest interval in the baseline.
    public let alpha: Double
    /// How many times the baseline (plus one) an interval must reach to burst.
    public let factor: Double
    /// The fewest lines a burst has.
    public let minimumBurst: Int
    /// Intervals of history a template needs before it can burst.
    public let warmUpIntervals: Int

    private var current: [Key: Int] = [:]
    private var history: [Key: History] = [:]

    /// Creates a monitor.
    public init(alpha: Double = 0.1, factor: Double = 5, minimumBurst: Int = 10, warmUpIntervals: Int = 5) {
        self.alpha = alpha
        self.factor = factor
        self.minimumBurst = minimumBurst
        self.warmUpIntervals = warmUpIntervals
    }

    /// Counts one line in the current interval; returns a new-error-template event on first sight at error level.
    public mutating func observe(source: String, templateID: String, level: String) -> Event? {
        let key = Key(source: source, templateID: templateID)
        let isNew = current[key] == nil && history[key] == nil
        current[key, default: 0] += 1
        if isNew && (level == "error" || level == "critical") {
            return .newErrorTemplate(source: source, templateID: templateID)
        }
        return nil
    }

    /// Closes the current interval: returns its bursts (by source, then template id) and updates baselines.
    public mutating func closeInterval() -> [Event] {
        var events: [Event] = []
        for key in Set(history.keys).union(current.keys) {
            let count = current[key] ?? 0
            var h = history[key] ?? History()
            if h.intervals >= warmUpIntervals && count >= minimumBurst
                && Double(count) >= factor * (h.baseline + 1)
            {
                events.append(
                    .burst(source: key.source, templateID: key.templateID, count: count, baseline: h.baseline))
            }
            h.baseline = h.intervals == 0 ? Double(count) : (1 - alpha) * h.baseline + alpha * Double(count)
            h.intervals += 1
            history[key] = h
        }
        current = [:]
        return events.sorted { "\($0)" < "\($1)" }
    }
}
