/// One HTTP request as the router sees it: the body is read and the parameters are decoded.
public struct HTTPRequest: Sendable {
    /// `GET`, `POST`, …
    public var method: String
    /// The path without the query string, percent-decoded.
    public var path: String
    /// URL query arguments in order, repeated keys kept.
    public var query: [(String, String)]
    /// The request headers the server reads (names lower-cased).
    public var headers: [String: String]
    /// The raw body.
    public var body: [UInt8]
    /// Values captured from `:name` segments of the matched route pattern.
    public var pathParameters: [String: String] = [:]

    /// Creates a request.
    public init(method: String, path: String, query: [(String, String)] = [], headers: [String: String] = [:],
                body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// A header by case-insensitive name.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// URL arguments followed by the form body's fields when the body is `application/x-www-form-urlencoded`.
    public var parameters: [(String, String)] {
        guard method == "POST" || method == "PUT",
              let type = header("Content-Type")?.lowercased(),
              type.hasPrefix("application/x-www-form-urlencoded") else { return query }
        return query + FormDecoding.decode(body)
    }

    /// The first value of parameter `name` (URL or form body), as Go's `FormValue` reads it.
    public func parameter(_ name: String) -> String? {
        parameters.first { $0.0 == name }?.1
    }

    /// Every value of a repeated parameter such as `match[]`, in order.
    public func parameterValues(_ name: String) -> [String] {
        parameters.filter { $0.0 == name }.map(\.1)
    }
}
