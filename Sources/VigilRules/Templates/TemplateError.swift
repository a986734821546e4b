/// A template that does not parse or fails while executing, worded as Go's `text/template` words it.
public enum TemplateError: Error, Sendable, CustomStringConvertible, Equatable {
    /// `template: NAME:LINE: message`
    case parse(name: String, line: Int, message: String)
    /// `template: NAME:LINE:COL: executing "NAME" at <ACTION>: message`
    case execution(name: String, line: Int, column: Int, action: String, message: String)
    /// An error raised by a template function, before the position is known.
    case function(String)

    public var description: String {
        switch self {
        case .parse(let name, let line, let message):
            "template: \(name):\(line): \(message)"
        case .execution(let name, let line, let column, let action, let message):
            "template: \(name):\(line):\(column): executing \"\(name)\" at <\(action)>: \(message)"
        case .function(let message):
            message
        }
    }
}
