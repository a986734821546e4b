import Glibc

/// Why one family of the host collector produced nothing in a cycle.
public enum HostCollectorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file does not exist (e.g. no `/proc/pressure` on an old kernel): the family is skipped silently.
    case missing(path: String)
    /// The file exists but could not be read.
    case unreadable(path: String, errno: Int32)
    /// The file's content is not in the expected format.
    case malformed(path: String, line: Int, reason: String)
    /// A system call failed.
    case syscall(name: String, errno: Int32)

    public var description: String {
        switch self {
        case let .missing(path):
            return "file \"\(path)\" does not exist"
        case let .unreadable(path, code):
            return "read \"\(path)\": \(String(cString: strerror(code)))"
        case let .malformed(path, line, reason):
            return "parse \"\(path)\" line \(line): \(reason)"
        case let .syscall(name, code):
            return "\(name): \(String(cString: strerror(code)))"
        }
    }
}
