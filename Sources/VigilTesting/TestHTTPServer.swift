import CMicroHTTPD
import Foundation
import VigilCore

/// A request as seen by `TestHTTPServer`.
public struct TestHTTPRequest: Sendable {
    public var method: String
    public var path: String
    public var query: [(String, String)]
    public var headers: [String: String]
    public var body: [UInt8]

    public var bodyString: String { String(decoding: body, as: UTF8.self) }
}

/// A canned response.
public struct TestHTTPResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]
    public var headers: [String: String]

    public init(status: Int = 200, contentType: String = "text/plain; charset=utf-8", body: String = "",
                headers: [String: String] = [:]) {
        self.status = status
        self.contentType = contentType
        self.body = Array(body.utf8)
        self.headers = headers
    }
}

/// A real HTTP server on a loopback port for tests (libmicrohttpd), recording every request.
public final class TestHTTPServer: @unchecked Sendable {
    public typealias Handler = @Sendable (TestHTTPRequest) -> TestHTTPResponse

    private var server: OpaquePointer?
    private let lock = NSLock()
    private var recorded: [TestHTTPRequest] = []
    private var handler: Handler
    private var box: Unmanaged<TestHTTPServer>?

    /// The bound port.
    public private(set) var port: UInt16 = 0

    /// `http://127.0.0.1:<port>`
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts listening on 127.0.0.1 at `port` (0 picks a free one).
    public init(port: UInt16 = 0, handler: @escaping Handler = { _ in TestHTTPResponse() }) throws {
        self.handler = handler
        let unmanaged = Unmanaged.passUnretained(self)
        var err = [CChar](repeating: 0, count: 256)
        let s = vigil_http_start("127.0.0.1", port, 4, 64 << 20, { ctx, req, resp in
            let me = Unmanaged<TestHTTPServer>.fromOpaque(ctx!).takeUnretainedValue()
            me.handle(req!, resp!)
        }, unmanaged.toOpaque(), &err, err.count)
        guard let s else {
            throw TestServerError(message: String(cString: err))
        }
        server = s
        self.port = vigil_http_port(s)
    }

    /// Replaces the handler.
    public func setHandler(_ h: @escaping Handler) { lock.withLock { handler = h } }

    /// Requests received so far.
    public var requests: [TestHTTPRequest] { lock.withLock { recorded } }

    /// Stops the server.
    public func stop() {
        if let s = server {
            vigil_http_stop(s)
            server = nil
        }
    }

    deinit { stop() }

    private func handle(_ req: UnsafePointer<vigil_http_request>, _ resp: UnsafeMutablePointer<vigil_http_response>) {
        let r = req.pointee
        var args: [(String, String)] = []
        withUnsafeMutablePointer(to: &args) { p in
            vigil_http_each_arg(r.connection, { ctx, k, kn, v, vn in
                let list = ctx!.assumingMemoryBound(to: [(String, String)].self)
                list.pointee.append((String(decoding: UnsafeRawBufferPointer(start: k, count: kn), as: UTF8.self),
                                     String(decoding: UnsafeRawBufferPointer(start: v, count: vn), as: UTF8.self)))
            }, p)
        }
        var headers: [String: String] = [:]
        for name in ["Content-Type", "Content-Encoding", "Accept", "User-Agent", "Authorization",
                     "X-Prometheus-Scrape-Timeout-Seconds"] {
            if let v = vigil_http_header(r.connection, name) { headers[name] = String(cString: v) }
        }
        let body = r.body_len > 0 ? Array(UnsafeRawBufferPointer(start: r.body, count: r.body_len)) : []
        let request = TestHTTPRequest(method: String(cString: r.method), path: String(cString: r.url), query: args,
                                      headers: headers, body: body)
        let h = lock.withLock { () -> Handler in
            recorded.append(request)
            return handler
        }
        let response = h(request)
        resp.pointee.status = UInt32(response.status)
        resp.pointee.body = copyToMalloc(response.body)
        resp.pointee.body_len = response.body.count
        resp.pointee.content_type = strdup(response.contentType)
        if !response.headers.isEmpty {
            resp.pointee.headers = strdup(response.headers.map { "\($0.key): \($0.value)" }.joined(separator: "\n"))
        }
    }
}

private func copyToMalloc(_ bytes: [UInt8]) -> UnsafeMutablePointer<CChar>? {
    let p = malloc(max(bytes.count, 1))!.assumingMemoryBound(to: CChar.self)
    bytes.withUnsafeBytes { src in
        if let base = src.baseAddress { memcpy(p, base, bytes.count) }
    }
    return p
}

/// The test server could not start.
public struct TestServerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Locates the shared corpus (`../shared` beside the repository, or `$VIGIL_SHARED`).
public enum SharedFixtures {
    /// The shared directory, or nil when absent (tests then skip with a note).
    public static func root(file: String = #filePath) -> URL? {
        if let env = ProcessInfo.processInfo.environment["VIGIL_SHARED"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        var dir = URL(fileURLWithPath: file).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                let shared = dir.deletingLastPathComponent().appendingPathComponent("shared")
                return FileManager.default.fileExists(atPath: shared.path) ? shared : nil
            }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    /// True when the shared corpus is present.
    public static var available: Bool { root() != nil }

    /// A path inside the shared corpus.
    public static func path(_ relative: String) -> URL? { root()?.appendingPathComponent(relative) }
}
