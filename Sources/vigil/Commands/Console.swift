import Foundation

/// Writes to standard output and standard error without buffering surprises at exit.
enum Console {
    static func out(_ text: String) { write(1, text) }
    static func error(_ text: String) { write(2, text) }
    /// Writes to standard error as is (no newline added), for progress bars.
    static func progress(_ text: String) { raw(2, Array(text.utf8)) }

    private static func write(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        if bytes.last != 10 && !bytes.isEmpty { bytes.append(10) }
        raw(fd, bytes)
    }

    private static func raw(_ fd: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buf in
            var off = 0
            while off < buf.count {
                let n = Foundation.write(fd, buf.baseAddress! + off, buf.count - off)
                if n <= 0 { break }
                off += n
            }
        }
    }
}
