import Foundation

/// Log levels, lowest first.
public enum LogLevel: Int, Sendable, Comparable, CaseIterable {
    case trace, debug, info, warning, error

    public var name: String {
        switch self {
        case .trace: "trace"
        case .debug: "debug"
        case .info: "info"
        case .warning: "warn"
        case .error: "error"
        }
    }

    /// Parses `debug`, `info`, `warn`/`warning`, `error`, `trace`.
    public init?(name: String) {
        switch name.lowercased() {
        case "trace": self = .trace
        case "debug": self = .debug
        case "info": self = .info
        case "warn", "warning": self = .warning
        case "error": self = .error
        default: return nil
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where log lines go; the default writes to stderr.
public protocol LogSink: Sendable {
    func write(_ line: String)
}

/// Writes each line to standard error.
public struct StderrLogSink: LogSink {
    public init() {}
    public func write(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { buf in
            var off = 0
            while off < buf.count {
                let n = Foundation.write(2, buf.baseAddress! + off, buf.count - off)
                if n <= 0 { break }
                off += n
            }
        }
    }
}

/// Collects lines in memory (for tests).
public final class MemoryLogSink: LogSink, @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    public init() {}
    public func write(_ line: String) { lock.withLock { stored.append(line) } }
    public var lines: [String] { lock.withLock { stored } }
}

/// A structured logger: a fixed message with dotted keys, written as logfmt or JSON lines.
///
/// Libraries take a `Logger` from their caller and add context with `with(_:_:)`.
public struct Logger: Sendable {
    public enum Format: String, Sendable { case logfmt, json }

    public var level: LogLevel
    public var format: Format
    public var sink: any LogSink
    /// Keys added to every line of this logger.
    public var context: [(String, String)]

    public init(level: LogLevel = .info, format: Format = .logfmt, sink: any LogSink = StderrLogSink()) {
        self.level = level
        self.format = format
        self.sink = sink
        self.context = []
    }

    /// A logger that drops everything.
    public static var disabled: Logger {
        var l = Logger(sink: StderrLogSink())
        l.level = .error
        l.sink = NullLogSink()
        return l
    }

    /// A copy with one more context key.
    public func with(_ key: String, _ value: String) -> Logger {
        var copy = self
        copy.context.append((key, value))
        return copy
    }

    public func trace(_ msg: String, _ kv: KeyValuePairs<String, String> = [:]) { log(.trace, msg, kv) }
    public func debug(_ msg: String, _ kv: KeyValuePairs<String, String> = [:]) { log(.debug, msg, kv) }
    public func info(_ msg: String, _ kv: KeyValuePairs<String, String> = [:]) { log(.info, msg, kv) }
    public func warning(_ msg: String, _ kv: KeyValuePairs<String, String> = [:]) { log(.warning, msg, kv) }
    public func error(_ msg: String, _ kv: KeyValuePairs<String, String> = [:]) { log(.error, msg, kv) }

    public func log(_ lvl: LogLevel, _ msg: String, _ kv: KeyValuePairs<String, String>) {
        guard lvl >= level else { return }
        var fields: [(String, String)] = [("ts", Timestamp.rfc3339(Timestamp.nowMillis())), ("level", lvl.name)]
        fields.append(contentsOf: context)
        fields.append(("msg", msg))
        for (k, v) in kv { fields.append((k, v)) }
        sink.write(render(fields) + "\n")
    }

    private func render(_ fields: [(String, String)]) -> String {
        switch format {
        case .logfmt:
            return fields.map { "\($0.0)=\(Logger.logfmtValue($0.1))" }.joined(separator: " ")
        case .json:
            return "{" + fields.map { "\(JSON.quote($0.0)):\(JSON.quote($0.1))" }.joined(separator: ",") + "}"
        }
    }

    static func logfmtValue(_ v: String) -> String {
        let needsQuote = v.isEmpty || v.utf8.contains { $0 <= 32 || $0 == 34 || $0 == 61 || $0 == 92 || $0 >= 127 }
        if !needsQuote { return v }
        var out = "\""
        for ch in v.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }
}

/// Drops every line.
public struct NullLogSink: LogSink {
    public init() {}
    public func write(_ line: String) {}
}
