import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import VigilCore
import VigilTesting

/// Helpers for whole-binary tests: locating binaries, free ports, child processes and HTTP calls.
enum Integration {
    /// The `vigil` binary under test: `$VIGIL_BIN`, else `.build/debug/vigil` of this checkout.
    static var vigilBinary: String? {
        if let env = ProcessInfo.processInfo.environment["VIGIL_BIN"], FileManager.default.isExecutableFile(atPath: env) {
            return env
        }
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent(".build/debug/vigil").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    static let nodeExporter = "/usr/bin/prometheus-node-exporter"

    static var nodeExporterAvailable: Bool { FileManager.default.isExecutableFile(atPath: nodeExporter) }

    /// A TCP port that was free a moment ago on 127.0.0.1.
    static func freePort() -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return UInt16(bigEndian: addr.sin_port)
    }

    /// A fresh temporary directory.
    static func tempDir(_ name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-it-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Starts a child process whose stdout and stderr go to `log`.
    static func start(_ path: String, _ args: [String], log: URL) throws -> Process {
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        return p
    }

    /// Runs a process to completion and returns its exit status and combined output.
    static func run(_ path: String, _ args: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Stops a child process with SIGTERM, then SIGKILL after `grace` seconds.
    static func stop(_ p: Process, grace: Double = 5) {
        guard p.isRunning else { return }
        p.terminate()
        let deadline = Date().addingTimeInterval(grace)
        while p.isRunning && Date() < deadline { usleep(50_000) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
    }

    /// A blocking HTTP GET; returns status and body, or nil when the connection failed.
    static func get(_ url: String, timeout: Double = 5) -> (status: Int, body: String)? {
        let result = HTTPResultBox()
        let sem = DispatchSemaphore(value: 0)
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = timeout
        URLSession.shared.dataTask(with: request) { data, response, _ in
            if let r = response as? HTTPURLResponse {
                result.set((r.statusCode, String(decoding: data ?? Data(), as: UTF8.self)))
            }
            sem.signal()
        }.resume()
        sem.wait()
        return result.get()
    }

    /// A blocking HTTP POST of `body`; returns status and body, or nil when the connection failed.
    static func post(_ url: String, body: [UInt8], contentType: String = "text/plain", timeout: Double = 10)
        -> (status: Int, body: String)?
    {
        let result = HTTPResultBox()
        let sem = DispatchSemaphore(value: 0)
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        request.timeoutInterval = timeout
        URLSession.shared.dataTask(with: request) { data, response, _ in
            if let r = response as? HTTPURLResponse {
                result.set((r.statusCode, String(decoding: data ?? Data(), as: UTF8.self)))
            }
            sem.signal()
        }.resume()
        sem.wait()
        return result.get()
    }

    /// Polls `body` every `interval` seconds until it returns a value or `timeout` passes.
    static func eventually<T>(timeout: Double, interval: Double = 0.25, _ body: () -> T?) -> T? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if let v = body() { return v }
            usleep(UInt32(interval * 1_000_000))
        } while Date() < deadline
        return body()
    }

    /// Parses a JSON body into an object.
    static func json(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }
}

private final class HTTPResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: (Int, String)?
    func set(_ v: (Int, String)) { lock.withLock { value = v } }
    func get() -> (status: Int, body: String)? { lock.withLock { value.map { ($0.0, $0.1) } } }
}
