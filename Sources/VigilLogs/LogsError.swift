/// Errors of the logs area.
public enum LogsError: Error, Sendable, CustomStringConvertible {
    /// A `--header` value that is neither a layout name nor a valid pattern.
    case badHeaderLayout(String, reason: String)
    /// An input file could not be read.
    case unreadable(path: String, reason: String)
    /// A command-line argument that cannot be used.
    case badArgument(String, reason: String)
    /// A Loki push body that cannot be decoded.
    case badPushBody(reason: String)
    /// Saved template state that cannot be restored.
    case badTemplateState(line: Int, reason: String)

    /// A lower-case message quoting the bad value.
    public var description: String {
        switch self {
        case .badHeaderLayout(let v, let reason): return "bad header layout \"\(v)\": \(reason)"
        case .unreadable(let path, let reason): return "read \"\(path)\": \(reason)"
        case .badArgument(let v, let reason): return "bad argument \"\(v)\": \(reason)"
        case .badPushBody(let reason): return "bad push body: \(reason)"
        case .badTemplateState(let line, let reason): return "template state line \(line): \(reason)"
        }
    }
}
