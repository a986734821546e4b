/// The result of a one-shot analysis of log lines (`vigil logs analyze`).
public struct LogAnalysis: Sendable {
    /// One template's summary.
    public struct TemplateSummary: Sendable, Hashable {
        /// Stable template id.
        public var id: String
        /// Template text with `<*>`.
        public var template: String
        /// Lines in it.
        public var count: Int
        /// First line number (1-based) it was seen on.
        public var firstLine: Int
    }

    /// A stretch of input where one template is far denser than over the whole input.
    public struct Burst: Sendable, Hashable {
        /// Template id.
        public var templateID: String
        /// First and last line numbers of the densest window.
        public var fromLine: Int
        /// Last line number of the window.
        public var toLine: Int
        /// Lines of the template inside the window.
        public var count: Int
    }

    /// Occurrences of one failure kind and shape.
    public struct Failure: Sendable, Hashable {
        /// What was recognised on the first occurrence.
        public var recognition: FailureRecognition
        /// How many lines showed it.
        public var count: Int
        /// First line number.
        public var firstLine: Int
    }

    /// Number of input lines.
    public var lineCount: Int
    /// Header layout used (`none` when lines were taken whole).
    public var header: String
    /// Lines that were not valid UTF-8 (mined as bytes, reported here).
    public var invalidUTF8Lines: Int
    /// Templates by descending count, then id.
    public var templates: [TemplateSummary]
    /// Ids of templates seen on at most 0.1% of lines (at least once).
    public var rare: [String]
    /// Bursts found.
    public var bursts: [Burst]
    /// Recognised failures in order of first occurrence.
    public var failures: [Failure]
    /// Per input line (index 0 is line 1): its template id and final template text.
    public var perLine: [(id: String, template: String)]
}
