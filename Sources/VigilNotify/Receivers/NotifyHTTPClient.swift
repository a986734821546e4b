import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A response to a notification request.
public struct NotifyHTTPResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// The body, for error messages.
    public var body: [UInt8]

    /// Builds a response.
    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}

/// Sends the POST requests of HTTP integrations.
public protocol NotifyHTTPClient: Sendable {
    /// POSTs `body` to `url` with `headers`, failing with `NotifyError.timeout` after `timeout` milliseconds.
    func post(url: String, body: [UInt8], headers: [String: String], timeout: Int64) async throws(NotifyError)
        -> NotifyHTTPResponse
}

/// `NotifyHTTPClient` over FoundationNetworking's `URLSession` (libcurl underneath on Linux).
public final class URLSessionNotifyHTTPClient: NotifyHTTPClient, @unchecked Sendable {
    private typealias PostResult = Result<NotifyHTTPResponse, NotifyError>
    private let session: URLSession

    /// A client with its own ephemeral session.
    public init() {
        let config = URLSessionConfiguration.ephemeral
        config.httpMaximumConnectionsPerHost = 8
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: config)
    }

    deinit { session.finishTasksAndInvalidate() }

    /// POSTs once; cancelling the calling task cancels the request.
    public func post(url: String, body: [UInt8], headers: [String: String], timeout: Int64) async throws(NotifyError)
        -> NotifyHTTPResponse
    {
        guard let u = URL(string: url) else { throw NotifyError.receiverSetup("invalid url \"\(url)\"") }
        var request = URLRequest(url: u)
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        request.timeoutInterval = Double(max(timeout, 1)) / 1000
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }

        let holder = TaskHolder()
        let result: PostResult = await withTaskCancellationHandler {
            await withCheckedContinuation { (cont: CheckedContinuation<PostResult, Never>) in
                let task = session.dataTask(with: request) { data, response, error in
                    if let error {
                        let ns = error as NSError
                        if ns.domain == NSURLErrorDomain && ns.code == NSURLErrorTimedOut {
                            cont.resume(returning: .failure(.timeout(url: url, seconds: Double(timeout) / 1000)))
                        } else {
                            cont.resume(returning: .failure(.transport(url: url, message: error.localizedDescription)))
                        }
                        return
                    }
                    let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                    cont.resume(returning: .success(NotifyHTTPResponse(status: status, body: Array(data ?? Data()))))
                }
                holder.set(task)
                task.resume()
            }
        } onCancel: {
            holder.cancel()
        }
        return try result.get()
    }
}

private final class TaskHolder: @unchecked Sendable {
    private let lock = NSLock()
    private var task: URLSessionDataTask?
    private var cancelled = false

    func set(_ t: URLSessionDataTask) {
        let cancelNow = lock.withLock { () -> Bool in
            task = t
            return cancelled
        }
        if cancelNow { t.cancel() }
    }

    func cancel() {
        let t = lock.withLock { () -> URLSessionDataTask? in
            cancelled = true
            return task
        }
        t?.cancel()
    }
}
