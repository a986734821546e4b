import VigilCore

/// A value seen by a template: Go's dynamic values reduced to the kinds Prometheus templates use.
public enum TemplateValue: Sendable, Equatable {
    /// Go's nil or a missing map entry; prints as `<no value>`.
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case list([TemplateValue])
    case map([String: TemplateValue])
    /// A point in time, in milliseconds since the epoch (Go's `time.Time` in UTC).
    case time(Int64)
    /// A Go `time.Duration`, in nanoseconds.
    case duration(Int64)

    /// A label map as a template value.
    public static func labels(_ labels: Labels) -> TemplateValue {
        var m: [String: TemplateValue] = [:]
        for p in labels.pairs { m[p.name] = .string(p.value) }
        return .map(m)
    }

    /// A query result sample as Prometheus's templates see it (`.Labels`, `.Value`).
    public static func sample(labels: Labels, value: Double) -> TemplateValue {
        .map(["Labels": .labels(labels), "Value": .float(value)])
    }

    /// Prometheus's `AlertTemplateData`: dot for alert templates compiled with `RuleFileLoader.alertTemplate`.
    public static func alertData(labels: Labels, externalLabels: Labels, externalURL: String, value: Double)
        -> TemplateValue
    {
        .map([
            "Labels": .labels(labels), "ExternalLabels": .labels(externalLabels), "ExternalURL": .string(externalURL),
            "Value": .float(value),
        ])
    }

    /// Go's `text/template` truth: false, 0, nil and empty strings, lists and maps are false.
    public var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let b): b
        case .int(let i): i != 0
        case .float(let f): f != 0
        case .string(let s): !s.isEmpty
        case .list(let l): !l.isEmpty
        case .map(let m): !m.isEmpty
        case .time: true
        case .duration(let d): d != 0
        }
    }

    /// Go's type name, for error messages.
    public var goTypeName: String {
        switch self {
        case .null: "<nil>"
        case .bool: "bool"
        case .int: "int"
        case .float: "float64"
        case .string: "string"
        case .list: "[]interface {}"
        case .map: "map[string]interface {}"
        case .time: "time.Time"
        case .duration: "time.Duration"
        }
    }

    /// The value as `fmt.Sprint` prints it.
    public var printed: String {
        switch self {
        case .null: "<no value>"
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .float(let f): GoFormat.shortestG(f)
        case .string(let s): s
        case .list(let l): "[" + l.map { $0.printedNested }.joined(separator: " ") + "]"
        case .map(let m):
            "map[" + m.keys.sorted().map { "\($0):\(m[$0]!.printedNested)" }.joined(separator: " ") + "]"
        case .time(let ms): GoFormat.goTime(ms)
        case .duration(let ns): GoFormat.goDuration(ns)
        }
    }

    var printedNested: String {
        if case .null = self { return "<nil>" }
        return printed
    }
}
