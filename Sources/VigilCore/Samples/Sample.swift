/// One float sample: a timestamp in milliseconds since the Unix epoch and a value.
public struct Sample: Hashable, Sendable {
    public var t: Int64
    public var v: Double

    public init(t: Int64, v: Double) {
        self.t = t
        self.v = v
    }

    public static func == (lhs: Sample, rhs: Sample) -> Bool {
        lhs.t == rhs.t && lhs.v.bitPattern == rhs.v.bitPattern
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(t)
        hasher.combine(v.bitPattern)
    }
}

/// Prometheus's staleness marker: a NaN with a special bit pattern.
public enum StaleMarker {
    public static let bitPattern: UInt64 = 0x7ff0_0000_0000_0002
    public static let value = Double(bitPattern: bitPattern)

    /// True when `v` is exactly the stale NaN (other NaNs are ordinary values).
    @inlinable
    public static func isStale(_ v: Double) -> Bool { v.bitPattern == bitPattern }
}

/// A series: its labels and samples in time order.
public struct Series: Sendable, Equatable {
    public var labels: Labels
    public var samples: [Sample]

    public init(labels: Labels, samples: [Sample]) {
        self.labels = labels
        self.samples = samples
    }
}
