import Foundation
import Testing
import VigilLogs

/// Tailing across rotation, truncation and partial lines (cases C17 and C19).
struct LogFileTailerTests {
    private func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-tail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    private func append(_ path: String, _ text: String) throws {
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try h.seekToEnd()
        try h.write(contentsOf: Data(text.utf8))
        try h.close()
    }

    private func overwrite(_ path: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    private func texts(_ records: [LogRecord]) -> [String] {
        records.map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    @Test("case C19: partial lines held, joined, flushed after the timeout, not repeated after rotation")
    func caseC19() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("p.log").path
        try overwrite(path, "")
        let tailer = LogFileTailer(path: path, partialTimeout: 10_000)
        try append(path, "alpha\nbeta\ngam")
        #expect(texts(tailer.poll(now: 0)) == ["alpha", "beta"])
        #expect(tailer.poll(now: 2_000).isEmpty)
        try append(path, "ma\ndelta")
        #expect(texts(tailer.poll(now: 2_100)) == ["gamma"])
        #expect(tailer.poll(now: 5_000).isEmpty)
        let flushed = tailer.poll(now: 32_100)
        #expect(flushed == [LogRecord(bytes: Array("delta".utf8), partial: true, cut: false)])
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        try overwrite(path, "epsilon\n")
        #expect(texts(tailer.poll(now: 32_200)) == ["epsilon"])
        #expect(tailer.rotations == 1)
    }

    @Test("case C19 without flush-on-timeout: the partial line ends at the rotated file's end")
    func caseC19NoTimeout() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("p.log").path
        try overwrite(path, "alpha\nbeta\ngam")
        let tailer = LogFileTailer(path: path, partialTimeout: .max)
        var got = tailer.poll(now: 0)
        try append(path, "ma\ndelta")
        got += tailer.poll(now: 2_000)
        got += tailer.poll(now: 40_000)
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        try overwrite(path, "epsilon\n")
        got += tailer.poll(now: 40_100)
        #expect(texts(got) == ["alpha", "beta", "gamma", "delta", "epsilon"])
        #expect(got.map(\.partial) == [false, false, false, true, false])
    }

    @Test("case C17 run A: paced appends and overwrites give exactly 50 records in order")
    func caseC17Paced() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("t.log").path
        try overwrite(path, "")
        let tailer = LogFileTailer(path: path)
        var got: [String] = []
        var expected: [String] = []
        for i in 1...50 {
            if i % 10 == 0 {
                try overwrite(path, "Overwrite: \(i)\n")
                expected.append("Overwrite: \(i)")
            } else {
                try append(path, "Append: \(i)\n")
                expected.append("Append: \(i)")
            }
            got += texts(tailer.poll(now: Int64(i) * 500))
        }
        #expect(got == expected)
        #expect(tailer.truncations == 5)
    }

    @Test("case C17 run B: a rewrite that leaves the file longer is still seen as truncation")
    func caseC17Burst() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("t.log").path
        try overwrite(path, "")
        let tailer = LogFileTailer(path: path)
        for i in 1...9 { try append(path, "Append: \(i)\n") }
        #expect(tailer.poll(now: 0).count == 9)
        try overwrite(path, "Overwrite: 10\n")
        for i in 11...19 { try append(path, "Append: \(i)\n") }
        // 14 + 9 × 11 = 113 bytes, more than the 90 already read.
        let got = texts(tailer.poll(now: 100))
        #expect(got == ["Overwrite: 10"] + (11...19).map { "Append: \($0)" })
        #expect(tailer.truncations == 1)
    }

    @Test("100 rename-and-create rotations lose and repeat no line")
    func rotations() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("r.log").path
        try overwrite(path, "")
        let tailer = LogFileTailer(path: path)
        var got: [String] = []
        var n = 0
        for r in 0..<100 {
            for _ in 0..<5 {
                n += 1
                try append(path, "line \(n)\n")
            }
            if r % 3 == 0 { got += texts(tailer.poll(now: Int64(r))) }
            for _ in 0..<3 {
                n += 1
                try append(path, "line \(n)\n")
            }
            try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
            try overwrite(path, "")
            got += texts(tailer.poll(now: Int64(r)))
            try FileManager.default.removeItem(atPath: path + ".1")
        }
        #expect(got == (1...n).map { "line \($0)" })
        #expect(tailer.rotations == 100)
    }

    @Test("a restart from the saved position neither loses nor repeats lines; a long line is cut and flagged")
    func restartAndLongLine() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("s.log").path
        try overwrite(path, "a\nb\npart")
        let first = LogFileTailer(path: path, maxLineBytes: 8)
        #expect(texts(first.poll(now: 0)) == ["a", "b"])
        let saved = first.position
        try append(path, "ial\nc\n0123456789\n")
        let second = LogFileTailer(path: path, maxLineBytes: 8, position: saved)
        let got = second.poll(now: 0)
        #expect(texts(got) == ["partial", "c", "01234567", "89"])
        #expect(got.map(\.cut) == [false, false, true, false])
    }
}

/// Tailing a glob of files.
struct LogGlobTailerTests {
    @Test("files matching the glob are tailed, new ones picked up, positions resumable")
    func glob() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-glob-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("a1\n".utf8).write(to: dir.appendingPathComponent("a.log"))
        try Data("x\n".utf8).write(to: dir.appendingPathComponent("skip.txt"))
        let set = LogGlobTailer(pattern: dir.path + "/*.log")
        let first = set.poll(now: 0)
        #expect(first.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["a.log"])
        try Data("b1\nb2\n".utf8).write(to: dir.appendingPathComponent("b.log"))
        let second = set.poll(now: 1)
        #expect(second.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["b.log"])
        #expect(second.first?.records.count == 2)
        let h = try FileHandle(forWritingTo: dir.appendingPathComponent("a.log"))
        try h.seekToEnd()
        try h.write(contentsOf: Data("a2\n".utf8))
        try h.close()
        let resumed = LogGlobTailer(pattern: dir.path + "/*.log", positions: set.positions)
        let third = resumed.poll(now: 2)
        #expect(third.map { String(decoding: $0.records[0].bytes, as: UTF8.self) } == ["a2"])
    }
}
