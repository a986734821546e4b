import Foundation

/// One record read from a tailed file.
public struct LogRecord: Sendable, Hashable {
    /// The line without its newline (and without a trailing `\r`).
    public var bytes: [UInt8]
    /// True when the line had no newline: flushed after the idle timeout or at the end of a rotated file.
    public var partial: Bool
    /// True when the line was longer than the limit and was cut there.
    public var cut: Bool

    /// Creates a record.
    public init(bytes: [UInt8], partial: Bool, cut: Bool) {
        self.bytes = bytes
        self.partial = partial
        self.cut = cut
    }
}

/// Where a tailer stands in its file; saved in the data dir so a restart neither loses nor repeats lines.
public struct LogTailPosition: Sendable, Hashable, Codable {
    /// The file's device and inode when the position was taken.
    public var device: UInt64
    /// The inode.
    public var inode: UInt64
    /// The byte offset after the last record handed out.
    public var offset: Int64
    /// FNV-1a hash of up to 64 bytes just before `offset` (detects a rewrite that left the file no shorter).
    public var fingerprint: UInt64
}

/// Tails one path across rename-and-create rotation, copytruncate or O_TRUNC rewrites and partial lines.
///
/// The caller polls (`poll(now:)`); nothing here sleeps or spawns threads. On each poll the tailer reads what
/// was appended; when the path names a new file it first drains the old one to its end (a last line without
/// newline ends there), then starts the new file at 0. A file that got shorter than the offset, or whose bytes
/// just before the offset changed, was truncated: reading restarts at 0 and `truncations` counts it, so no
/// record starts mid-line. A line without newline is held until it is completed, or handed out as partial
/// after `partialTimeout` ms without new bytes; a line over `maxLineBytes` is cut there and flagged.
/// Limits: a file created and rotated away between two polls is not seen; after a restart a file rotated while
/// Vigil was down is not looked for (reading starts at 0 of the new file). One tailer belongs to one task.
public final class LogFileTailer {
    /// The tailed path.
    public let path: String
    /// The longest line handed out whole.
    public let maxLineBytes: Int
    /// Milliseconds without new bytes after which a held partial line is handed out.
    public let partialTimeout: Int64
    /// Truncations and rewrites detected.
    public private(set) var truncations = 0
    /// Rotations (the path naming a new file) followed.
    public private(set) var rotations = 0

    private var fd: Int32 = -1
    private var device: UInt64 = 0
    private var inode: UInt64 = 0
    private var readOffset: Int64 = 0
    private var pending: [UInt8] = []
    private var lastGrowth: Int64 = 0
    private var skipNewline = false
    private var resume: LogTailPosition?

    /// Creates a tailer, resuming from `position` when the path still names the same, unrewritten file.
    public init(
        path: String, maxLineBytes: Int = 1 << 20, partialTimeout: Int64 = 10_000, position: LogTailPosition? = nil
    ) {
        self.path = path
        self.maxLineBytes = maxLineBytes
        self.partialTimeout = partialTimeout
        resume = position
    }

    deinit { if fd >= 0 { close(fd) } }

    /// The position after the last record handed out (held partial bytes are read again after a restart).
    public var position: LogTailPosition {
        let committed = readOffset - Int64(pending.count)
        return LogTailPosition(
            device: device, inode: inode, offset: committed, fingerprint: fingerprint(at: committed))
    }

    /// Reads what is new and returns the records, in order.
    public func poll(now: Int64) -> [LogRecord] {
        var out: [LogRecord] = []
        var st = stat()
        let exists = stat(path, &st) == 0
        if fd >= 0 && exists && (UInt64(st.st_dev) != device || UInt64(st.st_ino) != inode) {
            drain(into: &out, now: now)
            flushPending(into: &out)
            close(fd)
            fd = -1
            rotations += 1
        }
        if fd < 0 {
            guard exists, open(st: st) else { return out }
        }
        checkTruncation()
        drain(into: &out, now: now)
        if !pending.isEmpty && now - lastGrowth >= partialTimeout {
            flushPending(into: &out)
            skipNewline = true
        }
        return out
    }

    private func open(st: stat) -> Bool {
        let f = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard f >= 0 else { return false }
        fd = f
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        readOffset = 0
        pending = []
        skipNewline = false
        lastFingerprint = 0
        if let r = resume, r.device == device, r.inode == inode, Int64(st.st_size) >= r.offset,
            fingerprint(at: r.offset) == r.fingerprint
        {
            readOffset = r.offset
            lastFingerprint = r.fingerprint
        }
        resume = nil
        return true
    }

    private func checkTruncation() {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return }
        let committed = readOffset - Int64(pending.count)
        let size = Int64(st.st_size)
        if size < readOffset || (committed > 0 && fingerprint(at: committed) != lastFingerprint) {
            truncations += 1
            readOffset = 0
            pending = []
            skipNewline = false
        }
    }

    private var lastFingerprint: UInt64 = 0

    private func drain(into out: inout [LogRecord], now: Int64) {
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(readOffset)) }
            guard n > 0 else { break }
            readOffset += Int64(n)
            lastGrowth = now
            for i in 0..<n {
                let c = buf[i]
                if skipNewline {
                    skipNewline = false
                    if c == 0x0A { continue }
                }
                if c == 0x0A {
                    emit(&out, partial: false, cut: false)
                } else {
                    pending.append(c)
                    if pending.count >= maxLineBytes { emit(&out, partial: false, cut: true) }
                }
            }
        }
        lastFingerprint = fingerprint(at: readOffset - Int64(pending.count))
    }

    private func emit(_ out: inout [LogRecord], partial: Bool, cut: Bool) {
        if pending.last == 0x0D && !cut { pending.removeLast() }
        out.append(LogRecord(bytes: pending, partial: partial, cut: cut))
        pending.removeAll(keepingCapacity: true)
    }

    private func flushPending(into out: inout [LogRecord]) {
        guard !pending.isEmpty else { return }
        emit(&out, partial: true, cut: false)
        lastFingerprint = fingerprint(at: readOffset)
    }

    /// FNV-1a of up to 64 bytes before `offset` in the open file (0 at offset 0 or without a file).
    private func fingerprint(at offset: Int64) -> UInt64 {
        guard fd >= 0, offset > 0 else { return 0 }
        let len = Int(min(offset, 64))
        var buf = [UInt8](repeating: 0, count: len)
        let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, len, off_t(offset - Int64(len))) }
        guard n == len else { return 1 }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for c in buf {
            h ^= UInt64(c)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }
}
