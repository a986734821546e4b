/// Decides whether a flush must notify an integration, from what it was last told (Alertmanager's
/// `DedupStage.needsUpdate`).
public enum DedupStage {
    /// True when the integration must hear about `firing`/`resolved` at `now`:
    /// never notified and something fires; new firing alerts; everything resolved after it heard of firing
    /// ones; newly resolved alerts when it wants resolutions; or an unchanged group after `repeatInterval`
    /// (measured between flush times, so an interval equal to `repeatInterval` repeats).
    public static func needsUpdate(entry: NotificationLogEntry?, firing: Set<UInt64>, resolved: Set<UInt64>,
                                   sendResolved: Bool, repeatInterval: Int64, now: Int64) -> Bool {
        guard let entry else { return !firing.isEmpty }
        if !firing.isSubset(of: entry.firing) { return true }
        if firing.isEmpty { return !entry.firing.isEmpty }
        if sendResolved && !resolved.isSubset(of: entry.resolved) { return true }
        return now - entry.timestamp >= repeatInterval
    }
}
