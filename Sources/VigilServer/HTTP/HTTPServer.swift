import CMicroHTTPD
import Foundation
import VigilCore

/// Vigil's HTTP server: libmicrohttpd with an internal thread pool, answering through a `Router`.
///
/// The C library calls the handler on its own threads; the handler and router are `Sendable` and hold no
/// per-request state.
public final class HTTPServer: @unchecked Sendable {
    private let lock = NSLock()
    private var server: OpaquePointer?
    private let handler: @Sendable (HTTPRequest) -> HTTPResponse
    private let logger: Logger

    /// The bound port (useful after listening on port 0).
    public let port: UInt16
    /// The address as given, e.g. `127.0.0.1:9470`.
    public let address: ListenAddress

    /// Request headers copied into `HTTPRequest.headers`.
    static let readHeaders = [
        "Content-Type", "Content-Encoding", "Accept", "Accept-Encoding", "User-Agent", "Content-Length",
    ]

    /// Starts listening on `address` with `threads` worker threads and hands each request to `handler`.
    public init(address: ListenAddress, threads: Int = 8, maxBodyBytes: Int = 32 << 20, logger: Logger,
                handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse) throws(ServerError) {
        self.handler = handler
        self.logger = logger
        self.address = address
        let box = HandlerBox(handler: handler, logger: logger)
        let ctx = Unmanaged.passRetained(box)
        var err = [CChar](repeating: 0, count: 256)
        let s = vigil_http_start(address.host, address.port, UInt32(max(threads, 1)), maxBodyBytes, { ctx, req, resp in
            let box = Unmanaged<HandlerBox>.fromOpaque(ctx!).takeUnretainedValue()
            box.handle(req!, resp!)
        }, ctx.toOpaque(), &err, err.count)
        guard let s else {
            ctx.release()
            let message = String(decoding: err.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw ServerError.listen(address: address.description, message: message)
        }
        server = s
        port = vigil_http_port(s)
        self.box = ctx
    }

    private var box: Unmanaged<HandlerBox>?

    /// Stops accepting requests and waits for running handlers to finish; idempotent.
    public func stop() {
        let (s, b) = lock.withLock { () -> (OpaquePointer?, Unmanaged<HandlerBox>?) in
            defer { server = nil; box = nil }
            return (server, box)
        }
        if let s { vigil_http_stop(s) }
        b?.release()
    }

    deinit { stop() }
}

/// Owns the handler for the C callback.
private final class HandlerBox: Sendable {
    let handler: @Sendable (HTTPRequest) -> HTTPResponse
    let logger: Logger

    init(handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse, logger: Logger) {
        self.handler = handler
        self.logger = logger
    }

    func handle(_ req: UnsafePointer<vigil_http_request>, _ resp: UnsafeMutablePointer<vigil_http_response>) {
        let started = Timestamp.monotonicSeconds()
        let r = req.pointee
        var args: [(String, String)] = []
        withUnsafeMutablePointer(to: &args) { p in
            vigil_http_each_arg(r.connection, { ctx, k, kn, v, vn in
                let list = ctx!.assumingMemoryBound(to: [(String, String)].self)
                // Decode with lengths: a `%00` stays in the value (and is rejected as such), not cut at it.
                let key = String(decoding: UnsafeRawBufferPointer(start: k, count: kn), as: UTF8.self)
                let value = String(decoding: UnsafeRawBufferPointer(start: v, count: vn), as: UTF8.self)
                list.pointee.append((key, value))
            }, p)
        }
        var headers: [String: String] = [:]
        for name in HTTPServer.readHeaders {
            if let v = vigil_http_header(r.connection, name) { headers[name.lowercased()] = String(cString: v) }
        }
        let body = r.body_len > 0 ? Array(UnsafeRawBufferPointer(start: r.body, count: r.body_len)) : []
        let request = HTTPRequest(method: String(cString: r.method), path: String(cString: r.url), query: args,
                                  headers: headers, body: body)
        let response = handler(request)

        resp.pointee.status = UInt32(response.status)
        resp.pointee.body = mallocCopy(response.body)
        resp.pointee.body_len = response.body.count
        resp.pointee.content_type = strdup(response.contentType)
        if !response.headers.isEmpty {
            resp.pointee.headers = strdup(response.headers.map { "\($0.0): \($0.1)" }.joined(separator: "\n"))
        }
        if logger.level <= .debug {
            logger.debug("http request", [
                "http.method": request.method, "http.path": request.path, "http.status": String(response.status),
                "http.duration_seconds": String(format: "%.6f", Timestamp.monotonicSeconds() - started),
            ])
        }
    }
}

private func mallocCopy(_ bytes: [UInt8]) -> UnsafeMutablePointer<CChar>? {
    let p = malloc(max(bytes.count, 1))!.assumingMemoryBound(to: CChar.self)
    bytes.withUnsafeBytes { src in
        if let base = src.baseAddress { memcpy(p, base, bytes.count) }
    }
    return p
}
