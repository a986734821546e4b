/// A `host:port` listen address (`127.0.0.1:9470`, `[::1]:9470`, `:9470` for every IPv4 interface).
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// The host literal without brackets; empty means every IPv4 interface.
    public var host: String
    /// The port; 0 picks a free one.
    public var port: UInt16

    /// Creates an address from its parts.
    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`; `localhost` becomes `127.0.0.1` because the server takes literals only.
    public init(parsing text: String) throws(ServerError) {
        guard let colon = text.lastIndex(of: ":") else {
            throw ServerError.badListenAddress(text, "missing port")
        }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        guard let port = UInt16(portText) else { throw ServerError.badListenAddress(text, "invalid port") }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host == "localhost" { host = "127.0.0.1" }
        if host.contains(":") && !text.contains("[") {
            throw ServerError.badListenAddress(text, "IPv6 hosts must be in brackets")
        }
        self.host = host
        self.port = port
    }

    /// `host:port` with IPv6 hosts in brackets.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
