/// A malformed exposition: where it went wrong (1-based line and column) and why.
public struct ExpositionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line of the bad token.
    public var line: Int
    /// The 1-based column (in Unicode scalars) of the bad token.
    public var column: Int
    /// What is wrong, quoting the bad token.
    public var message: String

    /// Makes an error at `line`:`column`.
    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// `line 3, column 40: expected "," or "}" after label value, got "wrong"`.
    public var description: String { "line \(line), column \(column): \(message)" }
}
