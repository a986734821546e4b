import Testing
@testable import VigilNotify

struct ManualNotifyClockTests {
    final class Order: @unchecked Sendable {
        var fired: [(String, Int64)] = []
    }

    @Test func runsDueTimersInDeadlineOrderAtTheirOwnTime() {
        let clock = ManualNotifyClock(start: 0)
        let order = Order()
        _ = clock.schedule(at: 300) { order.fired.append(("c", clock.now())) }
        _ = clock.schedule(at: 100) { order.fired.append(("a", clock.now())) }
        let cancelled = clock.schedule(at: 200) { order.fired.append(("x", clock.now())) }
        _ = clock.schedule(at: 150) {
            order.fired.append(("b", clock.now()))
            _ = clock.schedule(at: 250) { order.fired.append(("d", clock.now())) }
        }
        cancelled.cancel()
        clock.advance(to: 260)
        #expect(order.fired.map(\.0) == ["a", "b", "d"])
        #expect(order.fired.map(\.1) == [100, 150, 250])
        #expect(clock.now() == 260)
        #expect(clock.nextDeadline == 300)
    }

    @Test func sleepersWakeWhenTimeReachesThem() async throws {
        let clock = ManualNotifyClock(start: 0)
        let task = Task { try await clock.sleep(until: 1_000) }
        while clock.pendingCount == 0 { await Task.yield() }
        clock.advance(to: 999)
        #expect(clock.pendingCount == 1)
        clock.advance(to: 1_000)
        try await task.value
        #expect(clock.pendingCount == 0)
    }

    @Test func cancelledSleeperThrows() async {
        let clock = ManualNotifyClock(start: 0)
        let task = Task { try await clock.sleep(until: 1_000) }
        while clock.pendingCount == 0 { await Task.yield() }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.pendingCount == 0)
    }
}
