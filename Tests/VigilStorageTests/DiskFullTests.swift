import Foundation
import Testing
import VigilCore
@testable import VigilStorage

/// Disk full on a small tmpfs: block writes fail cleanly, the WAL keeps accepting until it cannot write, and the
/// error is visible; freeing space heals it. Needs root to mount tmpfs (CI runs as root).
@Suite(.serialized)
struct DiskFullTests {
    static let canMount: Bool = {
        guard getuid() == 0 else { return false }
        let dir = TSDBTests.tempDir()
        defer {
            _ = Self.run("/bin/umount", [dir])
            try? FileManager.default.removeItem(atPath: dir)
        }
        return run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir]) == 0
    }()

    @discardableResult
    static func run(_ path: String, _ args: [String]) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }

    @Test(.enabled(if: canMount, "needs root to mount a small tmpfs"))
    func blockWriteFailsCleanlyAndTheWALReportsFullDisk() throws {
        let dir = TSDBTests.tempDir()
        #expect(Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", dir]) == 0)
        defer {
            Self.run("/bin/umount", ["-l", dir])
            try? FileManager.default.removeItem(atPath: dir)
        }
        let hour: Int64 = 3_600_000
        let sink = MemoryLogSink()
        let db = try TSDBTests.open(dir, { $0.blockRange = 2 * hour }, sink: sink)
        for step in 0..<(5 * 60) {
            let batch = (0..<20).map {
                LabeledSample(TSDBTests.series("m", ["k": String($0)]), t: Int64(step) * 60_000, v: Double(step * $0))
            }
            try db.append(batch)
        }
        // Fill the disk, leaving a little room for the WAL.
        let filler = dir + "/filler"
        _ = FileManager.default.createFile(atPath: filler, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: filler))
        while (try? handle.write(contentsOf: Data(count: 4096))) != nil {}
        try handle.close()
        try FileManager.default.removeItem(atPath: filler)
        _ = FileManager.default.createFile(atPath: filler, contents: Data(count: 0))
        var stat = statvfs()
        statvfs(dir, &stat)
        let free = Int(stat.f_bavail) * Int(stat.f_frsize)
        let keep = max(free - 16 * 1024, 0)
        let h2 = try FileHandle(forWritingTo: URL(fileURLWithPath: filler))
        try h2.write(contentsOf: Data(count: keep))
        try h2.close()

        db.applyRetention(now: 5 * hour)
        #expect(sink.lines.contains { $0.contains("storage maintenance failed") })
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir + "/blocks")
        #expect(leftovers.allSatisfy { !$0.hasSuffix(".tmp") }, "partial block left: \(leftovers)")

        // The head keeps accepting into the WAL until the WAL itself cannot write.
        var failure: Error?
        for step in 300..<2000 {
            do {
                try db.append([LabeledSample(TSDBTests.series("m", ["k": "0"]), t: Int64(step) * 60_000, v: 1)])
            } catch {
                failure = error
                break
            }
        }
        let error = try #require(failure)
        #expect("\(error)".contains("No space left on device"))
        #expect(db.walError?.contains("No space left on device") == true)

        // Freeing space heals appends; every acknowledged sample is still there.
        try FileManager.default.removeItem(atPath: filler)
        try db.append([LabeledSample(TSDBTests.series("m", ["k": "0"]), t: 10_000 * 60_000, v: 1)])
        #expect(db.walError == nil)
        db.close()
        let reopened = try TSDBTests.open(dir) { $0.blockRange = 2 * hour }
        let s = try #require(reopened.select([try LabelMatcher(.equal, "k", "0")], mint: .min, maxt: .max).first)
        let first = try #require(s.samples.first)
        let last = try #require(s.samples.last)
        #expect(first.t == 0)
        #expect(last.t == 10_000 * 60_000)
    }
}
