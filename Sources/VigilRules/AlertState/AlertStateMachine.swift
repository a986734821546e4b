/// The lifecycle of one alert (one output label set of an alerting rule), as Prometheus's `AlertingRule.Eval` runs
/// it: pending until the condition has held for `for`, then firing; kept firing for `keep_firing_for` after the
/// condition clears; then resolved and kept for a retention period so the resolution can be sent.
public struct AlertStateMachine: Sendable, Equatable {
    /// Where the alert is.
    public enum State: Sendable, Equatable {
        case pending(activeAt: Int64)
        case firing(activeAt: Int64, firedAt: Int64, keepFiringSince: Int64?)
        case resolved(activeAt: Int64, firedAt: Int64, resolvedAt: Int64)
    }

    /// What the caller should do after an event.
    public enum Action: Sendable, Equatable {
        /// Nothing changed that the caller must act on.
        case none
        /// The alert is new and pending (or restarted after being resolved).
        case startPending
        /// The alert started firing.
        case fire
        /// The condition cleared but `keep_firing_for` keeps the alert firing.
        case keepFiring
        /// The alert resolved: send the resolution.
        case resolve
        /// Forget the alert (a pending alert that cleared, or a resolved one past retention).
        case remove
    }

    /// The current state.
    public private(set) var state: State

    /// A new alert that became active at `activeAt`.
    public init(activeAt: Int64) { state = .pending(activeAt: activeAt) }

    /// Restores a state (for reload and tests).
    public init(state: State) { self.state = state }

    /// True while pending or firing (the alert counts toward `limit` and writes `ALERTS`).
    public var isActive: Bool {
        if case .resolved = state { return false }
        return true
    }

    /// The time the alert became active.
    public var activeAt: Int64 {
        switch state {
        case .pending(let a), .firing(let a, _, _), .resolved(let a, _, _): a
        }
    }

    /// The rule's expression produced this alert's label set at `t`.
    public mutating func present(at t: Int64, holdDuration: Int64) -> Action {
        switch state {
        case .resolved:
            state = .pending(activeAt: t)
            if holdDuration <= 0 {
                state = .firing(activeAt: t, firedAt: t, keepFiringSince: nil)
                return .fire
            }
            return .startPending
        case .pending(let activeAt):
            if t - activeAt >= holdDuration {
                state = .firing(activeAt: activeAt, firedAt: t, keepFiringSince: nil)
                return .fire
            }
            return .none
        case .firing(let activeAt, let firedAt, _):
            state = .firing(activeAt: activeAt, firedAt: firedAt, keepFiringSince: nil)
            return .none
        }
    }

    /// The rule's expression did not produce this alert's label set at `t`.
    public mutating func absent(at t: Int64, keepFiringFor: Int64, retention: Int64) -> Action {
        switch state {
        case .pending:
            return .remove
        case .firing(let activeAt, let firedAt, let since):
            if keepFiringFor > 0 {
                let start = since ?? t
                if t - start < keepFiringFor {
                    state = .firing(activeAt: activeAt, firedAt: firedAt, keepFiringSince: start)
                    return .keepFiring
                }
            }
            state = .resolved(activeAt: activeAt, firedAt: firedAt, resolvedAt: t)
            return .resolve
        case .resolved(_, _, let resolvedAt):
            return t - resolvedAt > retention ? .remove : .none
        }
    }
}
