import Foundation
import Testing
@testable import VigilStorage

struct StateStoreTests {
    @Test func opensInWALModeAndRunsMigrationsOnce() throws {
        let dir = TSDBTests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/state.sqlite"
        let steps = ["CREATE TABLE alerts (fingerprint TEXT PRIMARY KEY, active_at INTEGER)",
                     "ALTER TABLE alerts ADD COLUMN rule TEXT"]
        do {
            let store = try StateStore(path: path)
            #expect(store.journalMode == "wal")
            try store.migrate(owner: "rules", steps: steps)
            try store.execute("INSERT INTO alerts VALUES (?, ?, ?)", [.text("abc"), .int(42), .text("r")])
            store.close()
        }
        let store = try StateStore(path: path)
        try store.migrate(owner: "rules", steps: steps)
        let rows = try store.query("SELECT fingerprint, active_at, rule FROM alerts")
        #expect(rows == [[.text("abc"), .int(42), .text("r")]])
    }

    @Test func failedTransactionRollsBack() throws {
        let dir = TSDBTests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try StateStore(path: dir + "/state.sqlite")
        try store.execute("CREATE TABLE t (x INTEGER)")
        #expect(throws: StorageError.self) {
            try store.transaction { () throws(StorageError) in
                try store.execute("INSERT INTO t VALUES (1)")
                try store.execute("INSERT INTO missing VALUES (1)")
            }
        }
        #expect(try store.query("SELECT count(*) FROM t") == [[.int(0)]])
    }
}
