import CSQLite
import Foundation
import VigilCore

/// A value bound to or read from a SQL statement.
public enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])

    public var int: Int64? { if case .int(let v) = self { v } else { nil } }
    public var double: Double? {
        switch self {
        case .double(let v): v
        case .int(let v): Double(v)
        default: nil
        }
    }
    public var text: String? { if case .text(let v) = self { v } else { nil } }
}

/// `state.sqlite`: alert state, silences, the notification log and audit records (SQLite in WAL mode).
///
/// Each target owns the schema of its own tables and registers it through `migrate(owner:steps:)`.
public final class StateStore: @unchecked Sendable {
    private var db: OpaquePointer?
    private let lock = NSLock()
    public let path: String

    /// Opens or creates the database at `path` in WAL mode with foreign keys on.
    public init(path: String) throws(StorageError) {
        self.path = path
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        guard sqlite3_open_v2(path, &handle, flags, nil) == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(handle)
            throw StorageError.io("open state store \(path): \(message)")
        }
        db = handle
        sqlite3_busy_timeout(handle, 5000)
        try execute("PRAGMA journal_mode=WAL")
        try execute("PRAGMA synchronous=NORMAL")
        try execute("PRAGMA foreign_keys=ON")
        try execute("CREATE TABLE IF NOT EXISTS schema_migrations (owner TEXT PRIMARY KEY, version INTEGER NOT NULL)")
    }

    deinit { close() }

    /// Closes the database.
    public func close() {
        lock.withLock {
            if let db { sqlite3_close_v2(db) }
            db = nil
        }
    }

    /// Applies the steps of `owner` that have not run yet, each in its own transaction.
    public func migrate(owner: String, steps: [String]) throws(StorageError) {
        let current = try query("SELECT version FROM schema_migrations WHERE owner = ?", [.text(owner)])
            .first?.first?.int ?? 0
        for (i, step) in steps.enumerated() where Int64(i + 1) > current {
            try transaction { () throws(StorageError) in
                try execute(step)
                try execute("INSERT INTO schema_migrations(owner, version) VALUES(?, ?) "
                            + "ON CONFLICT(owner) DO UPDATE SET version = excluded.version",
                            [.text(owner), .int(Int64(i + 1))])
            }
        }
    }

    /// Runs `body` inside BEGIN IMMEDIATE … COMMIT, rolling back when it throws.
    public func transaction<T>(_ body: () throws(StorageError) -> T) throws(StorageError) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let v = try body()
            try execute("COMMIT")
            return v
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Executes one statement with bound parameters.
    public func execute(_ sql: String, _ params: [SQLValue] = []) throws(StorageError) {
        _ = try run(sql, params, collect: false)
    }

    /// Runs a query and returns every row.
    public func query(_ sql: String, _ params: [SQLValue] = []) throws(StorageError) -> [[SQLValue]] {
        try run(sql, params, collect: true)
    }

    private func run(_ sql: String, _ params: [SQLValue], collect: Bool) throws(StorageError) -> [[SQLValue]] {
        lock.lock()
        defer { lock.unlock() }
        guard let db else { throw StorageError.io("state store \(path) is closed") }
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &stmt, nil) == SQLITE_OK, let stmt else {
            throw StorageError.io("prepare \"\(sql)\": \(String(cString: sqlite3_errmsg(db)))")
        }
        defer { sqlite3_finalize(stmt) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (i, p) in params.enumerated() {
            let idx = Int32(i + 1)
            switch p {
            case .null: sqlite3_bind_null(stmt, idx)
            case .int(let v): sqlite3_bind_int64(stmt, idx, v)
            case .double(let v): sqlite3_bind_double(stmt, idx, v)
            case .text(let v): sqlite3_bind_text(stmt, idx, v, -1, transient)
            case .blob(let v):
                v.withUnsafeBytes { _ = sqlite3_bind_blob(stmt, idx, $0.baseAddress, Int32(v.count), transient) }
            }
        }
        var rows: [[SQLValue]] = []
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else {
                throw StorageError.io("execute \"\(sql)\": \(String(cString: sqlite3_errmsg(db)))")
            }
            guard collect else { continue }
            var row: [SQLValue] = []
            for c in 0..<sqlite3_column_count(stmt) {
                switch sqlite3_column_type(stmt, c) {
                case SQLITE_INTEGER: row.append(.int(sqlite3_column_int64(stmt, c)))
                case SQLITE_FLOAT: row.append(.double(sqlite3_column_double(stmt, c)))
                case SQLITE_TEXT: row.append(.text(String(cString: sqlite3_column_text(stmt, c))))
                case SQLITE_BLOB:
                    let n = Int(sqlite3_column_bytes(stmt, c))
                    let p = sqlite3_column_blob(stmt, c)
                    row.append(.blob(n > 0 && p != nil ? Array(UnsafeRawBufferPointer(start: p, count: n)) : []))
                default: row.append(.null)
                }
            }
            rows.append(row)
        }
        return rows
    }

    /// The journal mode SQLite reports (`wal` once opened).
    public var journalMode: String { (try? query("PRAGMA journal_mode"))?.first?.first?.text ?? "" }
}
