/// Errors of the notifier: bad matchers and failed deliveries, each saying whether a retry could help.
public enum NotifyError: Error, Sendable, CustomStringConvertible, Equatable {
    /// A matcher string that does not parse.
    case badMatcher(String, String)
    /// The receiver answered with a non-2xx status.
    case httpStatus(url: String, status: Int, body: String)
    /// The request failed before a response (connection refused, DNS, TLS, …).
    case transport(url: String, message: String)
    /// The request did not finish within its timeout.
    case timeout(url: String, seconds: Double)
    /// A receiver setting that cannot be used at send time (for example an unreadable `url_file`).
    case receiverSetup(String)
    /// The receiver kind is configured but not implemented yet.
    case unsupported(String)

    /// True when sending again later could succeed: 5xx, 429, transport errors and timeouts.
    public var retryable: Bool {
        switch self {
        case .httpStatus(_, let status, _): status == 429 || status >= 500
        case .transport, .timeout: true
        case .badMatcher, .receiverSetup, .unsupported: false
        }
    }

    /// A lower-case message quoting the bad value.
    public var description: String {
        switch self {
        case .badMatcher(let text, let why): "bad matcher \"\(text)\": \(why)"
        case .httpStatus(let url, let status, let body):
            "unexpected status code \(status) from \"\(url)\"" + (body.isEmpty ? "" : ": \(body.prefix(200))")
        case .transport(let url, let message): "post \"\(url)\": \(message)"
        case .timeout(let url, let seconds): "post \"\(url)\": timed out after \(seconds)s"
        case .receiverSetup(let message): message
        case .unsupported(let kind): "receiver kind \"\(kind)\" is not supported yet"
        }
    }
}
