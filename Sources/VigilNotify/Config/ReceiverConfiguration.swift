import Foundation
import VigilCore

/// A named receiver and its integrations.
public struct ReceiverConfiguration: Sendable {
    /// The receiver's unique name, used by routes.
    public var name: String
    /// Its `webhook_configs`.
    public var webhooks: [WebhookConfiguration]
    /// `<kind>_configs` keys present that Vigil does not implement yet (`slack_configs`, …).
    public var unsupportedKinds: [String]

    /// Builds a receiver.
    public init(name: String, webhooks: [WebhookConfiguration] = [], unsupportedKinds: [String] = []) {
        self.name = name
        self.webhooks = webhooks
        self.unsupportedKinds = unsupportedKinds
    }
}

/// One `webhook_configs` entry.
public struct WebhookConfiguration: Sendable {
    /// The URL to POST to, or nil when `urlFile` is used.
    public var url: String?
    /// A file whose content (trimmed) is the URL, read at each send.
    public var urlFile: String?
    /// Whether resolved alerts are notified (default true).
    public var sendResolved: Bool
    /// The most alerts in one payload; 0 means all.
    public var maxAlerts: Int
    /// Timeout of one request in milliseconds; 0 means Vigil's default.
    public var timeout: Int64
    /// HTTP client settings (authentication).
    public var http: HTTPClientConfiguration

    /// Builds a webhook configuration.
    public init(url: String?, urlFile: String? = nil, sendResolved: Bool = true, maxAlerts: Int = 0,
                timeout: Int64 = 0, http: HTTPClientConfiguration = HTTPClientConfiguration()) {
        self.url = url
        self.urlFile = urlFile
        self.sendResolved = sendResolved
        self.maxAlerts = maxAlerts
        self.timeout = timeout
        self.http = http
    }
}

/// The parts of Prometheus's `http_config` that Vigil applies: authentication headers.
public struct HTTPClientConfiguration: Sendable {
    /// `basic_auth` username and password (or the files they are read from).
    public var basicAuth: (username: String, password: String, passwordFile: String?)?
    /// `authorization` type (default `Bearer`) and credentials (or their file).
    public var authorization: (type: String, credentials: String, credentialsFile: String?)?

    /// No authentication.
    public init() {}

    /// The `Authorization` header value, reading credential files now.
    public func authorizationHeader() throws(NotifyError) -> String? {
        if let auth = authorization {
            var creds = auth.credentials
            if let f = auth.credentialsFile { creds = try Self.readSecret(f) }
            return "\(auth.type) \(creds)"
        }
        if let basic = basicAuth {
            var password = basic.password
            if let f = basic.passwordFile { password = try Self.readSecret(f) }
            let token = Data("\(basic.username):\(password)".utf8).base64EncodedString()
            return "Basic \(token)"
        }
        return nil
    }

    static func readSecret(_ path: String) throws(NotifyError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NotifyError.receiverSetup("cannot read secret file \"\(path)\"")
        }
        return String(decoding: data, as: UTF8.self).trimmingSpaces()
    }
}

extension NotifyConfiguration {
    static func parseReceiver(_ node: YAMLNode, reader r: YAMLReader, global: HTTPClientConfiguration?,
                              warnings: inout [ConfigWarning]) throws(ConfigError) -> ReceiverConfiguration {
        let entries = try r.mapping(node, "receiver", allowed: NotifyKeys.receiverKinds.union(["name"]))
        var receiver = ReceiverConfiguration(name: "")
        for e in entries {
            switch e.key {
            case "name":
                receiver.name = try r.string(e.value, "name")
            case "webhook_configs":
                for item in try r.sequence(e.value, "webhook_configs") {
                    receiver.webhooks.append(try parseWebhook(item, reader: r, global: global, warnings: &warnings))
                }
            default:
                if e.value.isNull { continue }
                _ = try r.sequence(e.value, e.key)
                receiver.unsupportedKinds.append(e.key)
                warnings.append(ConfigWarning(file: r.file, mark: e.keyMark,
                                              message: "\(e.key): receiver kind not supported yet; ignored"))
            }
        }
        if receiver.name.isEmpty { throw r.error(node, "missing name in receiver") }
        return receiver
    }

    static func parseWebhook(_ node: YAMLNode, reader r: YAMLReader, global: HTTPClientConfiguration?,
                             warnings: inout [ConfigWarning]) throws(ConfigError) -> WebhookConfiguration {
        var hook = WebhookConfiguration(url: nil, http: global ?? HTTPClientConfiguration())
        for e in try r.mapping(node, "webhook_config", allowed: NotifyKeys.webhook) {
            switch e.key {
            case "url":
                let url = try r.string(e.value, "url")
                guard let u = URL(string: url), let scheme = u.scheme, scheme == "http" || scheme == "https",
                    u.host != nil
                else { throw r.error(e.value, "unsupported scheme or invalid url \"\(url)\"") }
                hook.url = url
            case "url_file": hook.urlFile = try r.string(e.value, "url_file")
            case "send_resolved": hook.sendResolved = try r.bool(e.value, "send_resolved")
            case "max_alerts":
                hook.maxAlerts = try r.int(e.value, "max_alerts")
                if hook.maxAlerts < 0 { throw r.error(e.value, "max_alerts: must not be negative") }
            case "timeout": hook.timeout = try r.duration(e.value, "timeout")
            case "http_config": hook.http = try parseHTTPConfig(e.value, reader: r, warnings: &warnings)
            default: break
            }
        }
        if hook.url == nil && hook.urlFile == nil {
            throw r.error(node, "one of url or url_file must be configured")
        }
        if hook.url != nil && hook.urlFile != nil {
            throw r.error(node, "at most one of url & url_file must be configured")
        }
        return hook
    }

    static func parseHTTPConfig(_ node: YAMLNode, reader r: YAMLReader,
                                warnings: inout [ConfigWarning]) throws(ConfigError) -> HTTPClientConfiguration {
        var http = HTTPClientConfiguration()
        var bearer: String?
        var bearerFile: String?
        for e in try r.mapping(node, "http_config", allowed: NotifyKeys.httpConfig) {
            switch e.key {
            case "basic_auth":
                let m = try r.mapping(e.value, "basic_auth", allowed: NotifyKeys.basicAuth)
                var user = ""
                var password = ""
                var passwordFile: String?
                for b in m {
                    switch b.key {
                    case "username": user = try r.string(b.value, "username")
                    case "username_file": user = try readSecretAtLoad(b.value, reader: r)
                    case "password": password = try r.string(b.value, "password")
                    default: passwordFile = try r.string(b.value, "password_file")
                    }
                }
                http.basicAuth = (user, password, passwordFile)
            case "authorization":
                let m = try r.mapping(e.value, "authorization", allowed: NotifyKeys.authorization)
                var type = "Bearer"
                var creds = ""
                var credsFile: String?
                for a in m {
                    switch a.key {
                    case "type": type = try r.string(a.value, "type")
                    case "credentials": creds = try r.string(a.value, "credentials")
                    default: credsFile = try r.string(a.value, "credentials_file")
                    }
                }
                http.authorization = (type, creds, credsFile)
            case "bearer_token": bearer = try r.string(e.value, "bearer_token")
            case "bearer_token_file": bearerFile = try r.string(e.value, "bearer_token_file")
            case "follow_redirects": _ = try r.bool(e.value, "follow_redirects")
            case "enable_http2": _ = try r.bool(e.value, "enable_http2")
            default:
                warnings.append(ConfigWarning(file: r.file, mark: e.keyMark,
                                              message: "http_config.\(e.key): not supported yet; ignored"))
            }
        }
        if bearer != nil || bearerFile != nil {
            if http.authorization != nil || http.basicAuth != nil {
                throw r.error(node, "at most one of basic_auth, authorization and bearer_token must be configured")
            }
            http.authorization = ("Bearer", bearer ?? "", bearerFile)
        }
        if http.authorization != nil && http.basicAuth != nil {
            throw r.error(node, "at most one of basic_auth, oauth2 & authorization must be configured")
        }
        return http
    }

    private static func readSecretAtLoad(_ node: YAMLNode, reader r: YAMLReader) throws(ConfigError) -> String {
        let path = try r.string(node, "file")
        do {
            return try HTTPClientConfiguration.readSecret(path)
        } catch {
            throw r.error(node, error.description)
        }
    }
}
