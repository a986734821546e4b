import VigilCore

/// Turns one scrape's outcome into the samples to append: target labels, timestamps, stale markers and the
/// report series (`up`, `scrape_duration_seconds`, …), following Prometheus's scrape loop.
enum ScrapeBatch {
    /// The synthetic series every scrape writes.
    static let reportNames = [
        "up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling",
        "scrape_series_added",
    ]

    /// The labels of report series `name` for `target`.
    static func reportLabels(_ name: String, _ target: ScrapeTarget) -> Labels {
        var l = target.labels
        l.set(LabelName.metricName, name)
        return l
    }

    /// The batch for one scrape at `time`; updates `state` (health, error, series seen).
    ///
    /// A failed scrape (transport, HTTP status, parse error, sample limit) stores none of its samples and marks
    /// every series of the previous scrape stale, as Prometheus does.
    static func build(
        outcome: Result<ExpositionResult, ScrapeFailure>, target: ScrapeTarget, config: ScrapeConfig, time: Int64,
        duration: Double, state: inout ScrapeLoop.ScrapeState
    ) -> [LabeledSample] {
        var out: [LabeledSample] = []
        var current: Set<Labels> = []
        var scraped = 0
        var post = 0
        var added = 0
        var failure: String?
        switch outcome {
        case .failure(let f):
            failure = f.description
        case .success(let result):
            scraped = result.samples.count
            state.metadata = result.metadata
            if config.sampleLimit > 0 && scraped > config.sampleLimit {
                post = scraped
                failure = "sample limit exceeded"
                break
            }
            out.reserveCapacity(scraped + state.seen.count / 8 + reportNames.count)
            for s in result.samples {
                let labels = merge(s.labels, target: target, honorLabels: config.honorLabels)
                if let t = s.timestamp, config.honorTimestamps {
                    out.append(LabeledSample(labels, t: t, v: s.value))
                } else {
                    out.append(LabeledSample(labels, t: time, v: s.value))
                    if current.insert(labels).inserted && !state.seen.contains(labels) { added += 1 }
                }
            }
            post = out.count
        }
        for l in state.seen where !current.contains(l) {
            out.append(LabeledSample(l, t: time, v: StaleMarker.value))
        }
        state.seen = current

        let values: [Double] = [failure == nil ? 1 : 0, duration, Double(scraped), Double(post), Double(added)]
        for (name, v) in zip(reportNames, values) {
            out.append(LabeledSample(reportLabels(name, target), t: time, v: v))
        }
        state.reported = true
        state.health = failure == nil ? .up : .down
        state.lastError = failure ?? ""
        state.lastScrape = time
        state.lastDuration = duration
        return out
    }

    /// Adds the target labels to scraped labels; without `honorLabels`, clashing scraped labels move to
    /// `exported_<name>` (longest chain of prefixes until free), as Prometheus's `resolveConflictingExposedLabels`.
    static func merge(_ scraped: Labels, target: ScrapeTarget, honorLabels: Bool) -> Labels {
        var lb = scraped
        if honorLabels {
            for t in target.labels.pairs where lb.get(t.name) == nil { lb.set(t.name, t.value) }
            return lb
        }
        var conflicts: [Label] = []
        for t in target.labels.pairs {
            if let existing = lb.get(t.name) { conflicts.append(Label(t.name, existing)) }
            lb.set(t.name, t.value)
        }
        guard !conflicts.isEmpty else { return lb }
        for c in conflicts.sorted(by: { $0.name.utf8.count < $1.name.utf8.count }) {
            var name = c.name
            repeat { name = "exported_" + name } while lb.get(name) != nil
            lb.set(name, c.value)
        }
        return lb
    }
}
