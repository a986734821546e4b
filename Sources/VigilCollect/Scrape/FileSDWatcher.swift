import Foundation
import VigilCore

/// Watches the files of one `file_sd_configs` entry: polls their modification times every few seconds, re-reads
/// them on a change and at the refresh interval, and reports the target groups.
final class FileSDWatcher: @unchecked Sendable {
    let config: FileSDConfig
    private let logger: Logger
    private let pollInterval: Int64
    private let onChange: @Sendable ([TargetGroup]) -> Void
    private let lock = NSLock()
    private var signature: [String: FileStamp] = [:]
    private var groupsByFile: [String: [TargetGroup]] = [:]
    private var task: Task<Void, Never>?

    struct FileStamp: Equatable {
        var mtime: timespec
        var size: Int

        static func == (a: FileStamp, b: FileStamp) -> Bool {
            a.mtime.tv_sec == b.mtime.tv_sec && a.mtime.tv_nsec == b.mtime.tv_nsec && a.size == b.size
        }
    }

    init(config: FileSDConfig, logger: Logger, pollInterval: Int64,
         onChange: @escaping @Sendable ([TargetGroup]) -> Void) {
        self.config = config
        self.logger = logger
        self.pollInterval = pollInterval
        self.onChange = onChange
    }

    /// Reads the files now and returns their groups (the caller applies them), then keeps watching.
    func start() -> [TargetGroup] {
        let groups = refresh(force: true) ?? []
        let poll = pollInterval
        let refreshEvery = config.refreshInterval
        let t = Task.detached { [self] in
            var sinceRefresh: Int64 = 0
            while !Task.isCancelled {
                do { try await Task.sleep(nanoseconds: UInt64(poll) * 1_000_000) } catch { return }
                sinceRefresh += poll
                let force = sinceRefresh >= refreshEvery
                if force { sinceRefresh = 0 }
                if let groups = refresh(force: force), !Task.isCancelled { onChange(groups) }
            }
        }
        lock.withLock { task = t }
        return groups
    }

    func stop() {
        let t = lock.withLock { task }
        t?.cancel()
    }

    /// Re-reads changed files; nil when nothing changed and `force` is false.
    private func refresh(force: Bool) -> [TargetGroup]? {
        var stamps: [String: FileStamp] = [:]
        for pattern in config.files {
            for path in FileSDWatcher.expand(pattern) {
                var st = stat()
                if stat(path, &st) == 0 { stamps[path] = FileStamp(mtime: st.st_mtim, size: Int(st.st_size)) }
            }
        }
        return lock.withLock { () -> [TargetGroup]? in
            if !force && stamps == signature { return nil }
            var next: [String: [TargetGroup]] = [:]
            for path in stamps.keys.sorted() {
                if !force, signature[path] == stamps[path], let old = groupsByFile[path] {
                    next[path] = old
                    continue
                }
                do {
                    let text = try String(contentsOfFile: path, encoding: .utf8)
                    next[path] = try TargetGroup.parseFile(path, contents: text)
                } catch {
                    // Prometheus keeps the targets a file had when it cannot be read or parsed.
                    logger.error("file_sd read failed", ["file_sd.path": path, "err": "\(error)"])
                    next[path] = groupsByFile[path] ?? []
                }
            }
            signature = stamps
            groupsByFile = next
            return next.keys.sorted().flatMap { next[$0]! }
        }
    }

    /// The existing files a path or glob names.
    static func expand(_ pattern: String) -> [String] {
        guard pattern.contains("*") || pattern.contains("?") || pattern.contains("[") else {
            return FileManager.default.fileExists(atPath: pattern) ? [pattern] : []
        }
        var g = glob_t()
        defer { globfree(&g) }
        guard glob(pattern, 0, nil, &g) == 0 else { return [] }
        var out: [String] = []
        for k in 0..<Int(g.gl_pathc) {
            if let p = g.gl_pathv[k] { out.append(String(cString: p)) }
        }
        return out.sorted()
    }
}
