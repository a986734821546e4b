import Glibc

/// Reads small procfs/sysfs files into a reusable byte buffer, without Foundation.
///
/// procfs files report a size of 0, so the file is read until end of file; the buffer grows as needed and is kept
/// for the next read, so a steady collection cycle allocates nothing here.
struct ProcFileReader {
    private(set) var buffer: [UInt8]

    /// A reader with a 16 KiB buffer.
    init() { buffer = Array(repeating: 0, count: 16 * 1024) }

    /// A placeholder without a buffer, to hold while the real reader is lent out.
    init(empty: Void) { buffer = [] }

    /// Reads the whole file at `path`; returns the bytes read, or throws `.missing` / `.unreadable`.
    mutating func read(_ path: String) throws(HostCollectorError) -> ArraySlice<UInt8> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw .missing(path: path) }
            throw .unreadable(path: path, errno: code)
        }
        defer { close(fd) }
        var used = 0
        while true {
            if used == buffer.count { buffer.append(contentsOf: repeatElement(0, count: max(buffer.count, 4096))) }
            let n = buffer.withUnsafeMutableBytes { raw in
                Glibc.read(fd, raw.baseAddress! + used, raw.count - used)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, errno: errno)
            }
            if n == 0 { break }
            used += n
        }
        return buffer[0..<used]
    }

    /// Reads a file and returns its first line as a string, without the trailing newline.
    mutating func readLine(_ path: String) throws(HostCollectorError) -> String {
        let bytes = try read(path)
        var end = bytes.startIndex
        while end < bytes.endIndex && bytes[end] != UInt8(ascii: "\n") { end += 1 }
        return String(decoding: bytes[bytes.startIndex..<end], as: UTF8.self)
    }
}

/// Splits procfs text into lines and whitespace-separated fields without copying.
struct ByteLines: Sequence, IteratorProtocol {
    private let bytes: ArraySlice<UInt8>
    private var position: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.position = bytes.startIndex
    }

    mutating func next() -> ArraySlice<UInt8>? {
        guard position < bytes.endIndex else { return nil }
        let start = position
        while position < bytes.endIndex && bytes[position] != UInt8(ascii: "\n") { position += 1 }
        let line = bytes[start..<position]
        if position < bytes.endIndex { position += 1 }
        return line
    }
}

/// Byte-level helpers for procfs parsing.
enum ProcBytes {
    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0a || b == 0x0d }

    /// The whitespace-separated fields of one line, at most `limit` of them.
    static func fields(_ line: ArraySlice<UInt8>, limit: Int = .max) -> [ArraySlice<UInt8>] {
        var out: [ArraySlice<UInt8>] = []
        out.reserveCapacity(min(limit, 24))
        var i = line.startIndex
        while i < line.endIndex && out.count < limit {
            while i < line.endIndex && isSpace(line[i]) { i += 1 }
            if i == line.endIndex { break }
            let start = i
            while i < line.endIndex && !isSpace(line[i]) { i += 1 }
            out.append(line[start..<i])
        }
        return out
    }

    /// An unsigned decimal integer, or nil when `field` holds anything else.
    static func uint(_ field: ArraySlice<UInt8>) -> UInt64? {
        guard !field.isEmpty else { return nil }
        var v: UInt64 = 0
        for b in field {
            let d = b &- 0x30
            guard d < 10 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { return nil }
            v = s
        }
        return v
    }

    /// A signed decimal integer, or nil.
    static func int(_ field: ArraySlice<UInt8>) -> Int64? {
        guard let first = field.first else { return nil }
        if first == UInt8(ascii: "-") {
            guard let u = uint(field.dropFirst()), u <= UInt64(Int64.max) else { return nil }
            return -Int64(u)
        }
        guard let u = uint(field), u <= UInt64(Int64.max) else { return nil }
        return Int64(u)
    }

    /// A decimal number as Go's ParseFloat reads it (correctly rounded); nil when not a number.
    static func double(_ field: ArraySlice<UInt8>) -> Double? {
        guard !field.isEmpty else { return nil }
        // Fast exact path: up to 15 significant digits with at most 22 fraction digits (Clinger's fast path).
        var mantissa: UInt64 = 0
        var digits = 0
        var fraction = 0
        var seenDot = false
        var negative = false
        var i = field.startIndex
        if field[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        var fast = i < field.endIndex
        while i < field.endIndex && fast {
            let b = field[i]
            if b == UInt8(ascii: ".") && !seenDot {
                seenDot = true
            } else if b >= 0x30 && b <= 0x39 {
                mantissa = mantissa &* 10 &+ UInt64(b - 0x30)
                digits += 1
                if seenDot { fraction += 1 }
                if digits > 15 { fast = false }
            } else {
                fast = false
            }
            i += 1
        }
        if fast && digits > 0 && fraction <= 22 {
            let v = Double(mantissa) / powersOfTen[fraction]
            return negative ? -v : v
        }
        return slowDouble(field)
    }

    private static let powersOfTen: [Double] = (0...22).map { p in
        var v = 1.0
        for _ in 0..<p { v *= 10 }
        return v
    }

    private static func slowDouble(_ field: ArraySlice<UInt8>) -> Double? {
        var text = [CChar](repeating: 0, count: field.count + 1)
        for (i, b) in field.enumerated() { text[i] = CChar(bitPattern: b) }
        var consumed = 0
        let v = text.withUnsafeBufferPointer { buf -> Double in
            var end: UnsafeMutablePointer<CChar>?
            let r = strtod(buf.baseAddress!, &end)
            if let end { consumed = UnsafePointer(end) - buf.baseAddress! }
            return r
        }
        return consumed == field.count ? v : nil
    }

    /// True when `field` equals the ASCII string `text`.
    static func equals(_ field: ArraySlice<UInt8>, _ text: StaticString) -> Bool {
        guard field.count == text.utf8CodeUnitCount else { return false }
        let p = text.utf8Start
        var j = 0
        for b in field {
            if b != p[j] { return false }
            j += 1
        }
        return true
    }

    /// True when `field` starts with the ASCII string `prefix`.
    static func hasPrefix(_ field: ArraySlice<UInt8>, _ prefix: StaticString) -> Bool {
        guard field.count >= prefix.utf8CodeUnitCount else { return false }
        let p = prefix.utf8Start
        var j = 0
        for b in field.prefix(prefix.utf8CodeUnitCount) {
            if b != p[j] { return false }
            j += 1
        }
        return true
    }

    /// The field as a string.
    static func string(_ field: ArraySlice<UInt8>) -> String { String(decoding: field, as: UTF8.self) }
}
