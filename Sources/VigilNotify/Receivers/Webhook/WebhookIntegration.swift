import Foundation
import VigilCore

/// Posts Alertmanager's webhook JSON (version 4) to a `webhook_configs` URL.
public struct WebhookIntegration: NotifyIntegration {
    /// `webhook[i]`.
    public let name: String
    /// `send_resolved`.
    public var sendResolved: Bool { configuration.sendResolved }
    /// Webhook deliveries count in metrics.
    public let countsInMetrics = true
    /// The configuration it posts with.
    public let configuration: WebhookConfiguration
    private let client: any NotifyHTTPClient

    /// The `index`-th webhook of a receiver.
    public init(index: Int, configuration: WebhookConfiguration, client: any NotifyHTTPClient) {
        self.name = "webhook[\(index)]"
        self.configuration = configuration
        self.client = client
    }

    /// One POST; non-2xx answers throw `NotifyError.httpStatus`.
    public func send(_ notification: GroupNotification, timeout: Int64) async throws(NotifyError) {
        let url = try resolveURL()
        var effectiveTimeout = timeout
        if configuration.timeout > 0 { effectiveTimeout = min(timeout, configuration.timeout) }
        var headers = ["Content-Type": "application/json", "User-Agent": "Vigil"]
        if let auth = try configuration.http.authorizationHeader() { headers["Authorization"] = auth }
        let body = WebhookPayload.encode(notification, maxAlerts: configuration.maxAlerts)
        let response = try await client.post(url: url, body: body, headers: headers, timeout: effectiveTimeout)
        guard (200..<300).contains(response.status) else {
            throw NotifyError.httpStatus(url: url, status: response.status,
                                         body: String(decoding: response.body.prefix(512), as: UTF8.self))
        }
    }

    private func resolveURL() throws(NotifyError) -> String {
        if let url = configuration.url { return url }
        guard let file = configuration.urlFile, let data = FileManager.default.contents(atPath: file) else {
            throw NotifyError.receiverSetup("cannot read url_file \"\(configuration.urlFile ?? "")\"")
        }
        return String(decoding: data, as: UTF8.self).trimmingSpaces()
    }
}
