import VigilCore

/// Everything that can go wrong in the server area: listening, configuration and start-up.
public enum ServerError: Error, Sendable, CustomStringConvertible {
    /// The HTTP server could not listen on `address`.
    case listen(address: String, message: String)
    /// A `--listen` value that is not `host:port`.
    case badListenAddress(String, String)
    /// The configuration has errors (each with file, line and column).
    case config([ConfigError])
    /// A config or rule file could not be read.
    case unreadable(path: String, message: String)
    /// A component failed to start.
    case startup(component: String, message: String)

    public var description: String {
        switch self {
        case .listen(let address, let message): "listen on \"\(address)\": \(message)"
        case .badListenAddress(let text, let why): "invalid listen address \"\(text)\": \(why)"
        case .config(let errors): errors.map(\.description).joined(separator: "\n")
        case .unreadable(let path, let message): "read \"\(path)\": \(message)"
        case .startup(let component, let message): "start \(component): \(message)"
        }
    }
}
