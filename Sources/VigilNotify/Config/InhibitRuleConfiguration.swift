import VigilCore

/// One `inhibit_rules` entry: target alerts are muted while a source alert with the same `equal` labels fires.
///
/// Parsed and validated now; the inhibitor that applies it is not built yet, so such rules only warn at load.
public struct InhibitRuleConfiguration: Sendable, Equatable {
    /// The optional rule name.
    public var name: String = ""
    /// Matchers a source alert satisfies (`source_matchers`, `source_match`, `source_match_re`), sorted.
    public var sourceMatchers: [LabelMatcher] = []
    /// Matchers a target alert satisfies, sorted.
    public var targetMatchers: [LabelMatcher] = []
    /// Labels whose values must be equal between source and target (a missing label equals an empty one).
    public var equal: [String] = []

    /// An empty rule.
    public init() {}
}
