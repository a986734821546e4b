/// The notifier's source of time: the current time and timers, so tests can drive time by hand.
///
/// Times are milliseconds since the Unix epoch. `SystemNotifyClock` uses wall time; `ManualNotifyClock`
/// only moves when a test advances it.
public protocol NotifyClock: Sendable {
    /// The current time in milliseconds since the epoch.
    func now() -> Int64

    /// Runs `action` once at `deadline` unless the returned timer is cancelled first.
    func schedule(at deadline: Int64, _ action: @escaping @Sendable () -> Void) -> any NotifyTimer

    /// Suspends until `deadline`; throws `CancellationError` when the task is cancelled first.
    func sleep(until deadline: Int64) async throws
}

/// A timer returned by `NotifyClock.schedule`.
public protocol NotifyTimer: Sendable {
    /// Stops the timer; its action will not run if it has not started.
    func cancel()
}
