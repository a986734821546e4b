import Foundation
import VigilCore

/// Runs a `GPUCollector` every `interval` milliseconds on its own thread and appends each cycle's samples.
///
/// A series that was collected in the previous cycle but not in this one (a GPU gone, an Xid series whose `err_code`
/// changed) gets a stale marker, as Prometheus writes for a vanished scraped series; `stop()` marks every series
/// stale. The same shape as `HostCollectorRunner`.
public final class GPUCollectorRunner: @unchecked Sendable {
    private let collector: GPUCollector
    private let appender: any SampleAppender
    private let interval: Int64
    private let logger: Logger
    private let clock: @Sendable () -> Int64
    private let condition = NSCondition()
    private var running = false
    private var stopping = false
    private var thread: Thread?
    private var previous: Set<Labels> = []
    private var cycles = 0

    /// A runner; nothing happens until `start()`. `clock` gives milliseconds since the epoch.
    public init(collector: GPUCollector, appender: any SampleAppender, interval: Int64? = nil, logger: Logger,
                clock: @escaping @Sendable () -> Int64 = { Timestamp.nowMillis() })
    {
        self.collector = collector
        self.appender = appender
        self.interval = max(1, interval ?? collector.configuration.interval)
        self.logger = logger.with("component", "gpu-collector")
        self.clock = clock
    }

    /// Starts the collection thread (the first cycle runs at once); a second call does nothing.
    public func start() {
        condition.lock()
        defer { condition.unlock() }
        guard !running else { return }
        running = true
        stopping = false
        let thread = Thread { [self] in loop() }
        thread.name = "vigil-gpu-collector"
        self.thread = thread
        thread.start()
        logger.info("gpu collector started", ["interval": PromDuration.format(interval), "job": collector.job,
                                                "instance": collector.instance])
    }

    /// Stops the thread, waits for a running cycle to finish and marks every series stale.
    public func stop() {
        condition.lock()
        guard running else { condition.unlock(); return }
        stopping = true
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
        markAllStale(at: clock())
        logger.info("gpu collector stopped")
    }

    /// The number of cycles run so far.
    public var cycleCount: Int { condition.withLock { cycles } }

    /// Runs one cycle now, on the caller's thread: collect, append, stale-mark vanished series.
    public func runOnce() {
        let t = clock()
        let batch = collector.collect(at: t)
        var current = Set<Labels>(minimumCapacity: batch.count)
        for s in batch { current.insert(s.labels) }
        let vanished = condition.withLock { () -> [Labels] in
            let gone = previous.subtracting(current)
            previous = current
            cycles += 1
            return Array(gone)
        }
        var out = batch
        for labels in vanished { out.append(LabeledSample(labels, t: t, v: StaleMarker.value)) }
        do {
            try appender.append(out)
        } catch {
            logger.error("gpu collector append failed", ["err": "\(error)", "samples": String(out.count)])
        }
    }

    private func loop() {
        var next = clock()
        while true {
            condition.lock()
            if stopping { break }
            condition.unlock()

            runOnce()

            next += interval
            let now = clock()
            if next <= now { next = now + interval - (now - next) % interval }  // skip missed ticks
            condition.lock()
            let deadline = Date(timeIntervalSinceNow: Double(next - now) / 1000)
            while !stopping && Date() < deadline { _ = condition.wait(until: deadline) }
            if stopping { break }
            condition.unlock()
        }
        running = false
        condition.broadcast()
        condition.unlock()
    }

    private func markAllStale(at t: Int64) {
        let all = condition.withLock { () -> Set<Labels> in
            let p = previous
            previous = []
            return p
        }
        guard !all.isEmpty else { return }
        do {
            try appender.append(all.map { LabeledSample($0, t: t, v: StaleMarker.value) })
        } catch {
            logger.error("gpu collector append failed", ["err": "\(error)", "samples": String(all.count)])
        }
    }
}
