import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import VigilCore

/// What one scrape request returned.
struct ScrapeResponse: Sendable {
    var status: Int
    var contentType: String?
    var body: [UInt8]
}

/// Fetches scrape pages with Prometheus's headers, a hard timeout and task cancellation; gzip is decoded by the
/// transport (libcurl under FoundationNetworking announces and decodes it).
final class ScrapeHTTPClient: Sendable {
    private let session: URLSession
    static let userAgent = "Vigil/0.1"

    init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpMaximumConnectionsPerHost = 4
        session = URLSession(configuration: configuration)
    }

    /// GETs `url`, failing after `timeout` milliseconds with "context deadline exceeded" as Prometheus does.
    func fetch(_ url: String, timeout: Int64) async throws(ScrapeFailure) -> ScrapeResponse {
        guard let u = URL(string: url) else { throw ScrapeFailure("invalid scrape URL \"\(url)\"") }
        let seconds = Double(timeout) / 1000
        var request = URLRequest(url: u, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: seconds + 1)
        request.httpMethod = "GET"
        request.setValue(ExpositionFormat.acceptHeader, forHTTPHeaderField: "Accept")
        request.setValue(GoFloat.format(seconds), forHTTPHeaderField: "X-Prometheus-Scrape-Timeout-Seconds")
        request.setValue(Self.userAgent, forHTTPHeaderField: "User-Agent")

        let box = RequestBox()
        typealias Outcome = Result<ScrapeResponse, ScrapeFailure>
        let outcome: Outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
                let task = session.dataTask(with: request) { data, response, error in
                    if let error {
                        let reason = box.timedOut ? "context deadline exceeded"
                            : box.cancelled ? "scrape cancelled" : error.localizedDescription
                        continuation.resume(returning: .failure(ScrapeFailure("Get \"\(url)\": \(reason)")))
                        return
                    }
                    let http = response as? HTTPURLResponse
                    let result = ScrapeResponse(
                        status: http?.statusCode ?? 0,
                        contentType: http?.value(forHTTPHeaderField: "Content-Type"),
                        body: data.map { Array($0) } ?? [])
                    continuation.resume(returning: .success(result))
                }
                box.start(task, timeout: seconds)
            }
        } onCancel: {
            box.cancel()
        }
        return try outcome.get()
    }
}

/// A scrape that failed before or after parsing, with Prometheus-like wording.
struct ScrapeFailure: Error, Sendable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Holds an in-flight task so a timer or task cancellation can stop it.
private final class RequestBox: @unchecked Sendable {
    private let lock = NSLock()
    private var task: URLSessionDataTask?
    private var state: (timedOut: Bool, cancelled: Bool) = (false, false)

    var timedOut: Bool { lock.withLock { state.timedOut } }
    var cancelled: Bool { lock.withLock { state.cancelled } }

    func start(_ task: URLSessionDataTask, timeout: Double) {
        let alreadyCancelled = lock.withLock { () -> Bool in
            self.task = task
            return state.cancelled
        }
        if alreadyCancelled {
            task.cancel()
            return
        }
        task.resume()
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [weak self] in
            guard let self else { return }
            let t = self.lock.withLock { () -> URLSessionDataTask? in
                self.state.timedOut = true
                return self.task
            }
            if t?.state == .running { t?.cancel() }
        }
    }

    func cancel() {
        let t = lock.withLock { () -> URLSessionDataTask? in
            state.cancelled = true
            return task
        }
        t?.cancel()
    }
}
