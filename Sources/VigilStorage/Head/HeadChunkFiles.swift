import Foundation
import VigilCore

/// Where a closed head chunk lives once written to `chunks_head/`.
struct DiskChunkRef {
    var file: Int32
    var length: Int32
    var offset: Int64
}

/// Closed head chunks written out of the heap into append-only files under `<data>/chunks_head/` and read back
/// through a memory map, so the head's resident memory is the index and the open chunks, not its history.
///
/// The files are a cache of what the WAL holds: they are cleared at start and rebuilt by replay. Not thread-safe on
/// its own; the TSDB lock guards it.
final class HeadChunkFiles: @unchecked Sendable {
    static let fileSize = 128 << 20

    private struct File {
        var fd: Int32
        var map: UnsafeMutableRawPointer
        var size: Int
        var maxTime: Int64
    }

    let directory: String
    private var files: [Int32: File] = [:]
    private var current: Int32 = 0

    init(directory: String) throws(StorageError) {
        self.directory = directory
        try? FileManager.default.removeItem(atPath: directory)
        try WAL.makeDirectory(directory)
        try openFile(1)
    }

    deinit {
        for f in files.values { release(f) }
    }

    private func release(_ f: File) {
        munmap(f.map, HeadChunkFiles.fileSize)
        close(f.fd)
    }

    private func path(_ n: Int32) -> String { directory + "/" + String(format: "%06d", n) }

    private func openFile(_ n: Int32) throws(StorageError) {
        let fd = open(path(n), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StorageError.io("create \(path(n)): \(String(cString: strerror(errno)))") }
        guard let map = mmap(nil, HeadChunkFiles.fileSize, PROT_READ, MAP_SHARED, fd, 0), map != MAP_FAILED else {
            close(fd)
            throw StorageError.io("mmap \(path(n)): \(String(cString: strerror(errno)))")
        }
        files[n] = File(fd: fd, map: map, size: 0, maxTime: .min)
        current = n
    }

    /// Appends a chunk's bytes; returns nil when the disk refuses (the caller keeps the chunk in memory).
    func write(_ bytes: [UInt8], maxTime: Int64) -> DiskChunkRef? {
        if files[current]!.size + bytes.count > HeadChunkFiles.fileSize {
            guard (try? openFile(current + 1)) != nil else { return nil }
        }
        var f = files[current]!
        let ok = bytes.withUnsafeBytes { buf -> Bool in
            var off = 0
            while off < buf.count {
                let n = pwrite(f.fd, buf.baseAddress! + off, buf.count - off, off_t(f.size + off))
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    return false
                }
                off += n
            }
            return true
        }
        guard ok else { return nil }
        let ref = DiskChunkRef(file: current, length: Int32(bytes.count), offset: Int64(f.size))
        f.size += bytes.count
        f.maxTime = max(f.maxTime, maxTime)
        files[current] = f
        return ref
    }

    /// The bytes of a written chunk.
    func bytes(_ ref: DiskChunkRef) -> UnsafeBufferPointer<UInt8> {
        let f = files[ref.file]!
        return UnsafeBufferPointer(start: f.map.advanced(by: Int(ref.offset)).assumingMemoryBound(to: UInt8.self),
                                   count: Int(ref.length))
    }

    /// Deletes files whose every chunk ends before `t` (never the one being written).
    func truncate(before t: Int64) {
        for (n, f) in files where n != current && f.maxTime < t {
            release(f)
            unlink(path(n))
            files[n] = nil
        }
    }

    /// Bytes written to files still present.
    var diskSize: Int { files.values.reduce(0) { $0 + $1.size } }
}
