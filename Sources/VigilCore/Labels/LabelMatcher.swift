/// A label matcher as in PromQL selectors and Alertmanager matchers: `=`, `!=`, `=~`, `!~`.
public struct LabelMatcher: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case equal = "="
        case notEqual = "!="
        case regexMatch = "=~"
        case regexNoMatch = "!~"
    }

    public let kind: Kind
    public let name: String
    public let value: String
    /// The fully anchored compiled regex for the regex kinds.
    public let regex: RE2?

    /// Builds a matcher; regex kinds compile `value` fully anchored and throw on a bad pattern.
    public init(_ kind: Kind, _ name: String, _ value: String) throws(RegexError) {
        self.kind = kind
        self.name = name
        self.value = value
        switch kind {
        case .equal, .notEqual: regex = nil
        case .regexMatch, .regexNoMatch: regex = try RE2.anchored(value)
        }
    }

    /// True when the label value `v` (empty when the label is absent) satisfies this matcher.
    @inlinable
    public func matches(_ v: String) -> Bool {
        switch kind {
        case .equal: return v == value
        case .notEqual: return v != value
        case .regexMatch: return regex!.fullMatch(v)
        case .regexNoMatch: return !regex!.fullMatch(v)
        }
    }

    /// True when this matcher matches the empty string (and so series without the label).
    public var matchesEmpty: Bool { matches("") }

    /// True when `labels` satisfies this matcher.
    public func matches(_ labels: Labels) -> Bool { matches(labels.get(name) ?? "") }

    public var description: String { "\(name)\(kind.rawValue)\"\(Labels.escape(value))\"" }

    public static func == (lhs: LabelMatcher, rhs: LabelMatcher) -> Bool {
        lhs.kind == rhs.kind && lhs.name == rhs.name && lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(name)
        hasher.combine(value)
    }
}

extension Array where Element == LabelMatcher {
    /// True when every matcher matches `labels`.
    public func matches(_ labels: Labels) -> Bool { allSatisfy { $0.matches(labels) } }
}
