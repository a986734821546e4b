import Foundation
import Testing
import VigilCore
import VigilTesting

/// A data directory that fills up: the WAL error shows in `/-/ready` and the log, and pushes get 503; freeing
/// space heals both. Needs root to mount a small tmpfs (CI runs as root).
@Suite(.serialized)
struct DiskFullReadyTests {
    static func sh(_ path: String, _ args: [String]) -> Int32 { (try? Integration.run(path, args).status) ?? -1 }

    static let canMount: Bool = {
        guard getuid() == 0, let dir = try? Integration.tempDir("mount-probe") else { return false }
        defer {
            _ = sh("/bin/umount", [dir.path])
            try? FileManager.default.removeItem(at: dir)
        }
        return sh("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir.path]) == 0
    }()

    @Test(.enabled(if: Integration.vigilBinary != nil && canMount, "needs the vigil binary and root for a tmpfs"))
    func walErrorIsVisibleInReadyAndPushesAreRefused() throws {
        let vigil = try #require(Integration.vigilBinary)
        let dir = try Integration.tempDir("diskfull")
        let data = dir.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        #expect(Self.sh("/bin/mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", data.path]) == 0)
        defer {
            _ = Self.sh("/bin/umount", ["-l", data.path])
            try? FileManager.default.removeItem(at: dir)
        }
        let config = dir.appendingPathComponent("vigil.yml")
        try "collectors:\n  host: {enabled: false}\n  gpu: {enabled: false}\n".write(to: config, atomically: true,
                                                                                  encoding: .utf8)
        let port = Integration.freePort()
        let log = dir.appendingPathComponent("vigil.log")
        let server = try Integration.start(vigil, ["run", "--config", config.path, "--data", data.path,
                                                   "--listen", "127.0.0.1:\(port)"], log: log)
        defer { Integration.stop(server) }
        let url = "http://127.0.0.1:\(port)"
        let ready = Integration.eventually(timeout: 30) { Integration.get(url + "/-/ready")?.status == 200 ? true : nil }
        try #require(ready == true)

        // Fill the file system, then push until the WAL cannot write.
        let filler = data.appendingPathComponent("filler")
        _ = FileManager.default.createFile(atPath: filler.path, contents: nil)
        let handle = try FileHandle(forWritingTo: filler)
        while (try? handle.write(contentsOf: Data(count: 16 * 1024))) != nil {}
        try handle.close()
        var refused: (status: Int, body: String)?
        for i in 0..<200 {
            let body = (0..<200).map { "full_test{k=\"\($0)\"} \(i) \(1_700_000_000_000 + Int64(i) * 1000)\n" }.joined()
            guard let r = Integration.post(url + "/api/v1/import/prometheus", body: Array(body.utf8)) else { break }
            if r.status != 204 {
                refused = r
                break
            }
        }
        let r = try #require(refused, "pushes never failed on a full disk")
        #expect(r.status == 503)
        #expect(r.body.contains("No space left on device"))
        let notReady = try #require(Integration.get(url + "/-/ready"))
        #expect(notReady.status == 503)
        #expect(notReady.body.contains("No space left on device"))

        // Free the space: pushes and readiness recover.
        try FileManager.default.removeItem(at: filler)
        let push = try #require(Integration.post(url + "/api/v1/import/prometheus",
                                                 body: Array("full_test{k=\"x\"} 1 1700000999000\n".utf8)))
        #expect(push.status == 204)
        let healed = try #require(Integration.get(url + "/-/ready"))
        #expect(healed.status == 200)
    }
}
