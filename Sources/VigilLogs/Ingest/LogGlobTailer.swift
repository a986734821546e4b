import Foundation

/// Tails every file matching a glob (`logs:` in the config); new matches are picked up on each poll. A pattern
/// should not also match rotated names (`app.log.1`): a rotated file matched under its new name is read again
/// from its start, because positions are kept by path.
///
/// Positions are keyed by path so the caller can save them in the data dir and hand them back at start.
public final class LogGlobTailer {
    /// The glob pattern (glob(3) syntax).
    public let pattern: String
    private let maxLineBytes: Int
    private let partialTimeout: Int64
    private var tailers: [String: LogFileTailer] = [:]
    private var saved: [String: LogTailPosition]

    /// Creates a tailer set, resuming paths from `positions`.
    public init(
        pattern: String, maxLineBytes: Int = 1 << 20, partialTimeout: Int64 = 10_000,
        positions: [String: LogTailPosition] = [:]
    ) {
        self.pattern = pattern
        self.maxLineBytes = maxLineBytes
        self.partialTimeout = partialTimeout
        saved = positions
    }

    /// The paths the pattern matches now, sorted.
    public func matches() -> [String] {
        var g = glob_t()
        defer { globfree(&g) }
        guard glob(pattern, 0, nil, &g) == 0 else { return [] }
        var out: [String] = []
        for i in 0..<Int(g.gl_pathc) {
            if let p = g.gl_pathv[i] { out.append(String(cString: p)) }
        }
        return out.sorted()
    }

    /// Polls every matching file; returns records by path, paths in sorted order.
    public func poll(now: Int64) -> [(path: String, records: [LogRecord])] {
        var out: [(path: String, records: [LogRecord])] = []
        for path in matches() {
            let tailer: LogFileTailer
            if let t = tailers[path] {
                tailer = t
            } else {
                tailer = LogFileTailer(
                    path: path, maxLineBytes: maxLineBytes, partialTimeout: partialTimeout, position: saved[path])
                tailers[path] = tailer
            }
            let records = tailer.poll(now: now)
            if !records.isEmpty { out.append((path, records)) }
        }
        return out
    }

    /// Positions of every file tailed so far, by path.
    public var positions: [String: LogTailPosition] {
        tailers.mapValues(\.position)
    }
}
