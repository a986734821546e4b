import VigilCore

/// One element of an instant vector.
public struct VectorElement: Sendable, Equatable {
    public var labels: Labels
    public var t: Int64
    public var v: Double

    public init(labels: Labels, t: Int64, v: Double) {
        self.labels = labels
        self.t = t
        self.v = v
    }

    public static func == (lhs: VectorElement, rhs: VectorElement) -> Bool {
        lhs.labels == rhs.labels && lhs.t == rhs.t && (lhs.v == rhs.v || (lhs.v.isNaN && rhs.v.isNaN))
    }
}

/// The result of evaluating a query.
public enum QueryValue: Sendable {
    case scalar(t: Int64, v: Double)
    case string(t: Int64, v: String)
    case vector([VectorElement])
    /// Series with their points in time order (range queries and range selectors).
    case matrix([Series])

    public var type: ValueType {
        switch self {
        case .scalar: .scalar
        case .string: .string
        case .vector: .vector
        case .matrix: .matrix
        }
    }
}

/// A query that failed, with the Prometheus API `errorType` it maps to.
public struct QueryError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: String, Sendable {
        /// Parse errors and invalid parameters (HTTP 400).
        case badData = "bad_data"
        /// Runtime errors such as too many samples or duplicate series (HTTP 422).
        case execution
        /// The query ran past its timeout (HTTP 503).
        case timeout
        case canceled
        case `internal`
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

/// A parse error at a line and column of the query (1-based), in Prometheus's wording: `1:5: parse error: …`.
public struct ParseError: Error, Sendable, CustomStringConvertible, Equatable {
    public var line: Int
    public var column: Int
    public var message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(line):\(column): parse error: \(message)" }
}
