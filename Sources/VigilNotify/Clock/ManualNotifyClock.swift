import Foundation

/// A clock that moves only when told to, for exact and fast tests of the notifier's timing.
///
/// `advance(to:)` runs every timer that falls due, in deadline order, with `now()` set to each timer's
/// deadline while it runs; sleepers wake the same way.
public final class ManualNotifyClock: NotifyClock, @unchecked Sendable {
    private struct Entry {
        let id: UInt64
        let deadline: Int64
        let action: @Sendable () -> Void
    }

    private let lock = NSLock()
    private var current: Int64
    private var entries: [Entry] = []
    private var nextID: UInt64 = 0

    /// Starts at `start` milliseconds since the epoch.
    public init(start: Int64 = 1_700_000_000_000) { current = start }

    /// The clock's current time.
    public func now() -> Int64 { lock.withLock { current } }

    /// The earliest pending deadline, if any.
    public var nextDeadline: Int64? { lock.withLock { entries.map(\.deadline).min() } }

    /// The number of pending timers and sleepers.
    public var pendingCount: Int { lock.withLock { entries.count } }

    /// Registers `action` for `deadline`.
    public func schedule(at deadline: Int64, _ action: @escaping @Sendable () -> Void) -> any NotifyTimer {
        let id = lock.withLock { () -> UInt64 in
            nextID += 1
            entries.append(Entry(id: nextID, deadline: deadline, action: action))
            return nextID
        }
        return ManualTimer(clock: self, id: id)
    }

    /// Suspends until the clock is advanced to `deadline`.
    public func sleep(until deadline: Int64) async throws {
        let box = ContinuationBox()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (cont: CheckedContinuation<Void, any Error>) in
                box.set(cont)
                let timer = schedule(at: deadline) { box.resume(nil) }
                box.setTimer(timer)
                if Task.isCancelled { box.resume(CancellationError()) }
            }
        } onCancel: {
            box.resume(CancellationError())
        }
    }

    /// Moves time forward to `target`, running each due timer at its own deadline.
    public func advance(to target: Int64) {
        while true {
            let due: Entry? = lock.withLock {
                guard let i = entries.indices.min(by: { (entries[$0].deadline, entries[$0].id)
                    < (entries[$1].deadline, entries[$1].id) }), entries[i].deadline <= target
                else { return nil }
                let e = entries.remove(at: i)
                current = max(current, e.deadline)
                return e
            }
            guard let due else { break }
            due.action()
        }
        lock.withLock { current = max(current, target) }
    }

    /// Moves time forward by `milliseconds`.
    public func advance(by milliseconds: Int64) { advance(to: now() + milliseconds) }

    fileprivate func cancel(_ id: UInt64) {
        lock.withLock { entries.removeAll { $0.id == id } }
    }
}

private struct ManualTimer: NotifyTimer {
    let clock: ManualNotifyClock
    let id: UInt64
    func cancel() { clock.cancel(id) }
}

/// Resumes a continuation exactly once, from a timer or from cancellation.
private final class ContinuationBox: @unchecked Sendable {
    private let lock = NSLock()
    private var cont: CheckedContinuation<Void, any Error>?
    private var timer: (any NotifyTimer)?
    private var done = false
    private var pendingError: (any Error)?

    func set(_ c: CheckedContinuation<Void, any Error>) {
        let early: (Bool, (any Error)?) = lock.withLock {
            if done { return (true, pendingError) }
            cont = c
            return (false, nil)
        }
        if early.0 {
            if let e = early.1 { c.resume(throwing: e) } else { c.resume() }
        }
    }

    func setTimer(_ t: any NotifyTimer) {
        let finished = lock.withLock { () -> Bool in
            timer = t
            return done
        }
        if finished { t.cancel() }
    }

    func resume(_ error: (any Error)?) {
        let (c, t): (CheckedContinuation<Void, any Error>?, (any NotifyTimer)?) = lock.withLock {
            if done { return (nil, nil) }
            done = true
            pendingError = error
            defer { cont = nil }
            return (cont, timer)
        }
        if error != nil { t?.cancel() }
        guard let c else { return }
        if let error { c.resume(throwing: error) } else { c.resume() }
    }
}
