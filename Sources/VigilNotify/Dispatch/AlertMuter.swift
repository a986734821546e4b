/// Hides alerts from notifications while they stay in their groups: the seam where silences and inhibition
/// rules plug in (Alertmanager's silence and inhibit stages).
public protocol AlertMuter: Sendable {
    /// True when `alert` must not be notified at `now`.
    func mutes(_ alert: NotifyAlert, at now: Int64) -> Bool
}
