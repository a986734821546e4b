import VigilCore
import VigilStorage

/// Where alert `for` progress is read back from after a start: the newest `ALERTS_FOR_STATE` sample of a series.
public protocol AlertStateSource: Sendable {
    /// The newest `ALERTS_FOR_STATE` sample of exactly `labels` in `[mint, maxt]`, stale markers included.
    func lastForState(_ labels: Labels, mint: Int64, maxt: Int64) -> Sample?
}

/// Reads `ALERTS_FOR_STATE` back from the time-series store, as Prometheus does.
public struct StorageAlertStateSource: AlertStateSource {
    public let storage: any Storage

    public init(storage: any Storage) { self.storage = storage }

    public func lastForState(_ labels: Labels, mint: Int64, maxt: Int64) -> Sample? {
        var matchers: [LabelMatcher] = []
        for p in labels.pairs {
            if let m = try? LabelMatcher(.equal, p.name, p.value) { matchers.append(m) }
        }
        return storage.select(matchers, mint: mint, maxt: maxt).first { $0.labels == labels }?.samples.last
    }
}

/// Alert state kept in `state.sqlite`: each group's current `ALERTS_FOR_STATE` values, replaced after every
/// evaluation, so `for` timers survive a restart even where the time-series store does not.
public final class SQLiteAlertStateStore: AlertStateSource, @unchecked Sendable {
    private let store: StateStore

    /// Creates the `alert_for_state` table if needed.
    public init(store: StateStore) throws(StorageError) {
        self.store = store
        try store.migrate(owner: "rules", steps: [
            """
            CREATE TABLE alert_for_state (
                series TEXT PRIMARY KEY,
                rule_group TEXT NOT NULL,
                active_at REAL NOT NULL,
                updated_at INTEGER NOT NULL)
            """,
            "CREATE INDEX alert_for_state_group ON alert_for_state(rule_group)",
        ])
    }

    /// Replaces the rows of `group` with the `ALERTS_FOR_STATE` samples among `samples` (stale markers dropped).
    public func record(group: String, samples: [LabeledSample]) throws(StorageError) {
        let current = samples.filter { $0.labels.metricName == "ALERTS_FOR_STATE" && !StaleMarker.isStale($0.v) }
        try store.transaction { () throws(StorageError) in
            try store.execute("DELETE FROM alert_for_state WHERE rule_group = ?", [.text(group)])
            for s in current {
                try store.execute(
                    "INSERT OR REPLACE INTO alert_for_state(series, rule_group, active_at, updated_at) VALUES(?,?,?,?)",
                    [.text(s.labels.description), .text(group), .double(s.v), .int(s.t)])
            }
        }
    }

    public func lastForState(_ labels: Labels, mint: Int64, maxt: Int64) -> Sample? {
        let rows = try? store.query("SELECT active_at, updated_at FROM alert_for_state WHERE series = ?",
                                    [.text(labels.description)])
        guard let row = rows?.first, let v = row[0].double, let t = row[1].int, t >= mint, t <= maxt else { return nil }
        return Sample(t: t, v: v)
    }
}
