import VigilCore

/// The labels one GPU's series share (identity, `job`, `instance`), sorted once so each sample only inserts its
/// metric name.
struct GPULabelSet {
    /// Sorted by name, no empty values, no `__name__`.
    let pairs: [Label]
    private let nameIndex: Int

    /// `labels` plus `job` and `instance` (which win over same-named labels); empty values are dropped.
    init(_ labels: [(String, String)], job: String, instance: String) {
        var byName: [String: String] = [:]
        for (k, v) in labels where !v.isEmpty { byName[k] = v }
        if !job.isEmpty { byName[LabelName.job] = job }
        if !instance.isEmpty { byName[LabelName.instance] = instance }
        pairs = byName.map { Label($0.key, $0.value) }.sorted { $0.name < $1.name }
        nameIndex = pairs.firstIndex { $0.name > LabelName.metricName } ?? pairs.count
    }

    /// The value of label `name`, "" when absent.
    subscript(name: String) -> String { pairs.first { $0.name == name }?.value ?? "" }

    /// The full label set of series `name`.
    func labels(_ name: String) -> Labels {
        var p = pairs
        p.insert(Label(LabelName.metricName, name), at: nameIndex)
        return Labels(sortedUnchecked: p)
    }

    /// The full label set of series `name` with one more label (which must not be one of the shared ones).
    func labels(_ name: String, _ extra: Label) -> Labels {
        var p = pairs
        p.insert(Label(LabelName.metricName, name), at: nameIndex)
        let at = p.firstIndex { $0.name > extra.name } ?? p.count
        p.insert(extra, at: at)
        return Labels(sortedUnchecked: p)
    }
}

/// The samples of one GPU collection cycle, all stamped with the cycle's time.
struct GPUSampleBuffer {
    let timestamp: Int64
    private(set) var samples: [LabeledSample] = []

    init(timestamp: Int64, capacity: Int = 64) {
        self.timestamp = timestamp
        samples.reserveCapacity(capacity)
    }

    /// Appends series `name` of the GPU with `labels`.
    mutating func add(_ name: String, _ labels: GPULabelSet, _ value: Double) {
        samples.append(LabeledSample(labels.labels(name), t: timestamp, v: value))
    }

    /// Appends series `name` of the GPU with `labels` and one more label; `created` also appends a 0 one millisecond
    /// earlier (a counter's created-timestamp zero, so `increase` sees the counter's first value as a rise).
    mutating func add(_ name: String, _ labels: GPULabelSet, _ extra: Label, _ value: Double, created: Bool = false) {
        let l = labels.labels(name, extra)
        if created { samples.append(LabeledSample(l, t: timestamp - 1, v: 0)) }
        samples.append(LabeledSample(l, t: timestamp, v: value))
    }

    /// Appends a series with only its name.
    mutating func add(_ name: String, _ value: Double) {
        samples.append(LabeledSample(Labels(sortedUnchecked: [Label(LabelName.metricName, name)]), t: timestamp,
                                     v: value))
    }

    /// The number of samples so far (a checkpoint for `truncate(to:)`).
    var count: Int { samples.count }

    /// Drops the samples added after `checkpoint`.
    mutating func truncate(to checkpoint: Int) {
        if samples.count > checkpoint { samples.removeSubrange(checkpoint...) }
    }

    /// Hands over the samples.
    consuming func finish() -> [LabeledSample] { samples }
}
