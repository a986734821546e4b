import VigilCore

/// Runs a `GPUCollector` on its own thread: a `CollectorRunner` named `gpu`.
public typealias GPUCollectorRunner = CollectorRunner

extension CollectorRunner {
    /// A runner of `collector` every `interval` (default: the collector's own interval) milliseconds.
    public convenience init(collector: GPUCollector, appender: any SampleAppender, interval: Int64? = nil,
                            logger: Logger, clock: @escaping @Sendable () -> Int64 = { Timestamp.nowMillis() })
    {
        self.init(name: "gpu", job: collector.job, instance: collector.instance,
                  interval: interval ?? collector.configuration.interval, appender: appender, logger: logger,
                  clock: clock) { collector.collect(at: $0) }
    }
}
