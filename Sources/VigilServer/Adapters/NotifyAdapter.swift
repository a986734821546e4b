import VigilCore

/// Calls the notify area's configuration parser for the `notify` section.
enum NotifyAdapter {
    /// A message from checking the `notify` section.
    enum Message: Sendable {
        case warning(String)
        case error(String)
    }

    /// Checks `config.notify` with the notify parser.
    static func check(_ config: VigilConfiguration) -> [Message] {
        []
    }
}
