import Foundation

/// The sleep-until-next-slot loop of one group on a thread of its own: rule evaluation blocks (queries run
/// synchronously), so it stays off Swift's cooperative thread pool.
final class GroupTicker: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopped = false

    /// Wakes the loop and ends it.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// Sleeps until wall-clock `deadline` (ms); false when stopped first.
    func sleep(until deadline: Int64, now: () -> Int64) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !stopped {
            let wait = deadline - now()
            if wait <= 0 { return true }
            _ = condition.wait(until: Date(timeIntervalSinceNow: Double(wait) / 1000))
        }
        return false
    }
}
