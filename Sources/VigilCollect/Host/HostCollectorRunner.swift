import VigilCore

/// Runs a `HostCollector` on its own thread: a `CollectorRunner` named `host`.
public typealias HostCollectorRunner = CollectorRunner

extension CollectorRunner {
    /// A runner of `collector` every `interval` (default: the collector's own interval) milliseconds.
    public convenience init(collector: HostCollector, appender: any SampleAppender, interval: Int64? = nil,
                            logger: Logger, clock: @escaping @Sendable () -> Int64 = { Timestamp.nowMillis() })
    {
        self.init(name: "host", job: collector.job, instance: collector.instance,
                  interval: interval ?? collector.configuration.interval, appender: appender, logger: logger,
                  clock: clock) { collector.collect(at: $0) }
    }
}
