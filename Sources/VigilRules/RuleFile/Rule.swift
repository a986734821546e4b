import VigilCore
import VigilQuery

/// A template-valued label or annotation of an alerting rule, compiled at load.
public struct TemplatedField: Sendable {
    /// The label or annotation name.
    public var name: String
    /// The text as written in the rule file.
    public var text: String
    /// The compiled template.
    public var template: Template

    public init(name: String, text: String, template: Template) {
        self.name = name
        self.text = text
        self.template = template
    }
}

/// A recording rule: `record: name`, `expr`, `labels`.
public struct RecordingRule: Sendable {
    /// The metric name the rule records.
    public var name: String
    /// The parsed expression.
    public var expr: Expr
    /// The expression as the API shows it.
    public var query: String
    /// Labels set on every output series.
    public var labels: Labels

    public init(name: String, expr: Expr, query: String, labels: Labels) {
        self.name = name
        self.expr = expr
        self.query = query
        self.labels = labels
    }
}

/// An alerting rule: `alert: name`, `expr`, `for`, `keep_firing_for`, `labels`, `annotations`.
public struct AlertingRule: Sendable {
    /// The alert name (`alertname` label).
    public var name: String
    /// The parsed expression.
    public var expr: Expr
    /// The expression as the API shows it.
    public var query: String
    /// `for`, in milliseconds.
    public var holdDuration: Int64
    /// `keep_firing_for`, in milliseconds.
    public var keepFiringFor: Int64
    /// Labels added to each alert, templates expanded per alert.
    public var labels: [TemplatedField]
    /// Annotations of each alert, templates expanded at each evaluation.
    public var annotations: [TemplatedField]

    public init(name: String, expr: Expr, query: String, holdDuration: Int64 = 0, keepFiringFor: Int64 = 0,
                labels: [TemplatedField] = [], annotations: [TemplatedField] = []) {
        self.name = name
        self.expr = expr
        self.query = query
        self.holdDuration = holdDuration
        self.keepFiringFor = keepFiringFor
        self.labels = labels
        self.annotations = annotations
    }

    /// The labels as written (templates unexpanded), for the API.
    public var rawLabels: Labels { Labels(labels.map { Label($0.name, $0.text) }) }
    /// The annotations as written, for the API.
    public var rawAnnotations: Labels { Labels(annotations.map { Label($0.name, $0.text) }) }
}

/// One rule of a group.
public enum Rule: Sendable {
    case recording(RecordingRule)
    case alerting(AlertingRule)

    /// The record or alert name.
    public var name: String {
        switch self {
        case .recording(let r): r.name
        case .alerting(let a): a.name
        }
    }

    /// The expression as the API shows it.
    public var query: String {
        switch self {
        case .recording(let r): r.query
        case .alerting(let a): a.query
        }
    }

    /// The rule's labels as written, for identifying a rule across reloads.
    public var rawLabels: Labels {
        switch self {
        case .recording(let r): r.labels
        case .alerting(let a): a.rawLabels
        }
    }
}

/// A group of rules evaluated together on one schedule.
public struct RuleGroup: Sendable {
    /// The group name, unique per file.
    public var name: String
    /// The file the group came from (the pack name for built-in packs).
    public var file: String
    /// Evaluation interval in milliseconds; nil means the global evaluation interval.
    public var interval: Int64?
    /// The most series (recording) or alerts (alerting) one rule may produce; 0 is no limit.
    public var limit: Int
    /// How far back rules evaluate, in milliseconds; nil means the global default.
    public var queryOffset: Int64?
    /// The rules in file order.
    public var rules: [Rule]

    public init(name: String, file: String, interval: Int64? = nil, limit: Int = 0, queryOffset: Int64? = nil,
                rules: [Rule]) {
        self.name = name
        self.file = file
        self.interval = interval
        self.limit = limit
        self.queryOffset = queryOffset
        self.rules = rules
    }
}
