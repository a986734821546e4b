import VigilCore

/// How `vigil run` was started: the command-line flags.
public struct RuntimeOptions: Sendable {
    /// The config file; nil means the embedded default.
    public var configPath: String?
    /// The data directory (default `./data`; the in-memory store does not write to it yet).
    public var dataDirectory: String = "./data"
    /// Where the HTTP server listens (default `127.0.0.1:9470`).
    public var listen = ListenAddress(host: "127.0.0.1", port: 9470)
    /// HTTP worker threads.
    public var httpThreads: Int = 8
    /// How often retention runs, in seconds.
    public var retentionInterval: Double = 60
    /// The flags as given, for `/api/v1/status/flags`.
    public var flags: [(String, String)] = []

    /// The defaults.
    public init() {}
}
