import VigilCore

/// Routes requests by path pattern and method; answers 404 for unknown paths and 405 (with `Allow`) for
/// known paths called with a method they do not take.
///
/// Patterns are literal paths whose segments may be `:name` (one segment, captured into `pathParameters`).
public final class Router: Sendable {
    /// A request handler.
    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    fileprivate struct Route: Sendable {
        var segments: [Substring]
        var methods: [String]
        var handler: Handler
    }

    private let routes: [Route]

    /// Builds a router from its routes; use `Router.Builder`.
    private init(routes: [Route]) { self.routes = routes }

    /// Collects routes, then makes an immutable `Router`.
    public struct Builder: Sendable {
        fileprivate var routes: [Route] = []

        /// An empty builder.
        public init() {}

        /// Adds `pattern` answering `methods` (`GET` implies `HEAD`).
        public mutating func add(_ pattern: String, _ methods: [String], _ handler: @escaping Handler) {
            var all = methods
            if all.contains("GET") && !all.contains("HEAD") { all.append("HEAD") }
            routes.append(Route(segments: pattern.split(separator: "/", omittingEmptySubsequences: false),
                                methods: all, handler: handler))
        }

        /// The router.
        public func build() -> Router { Router(routes: routes) }
    }

    /// Answers one request.
    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        let path = request.path.split(separator: "/", omittingEmptySubsequences: false)
        var allowed: [String] = []
        for route in routes {
            guard let params = Router.match(route.segments, path) else { continue }
            if route.methods.contains(request.method) {
                var r = request
                r.pathParameters = params
                var response = route.handler(r)
                if request.method == "HEAD" { response.body = [] }
                return response
            }
            for m in route.methods where !allowed.contains(m) { allowed.append(m) }
        }
        if !allowed.isEmpty {
            if request.method == "OPTIONS" {
                return HTTPResponse(status: 204, headers: [("Allow", allowed.joined(separator: ", "))])
            }
            return HTTPResponse(status: 405, headers: [("Allow", allowed.joined(separator: ", "))],
                                body: Array("Method Not Allowed\n".utf8))
        }
        return .text("404 page not found\n", status: 404)
    }

    private static func match(_ pattern: [Substring], _ path: [Substring]) -> [String: String]? {
        guard pattern.count == path.count else { return nil }
        var params: [String: String] = [:]
        for (p, s) in zip(pattern, path) {
            if p.hasPrefix(":") {
                guard !s.isEmpty else { return nil }
                params[String(p.dropFirst())] = String(s)
            } else if p != s {
                return nil
            }
        }
        return params
    }
}
