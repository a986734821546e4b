import Foundation
import VigilCore
@testable import VigilNotify

/// An integration that records what it is sent, with the manual clock's time.
final class RecordingIntegration: NotifyIntegration, @unchecked Sendable {
    let name: String
    let sendResolved: Bool
    let countsInMetrics = true
    private let clock: ManualNotifyClock
    private let lock = NSLock()
    private var stored: [(time: Int64, notification: GroupNotification)] = []

    init(name: String = "recorder", sendResolved: Bool = true, clock: ManualNotifyClock) {
        self.name = name
        self.sendResolved = sendResolved
        self.clock = clock
    }

    func send(_ notification: GroupNotification, timeout: Int64) async throws(NotifyError) {
        let now = clock.now()
        lock.withLock { stored.append((now, notification)) }
    }

    var sent: [(time: Int64, notification: GroupNotification)] { lock.withLock { stored } }
    /// Send times relative to `start`, in seconds.
    func times(since start: Int64) -> [Int64] { sent.map { ($0.time - start) / 1000 } }
}

/// A dispatcher on a manual clock whose receivers record notifications.
struct DispatchHarness {
    let clock: ManualNotifyClock
    let dispatcher: Dispatcher
    let recorders: [String: RecordingIntegration]
    let start: Int64

    init(_ yaml: String, sendResolved: Bool = true) throws {
        let (config, _) = try NotifyConfiguration.parse(text: yaml, file: "am.yml")
        let clock = ManualNotifyClock(start: 1_700_000_000_000)
        var recorders: [String: RecordingIntegration] = [:]
        for r in config.receivers {
            recorders[r.name] = RecordingIntegration(sendResolved: sendResolved, clock: clock)
        }
        let byName = recorders
        self.clock = clock
        self.start = clock.now()
        self.recorders = recorders
        self.dispatcher = Dispatcher(configuration: config, clock: clock, logger: .disabled,
                                     externalURL: "http://vigil:9470") { receiver in [byName[receiver.name]!] }
    }

    /// Milliseconds since the start for `seconds`.
    func at(_ seconds: Int64) -> Int64 { start + seconds * 1000 }

    /// Runs every timer up to `seconds` after the start, letting each flush finish before the next timer.
    func run(until seconds: Int64) async {
        let target = at(seconds)
        while let next = clock.nextDeadline, next <= target {
            clock.advance(to: next)
            await dispatcher.settle()
        }
        clock.advance(to: target)
        await dispatcher.settle()
    }

    /// An alert that started `startedAt` seconds after the start.
    func alert(_ labels: Labels, startedAt: Int64 = 0, endedAt: Int64? = nil) -> NotifyAlert {
        NotifyAlert(labels: labels, annotations: ["summary": "s"], startsAt: at(startedAt),
                    endsAt: endedAt.map { at($0) }, generatorURL: "http://vigil/graph")
    }
}
