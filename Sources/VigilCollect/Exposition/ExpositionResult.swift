import VigilCore

/// The type a `# TYPE` line gives a metric family.
public enum MetricType: String, Sendable, Equatable {
    case counter, gauge, histogram, gaugehistogram, summary, info, stateset, unknown

    /// The type for a `# TYPE` word; `untyped` (0.0.4) maps to `unknown`.
    init?(word: String, openMetrics: Bool) {
        switch word {
        case "counter": self = .counter
        case "gauge": self = .gauge
        case "histogram": self = .histogram
        case "summary": self = .summary
        case "untyped" where !openMetrics: self = .unknown
        case "unknown" where openMetrics: self = .unknown
        case "gaugehistogram" where openMetrics: self = .gaugehistogram
        case "info" where openMetrics: self = .info
        case "stateset" where openMetrics: self = .stateset
        default: return nil
        }
    }
}

/// HELP, TYPE and UNIT of one metric family.
public struct MetricMetadata: Sendable, Equatable {
    /// The family name as written on the metadata lines.
    public var family: String
    /// The declared type (`unknown` without a TYPE line).
    public var type: MetricType
    /// The unescaped HELP text, or "".
    public var help: String
    /// The UNIT (OpenMetrics only), or "".
    public var unit: String

    /// Makes metadata for `family`.
    public init(family: String, type: MetricType = .unknown, help: String = "", unit: String = "") {
        self.family = family
        self.type = type
        self.help = help
        self.unit = unit
    }
}

/// One sample line: labels including `__name__`, the value and the optional timestamp in milliseconds.
public struct ParsedSample: Sendable, Equatable {
    /// The series labels, `__name__` included, empty values dropped.
    public var labels: Labels
    /// The sample value.
    public var value: Double
    /// The explicit timestamp in milliseconds, or nil for "at scrape time".
    public var timestamp: Int64?

    /// Makes a sample.
    public init(labels: Labels, value: Double, timestamp: Int64? = nil) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }

    public static func == (lhs: ParsedSample, rhs: ParsedSample) -> Bool {
        lhs.labels == rhs.labels && lhs.value.bitPattern == rhs.value.bitPattern && lhs.timestamp == rhs.timestamp
    }
}

/// Everything one exposition holds.
public struct ExpositionResult: Sendable {
    /// The samples in input order.
    public var samples: [ParsedSample]
    /// The metadata of each family with a HELP, TYPE or UNIT line, in input order.
    public var metadata: [MetricMetadata]

    /// Makes a result.
    public init(samples: [ParsedSample] = [], metadata: [MetricMetadata] = []) {
        self.samples = samples
        self.metadata = metadata
    }

    /// The metadata of the family a sample name belongs to (`x_bucket` → histogram `x`, `x_total` → counter `x`).
    public func metadata(forMetric name: String) -> MetricMetadata? {
        let byName = Dictionary(metadata.map { ($0.family, $0) }, uniquingKeysWith: { a, _ in a })
        return ExpositionResult.family(of: name, lookup: { byName[$0] })
    }

    /// Looks a sample name up in `families`, stripping the suffixes the family's type allows.
    static func family(of name: String, lookup: (String) -> MetricMetadata?) -> MetricMetadata? {
        if let m = lookup(name) { return m }
        let suffixes: [(String, Set<MetricType>)] = [
            ("_total", [.counter]),
            ("_created", [.counter, .histogram, .summary, .gaugehistogram]),
            ("_bucket", [.histogram, .gaugehistogram]),
            ("_count", [.histogram, .summary]),
            ("_sum", [.histogram, .summary]),
            ("_gcount", [.gaugehistogram]),
            ("_gsum", [.gaugehistogram]),
            ("_info", [.info]),
        ]
        for (suffix, types) in suffixes where name.hasSuffix(suffix) {
            if let m = lookup(String(name.dropLast(suffix.count))), types.contains(m.type) { return m }
        }
        return nil
    }
}
