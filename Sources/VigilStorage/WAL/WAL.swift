import Foundation
import VigilCore

/// How often the WAL is flushed to stable storage.
public enum WALSyncMode: Sendable, Equatable {
    /// fsync before every append is acknowledged.
    case always
    /// Group commit: fsync at most this many milliseconds after a write.
    case interval(Int64)
}

/// The write-ahead log: numbered segment files plus at most one checkpoint (format in `WAL/FORMAT.md`).
///
/// Every append is written with `write(2)` before it returns, so a killed process loses nothing acknowledged; a
/// machine crash can lose what was written since the last fsync (bounded by `WALSyncMode`).
public final class WAL: @unchecked Sendable {
    public let directory: String
    public let segmentSize: Int
    public let syncMode: WALSyncMode
    private let logger: Logger
    private let lock = NSLock()
    private var fd: Int32 = -1
    private(set) var segment = 0
    private var segmentBytes = 0
    private var dirty = false
    private var syncThread: Thread?
    private var closed = false
    /// The last write or sync error, cleared by the next successful write.
    public private(set) var lastError: String?

    /// What replay found.
    public struct ReplayReport: Sendable, Equatable {
        public var records = 0
        public var segments = 0
        /// `(segment, byte offset)` where a torn or corrupt tail was cut off.
        public var truncatedAt: (segment: Int, offset: Int)?
        public var checkpoint: Int?

        public static func == (a: ReplayReport, b: ReplayReport) -> Bool {
            a.records == b.records && a.segments == b.segments && a.truncatedAt?.segment == b.truncatedAt?.segment
                && a.truncatedAt?.offset == b.truncatedAt?.offset && a.checkpoint == b.checkpoint
        }
    }

    /// Opens (creating) the WAL in `directory`, replaying every record into `visit` first.
    ///
    /// A torn or corrupt tail is truncated with a warning naming segment and byte offset; later segments are removed.
    public init(directory: String, segmentSize: Int = 64 << 20, syncMode: WALSyncMode = .interval(1000),
                logger: Logger, replay visit: (WALRecord) -> Void) throws(StorageError) {
        self.directory = directory
        self.segmentSize = segmentSize
        self.syncMode = syncMode
        self.logger = logger
        try WAL.makeDirectory(directory)
        let report = try replayAll(visit)
        if let cut = report.truncatedAt {
            logger.warning("truncated torn or corrupt WAL tail", [
                "wal.segment": String(cut.segment), "wal.offset": String(cut.offset), "wal.dir": directory,
            ])
        }
        lastReplay = report
        let segments = try listSegments()
        try openSegment(segments.last ?? 0, append: true)
        if case .interval(let ms) = syncMode { startSyncThread(ms) }
    }

    /// What the replay at open found.
    public private(set) var lastReplay = ReplayReport()

    deinit { close() }

    private func locked<T>(_ body: () throws(StorageError) -> T) throws(StorageError) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    static func makeDirectory(_ path: String) throws(StorageError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw StorageError.io("create directory \(path): \(error.localizedDescription)")
        }
    }

    func segmentPath(_ n: Int) -> String { directory + "/" + String(format: "%08d", n) }

    func checkpointPath(_ n: Int) -> String { directory + "/checkpoint." + String(format: "%08d", n) }

    func listSegments() throws(StorageError) -> [Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { $0.count == 8 ? Int($0) : nil }.sorted()
    }

    func listCheckpoints() -> [Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { n -> Int? in
            guard n.hasPrefix("checkpoint."), !n.hasSuffix(".tmp") else { return nil }
            return Int(n.dropFirst("checkpoint.".count))
        }.sorted()
    }

    private func replayAll(_ visit: (WALRecord) -> Void) throws(StorageError) -> ReplayReport {
        var report = ReplayReport()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for n in names where n.hasSuffix(".tmp") { unlink(directory + "/" + n) }
        let checkpoint = listCheckpoints().last
        if let c = checkpoint {
            report.checkpoint = c
            let (count, cut) = try WAL.readFile(checkpointPath(c), visit)
            report.records += count
            if cut != nil {
                logger.warning("checkpoint is damaged, using what could be read", ["wal.checkpoint": checkpointPath(c)])
            }
        }
        let segments = try listSegments().filter { $0 > (checkpoint ?? -1) }
        for (i, s) in segments.enumerated() {
            let (count, cut) = try WAL.readFile(segmentPath(s), visit)
            report.records += count
            report.segments += 1
            if let cut {
                report.truncatedAt = (s, cut)
                guard truncate(segmentPath(s), off_t(cut)) == 0 else {
                    throw StorageError.io("truncate wal segment \(s): \(String(cString: strerror(errno)))")
                }
                for later in segments[(i + 1)...] { unlink(segmentPath(later)) }
                break
            }
        }
        return report
    }

    /// Reads every good record of one file; returns the count and, when the file ends badly, the good length.
    static func readFile(_ path: String, _ visit: (WALRecord) -> Void) throws(StorageError) -> (Int, Int?) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StorageError.io("read \(path): cannot open")
        }
        return data.withUnsafeBytes { buf -> (Int, Int?) in
            var reader = ByteReader(buf)
            var count = 0
            while reader.remaining > 0 {
                let start = reader.pos
                do {
                    let r = try WALRecord.decode(&reader)
                    visit(r)
                    count += 1
                } catch {
                    return (count, start)
                }
            }
            return (count, nil)
        }
    }

    private func openSegment(_ n: Int, append: Bool) throws(StorageError) {
        if fd >= 0 { Glibc.close(fd) }
        let path = segmentPath(n)
        let flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC
        let f = open(path, flags, 0o644)
        guard f >= 0 else { throw StorageError.io("open wal segment \(path): \(String(cString: strerror(errno)))") }
        fd = f
        segment = n
        var st = stat()
        fstat(f, &st)
        segmentBytes = Int(st.st_size)
        WAL.syncDirectory(directory)
    }

    static func syncDirectory(_ path: String) {
        let d = open(path, O_RDONLY | O_DIRECTORY)
        if d >= 0 {
            fsync(d)
            Glibc.close(d)
        }
    }

    /// Writes records; returns after `write(2)` (and fsync in `.always` mode).
    public func log(_ records: [WALRecord]) throws(StorageError) {
        var bytes: [UInt8] = []
        for r in records { bytes.append(contentsOf: r.encoded()) }
        try locked { () throws(StorageError) in
            guard !closed else { throw StorageError.io("wal is closed") }
            if segmentBytes > 0 && segmentBytes + bytes.count > segmentSize {
                try syncLocked()
                try openSegment(segment + 1, append: false)
            }
            try writeAll(bytes)
            segmentBytes += bytes.count
            dirty = true
            if syncMode == .always { try syncLocked() }
            lastError = nil
        }
    }

    private func writeAll(_ bytes: [UInt8]) throws(StorageError) {
        let err: Int32? = bytes.withUnsafeBytes { buf -> Int32? in
            var off = 0
            while off < buf.count {
                let n = write(fd, buf.baseAddress! + off, buf.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                off += n
            }
            return nil
        }
        if let err {
            // Drop a partial record so the segment stays readable.
            ftruncate(fd, off_t(segmentBytes))
            let message = "write wal segment \(segment): \(String(cString: strerror(err)))"
            lastError = message
            throw StorageError.io(message)
        }
    }

    private func syncLocked() throws(StorageError) {
        guard dirty, fd >= 0 else { return }
        if fdatasync(fd) != 0 {
            let message = "sync wal segment \(segment): \(String(cString: strerror(errno)))"
            lastError = message
            throw StorageError.io(message)
        }
        dirty = false
    }

    /// Flushes written records to stable storage.
    public func sync() throws(StorageError) {
        try locked { () throws(StorageError) in try syncLocked() }
    }

    private func startSyncThread(_ ms: Int64) {
        let t = Thread { [weak self] in
            while true {
                usleep(UInt32(max(ms, 1)) * 1000)
                guard let self else { return }
                let stop = self.lock.withLock { () -> Bool in
                    if self.closed { return true }
                    try? self.syncLocked()
                    return false
                }
                if stop { return }
            }
        }
        t.name = "vigil-wal-sync"
        t.start()
        syncThread = t
    }

    /// Closes the current segment and starts a new one; returns the number of the closed segment.
    public func cutSegment() throws(StorageError) -> Int {
        try locked { () throws(StorageError) -> Int in
            try syncLocked()
            let closedSegment = segment
            try openSegment(segment + 1, append: false)
            return closedSegment
        }
    }

    /// Replaces segments up to `segment` with a checkpoint holding `records`, written atomically.
    public func checkpoint(upTo segment: Int, records: [WALRecord]) throws(StorageError) {
        let final = checkpointPath(segment)
        let tmp = final + ".tmp"
        var bytes: [UInt8] = []
        for r in records { bytes.append(contentsOf: r.encoded()) }
        let f = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard f >= 0 else { throw StorageError.io("create checkpoint \(tmp): \(String(cString: strerror(errno)))") }
        let ok = bytes.withUnsafeBytes { buf -> Bool in
            var off = 0
            while off < buf.count {
                let n = write(f, buf.baseAddress! + off, buf.count - off)
                if n <= 0 { return false }
                off += n
            }
            return fsync(f) == 0
        }
        Glibc.close(f)
        guard ok, rename(tmp, final) == 0 else {
            unlink(tmp)
            throw StorageError.io("write checkpoint \(final): \(String(cString: strerror(errno)))")
        }
        WAL.syncDirectory(directory)
        for s in try listSegments() where s <= segment { unlink(segmentPath(s)) }
        for c in listCheckpoints() where c < segment { unlink(checkpointPath(c)) }
    }

    /// Syncs and closes the log.
    public func close() {
        lock.withLock {
            guard !closed else { return }
            try? syncLocked()
            closed = true
            if fd >= 0 { Glibc.close(fd) }
            fd = -1
        }
    }

    /// Bytes on disk (segments and checkpoint).
    public var diskSize: Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var total = 0
        for n in names {
            if let a = try? FileManager.default.attributesOfItem(atPath: directory + "/" + n),
                let s = a[.size] as? NSNumber
            {
                total += s.intValue
            }
        }
        return total
    }
}
