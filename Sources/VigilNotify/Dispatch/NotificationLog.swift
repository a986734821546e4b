import Foundation

/// What was last notified for one group, receiver and integration (Alertmanager's `nflog` entry).
public struct NotificationLogEntry: Sendable, Equatable {
    /// Fingerprints of the alerts that were firing.
    public var firing: Set<UInt64>
    /// Fingerprints of the alerts that were resolved.
    public var resolved: Set<UInt64>
    /// The flush time of that notification, in milliseconds.
    public var timestamp: Int64

    /// Builds an entry.
    public init(firing: Set<UInt64>, resolved: Set<UInt64>, timestamp: Int64) {
        self.firing = firing
        self.resolved = resolved
        self.timestamp = timestamp
    }
}

/// Where notification entries are kept; the in-memory one now, an SQLite table in the state store later.
public protocol NotificationLog: Sendable {
    /// The last entry of `groupKey` for `receiver`'s `integration`.
    func entry(groupKey: String, receiver: String, integration: String) -> NotificationLogEntry?
    /// Records a successful notification.
    func record(groupKey: String, receiver: String, integration: String, entry: NotificationLogEntry)
}

/// A notification log in memory; entries survive a dispatcher that is replaced on reload.
public final class MemoryNotificationLog: NotificationLog, @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: NotificationLogEntry] = [:]

    /// An empty log.
    public init() {}

    /// The last entry, if any.
    public func entry(groupKey: String, receiver: String, integration: String) -> NotificationLogEntry? {
        lock.withLock { entries[Self.key(groupKey, receiver, integration)] }
    }

    /// Stores `entry`, replacing the previous one.
    public func record(groupKey: String, receiver: String, integration: String, entry: NotificationLogEntry) {
        lock.withLock { entries[Self.key(groupKey, receiver, integration)] = entry }
    }

    private static func key(_ g: String, _ r: String, _ i: String) -> String { "\(g)\u{0}\(r)\u{0}\(i)" }
}
