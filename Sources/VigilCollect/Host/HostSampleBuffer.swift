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
        if job.isEmpty || instance.isEmpty { return add(name, [], value) }
        // "__name__" < "instance" < "job": already sorted.
        samples.append(LabeledSample(
            Labels(sortedUnchecked: [
                Label(LabelName.metricName, name), Label(LabelName.instance, instance), Label(LabelName.job, job),
            ]),
            t: timestamp, v: value))
    }

    /// Appends a series with extra labels; empty values are dropped and `job`/`instance` override same-named ones.
    mutating func add(_ name: String, _ labels: [(String, String)], _ value: Double) {
        var pairs: [Label] = []
        pairs.reserveCapacity(labels.count + 3)
        pairs.append(Label(LabelName.metricName, name))
        for (k, v) in labels where !v.isEmpty { pairs.append(Label(k, v)) }
        if !job.isEmpty { pairs.append(Label(LabelName.job, job)) }
        if !instance.isEmpty { pairs.append(Label(LabelName.instance, instance)) }
        samples.append(LabeledSample(HostSampleBuffer.sortedLabels(&pairs), t: timestamp, v: value))
    }

    /// Sorts a handful of labels by name (stable insertion sort) and keeps the last of equal names.
    private static func sortedLabels(_ pairs: inout [Label]) -> Labels {
        for i in 1..<pairs.count {
            let item = pairs[i]
            var j = i
            while j > 0 && pairs[j - 1].name > item.name {
                pairs[j] = pairs[j - 1]
                j -= 1
            }
            pairs[j] = item
        }
        var out = 0
        for i in 0..<pairs.count {
            if out > 0 && pairs[out - 1].name == pairs[i].name {
                pairs[out - 1] = pairs[i]
            } else {
                pairs[out] = pairs[i]
                out += 1
            }
        }
        pairs.removeSubrange(out...)
        return Labels(sortedUnchecked: pairs)
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
