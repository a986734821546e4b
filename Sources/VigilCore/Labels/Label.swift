/// One label: a name and its value.
public struct Label: Hashable, Sendable, Comparable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    public static func < (lhs: Label, rhs: Label) -> Bool {
        lhs.name != rhs.name ? lhs.name < rhs.name : lhs.value < rhs.value
    }
}

/// Well-known label names.
public enum LabelName {
    public static let metricName = "__name__"
    public static let job = "job"
    public static let instance = "instance"
    public static let bucket = "le"
    public static let quantile = "quantile"
    public static let alertName = "alertname"
}
