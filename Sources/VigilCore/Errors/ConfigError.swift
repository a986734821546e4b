/// A problem in a config or rule file, with its position when known.
public struct ConfigError: Error, Sendable, CustomStringConvertible, Equatable {
    public var file: String
    public var mark: SourceMark?
    public var message: String

    public init(file: String, mark: SourceMark?, message: String) {
        self.file = file
        self.mark = mark
        self.message = message
    }

    /// `file:line:column: message`, as compilers and promtool print.
    public var description: String {
        if let mark { return "\(file):\(mark.line):\(mark.column): \(message)" }
        return "\(file): \(message)"
    }
}

/// A warning about a config or rule file that does not stop loading it.
public struct ConfigWarning: Sendable, CustomStringConvertible, Equatable {
    public var file: String
    public var mark: SourceMark?
    public var message: String

    public init(file: String, mark: SourceMark?, message: String) {
        self.file = file
        self.mark = mark
        self.message = message
    }

    public var description: String {
        if let mark { return "\(file):\(mark.line):\(mark.column): \(message)" }
        return "\(file): \(message)"
    }
}
