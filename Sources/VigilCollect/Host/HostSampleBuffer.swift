import VigilCore

/// Collects the samples of one host collection cycle, adding `job` and `instance` to every series.
struct HostSampleBuffer {
    let job: String
    let instance: String
    let timestamp: Int64
    private(set) var samples: [LabeledSample] = []

    init(job: String, instance: String, timestamp: Int64, capacity: Int = 512) {
        self.job = job
        self.instance = instance
        self.timestamp = timestamp
        samples.reserveCapacity(capacity)
    }

    /// Appends a series without labels of its own.
    mutating func add(_ name: String, _ value: Double) {
        samples.append(LabeledSample(
            Labels([Label(LabelName.metricName, name), Label(LabelName.job, job), Label(LabelName.instance, instance)]),
            t: timestamp, v: value))
    }

    /// Appends a series with extra labels (`job` and `instance` in `labels` are overridden).
    mutating func add(_ name: String, _ labels: [(String, String)], _ value: Double) {
        var pairs: [Label] = [Label(LabelName.metricName, name)]
        pairs.reserveCapacity(labels.count + 3)
        for (k, v) in labels { pairs.append(Label(k, v)) }
        pairs.append(Label(LabelName.job, job))
        pairs.append(Label(LabelName.instance, instance))
        samples.append(LabeledSample(Labels(pairs), t: timestamp, v: value))
    }

    /// The number of samples so far (a checkpoint for `truncate(to:)`).
    var count: Int { samples.count }

    /// Drops the samples added after `checkpoint` (when a family fails half way).
    mutating func truncate(to checkpoint: Int) {
        if samples.count > checkpoint { samples.removeSubrange(checkpoint...) }
    }

    /// Hands over the samples.
    consuming func finish() -> [LabeledSample] { samples }
}

/// What a family collector gets each cycle: where the files are, a reusable reader and the output buffer.
struct HostCollectContext {
    let procPath: String
    let sysPath: String
    let rootfsPath: String
    var reader: ProcFileReader
    var out: HostSampleBuffer

    /// `procPath` joined with `relative`.
    func proc(_ relative: String) -> String { HostCollectContext.join(procPath, relative) }
    /// `sysPath` joined with `relative`.
    func sys(_ relative: String) -> String { HostCollectContext.join(sysPath, relative) }
    /// `rootfsPath` joined with `relative`.
    func rootfs(_ relative: String) -> String { HostCollectContext.join(rootfsPath, relative) }

    static func join(_ base: String, _ relative: String) -> String {
        var rel = Substring(relative)
        while rel.hasPrefix("/") { rel = rel.dropFirst() }
        if base.hasSuffix("/") { return base + rel }
        return base + "/" + rel
    }
}

/// One family of host metrics (cpu, meminfo, …), each node_exporter collector of the same name.
protocol HostFamilyCollector: AnyObject {
    /// The node_exporter collector name (`cpu`, `meminfo`, …), used in warnings and configuration.
    var name: String { get }
    /// Appends this family's samples to `context.out`; throws when its source is missing or malformed.
    func collect(_ context: inout HostCollectContext) throws(HostCollectorError)
}
