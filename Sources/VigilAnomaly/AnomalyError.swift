/// Errors of the anomaly area.
public enum AnomalyError: Error, CustomStringConvertible, Equatable {
    /// The input file could not be read.
    case unreadable(path: String, reason: String)
    /// A CSV row did not have two columns.
    case badRow(line: Int, text: String)
    /// A value that is neither a number nor empty (an empty value is a gap).
    case badValue(line: Int, value: String)

    /// A lower-case message quoting the bad value.
    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "cannot read \"\(path)\": \(reason)"
        case let .badRow(line, text): return "line \(line): expected \"timestamp,value\", got \"\(text)\""
        case let .badValue(line, value): return "line \(line): value \"\(value)\" is not a number"
        }
    }
}
