import VigilCore

/// Joins multi-line records (stack traces) into one: a line matching the start pattern opens a record, and
/// lines that do not match are appended to the open record with `\n`.
///
/// Lines before the first start line are records of their own. The open record is handed out when the next
/// start line comes, or by `flush()` (at end of input or after the caller's idle timeout). A record stops
/// growing at `maxRecordBytes`; further continuation lines become records of their own.
public struct MultilineJoiner: Sendable {
    private let start: RE2
    /// The largest joined record.
    public let maxRecordBytes: Int
    private var open: [UInt8]?

    /// Creates a joiner; `startPattern` is an RE2 pattern matched at the start of each line.
    public init(startPattern: String, maxRecordBytes: Int = 1 << 20) throws(LogsError) {
        do {
            start = try RE2("^(?:" + startPattern + ")")
        } catch {
            throw .badArgument(startPattern, reason: "start pattern: " + error.message)
        }
        self.maxRecordBytes = maxRecordBytes
    }

    /// Feeds one line; returns the record it completed, if any.
    public mutating func add(_ line: [UInt8]) -> [UInt8]? {
        let text = String(decoding: line, as: UTF8.self)
        if start.partialMatch(text) {
            let done = open
            open = line
            return done
        }
        guard var record = open else { return line }
        if record.count + 1 + line.count > maxRecordBytes {
            return line
        }
        record.append(0x0A)
        record.append(contentsOf: line)
        open = record
        return nil
    }

    /// Hands out the open record, if any.
    public mutating func flush() -> [UInt8]? {
        defer { open = nil }
        return open
    }
}
