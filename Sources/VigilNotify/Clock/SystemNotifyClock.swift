import Dispatch
import Foundation
import VigilCore

/// Wall-clock time with timers on a dispatch queue.
public struct SystemNotifyClock: NotifyClock {
    /// Creates the clock.
    public init() {}

    /// The current wall time.
    public func now() -> Int64 { Timestamp.nowMillis() }

    /// Runs `action` on a global queue at `deadline`.
    public func schedule(at deadline: Int64, _ action: @escaping @Sendable () -> Void) -> any NotifyTimer {
        let item = DispatchWorkItem(block: action)
        let delay = max(0, deadline - now())
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(delay)), execute: item)
        return DispatchNotifyTimer(item: item)
    }

    /// Sleeps with `Task.sleep` until `deadline`.
    public func sleep(until deadline: Int64) async throws {
        let delay = deadline - now()
        if delay > 0 { try await Task.sleep(nanoseconds: UInt64(delay) * 1_000_000) }
        try Task.checkCancellation()
    }
}

private struct DispatchNotifyTimer: NotifyTimer, @unchecked Sendable {
    let item: DispatchWorkItem
    func cancel() { item.cancel() }
}
