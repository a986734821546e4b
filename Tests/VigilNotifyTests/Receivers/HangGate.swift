import Foundation

/// Holds test-server handlers (on the server's threads) until the test opens it, so stopping the server at the
/// end of a test never blocks a Swift concurrency thread while a handler is still hanging.
final class HangGate: @unchecked Sendable {
    private let lock = NSLock()
    private var isOpen = false
    private let condition = NSCondition()

    /// Blocks the calling (server) thread until `open()` or `seconds` pass.
    func hang(upTo seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        while !isOpen && condition.wait(until: deadline) {}
        condition.unlock()
    }

    /// Releases every hanging handler.
    func open() {
        condition.lock()
        isOpen = true
        condition.broadcast()
        condition.unlock()
    }
}
