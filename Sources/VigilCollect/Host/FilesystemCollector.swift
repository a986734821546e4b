import Dispatch
import Foundation
import VigilCore

/// `node_filesystem_*{device,fstype,mountpoint}` from the mount table of PID 1 and `statvfs(3)`, with
/// node_exporter's mount-point and file-system-type exclusions.
///
/// As node_exporter does, a `statvfs` call that takes longer than `mountTimeout` (a dead NFS server) marks the mount
/// point stuck: it is reported with `node_filesystem_device_error` 1 and not asked again until the call returns.
/// Unlike node_exporter, the cycle does not wait for the hung call beyond the timeout.
final class FilesystemCollector: HostFamilyCollector {
    let name = "filesystem"
    private let excludeMountPoints: RE2?
    private let excludeFSTypes: RE2?
    private let mountTimeout: Double
    private let statfs: @Sendable (String) -> Usage?
    private let stuck = StuckMounts()
    private var decisions: [String: Bool] = [:]

    /// What `statvfs` reports, in node_exporter's terms (block counts in units of `blockSize`).
    struct Usage: Sendable, Equatable {
        var blocks: UInt64, blocksFree: UInt64, blocksAvailable: UInt64, blockSize: UInt64
        var files: UInt64, filesFree: UInt64
    }

    /// node_exporter's default `--collector.filesystem.mount-timeout`.
    static let defaultMountTimeout = 5.0

    /// node_exporter's (Debian 1.5) default `--collector.filesystem.mount-points-exclude`.
    static let defaultExcludeMountPoints =
        "^/(dev|proc|run|sys|mnt|media|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)"
    /// node_exporter's default `--collector.filesystem.fs-types-exclude`.
    static let defaultExcludeFSTypes = "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl"
        + "|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs"
        + "|tracefs)$"

    /// One line of the mount table.
    struct Mount: Equatable {
        var device: String
        var mountPoint: String
        var fsType: String
        var readOnly: Bool
    }

    init(excludeMountPoints: RE2?, excludeFSTypes: RE2?, mountTimeout: Double = defaultMountTimeout,
         statfs: @escaping @Sendable (String) -> Usage? = FilesystemCollector.statvfsUsage)
    {
        self.excludeMountPoints = excludeMountPoints
        self.excludeFSTypes = excludeFSTypes
        self.mountTimeout = mountTimeout
        self.statfs = statfs
    }

    /// `statvfs(3)` of `path`, or nil when it fails.
    @Sendable static func statvfsUsage(_ path: String) -> Usage? {
        var st = statvfs()
        guard statvfs(path, &st) == 0 else { return nil }
        return Usage(blocks: UInt64(st.f_blocks), blocksFree: UInt64(st.f_bfree), blocksAvailable: UInt64(st.f_bavail),
                     blockSize: UInt64(st.f_bsize), files: UInt64(st.f_files), filesFree: UInt64(st.f_ffree))
    }

    /// The mount points whose `statvfs` call has not returned yet.
    var stuckMountPoints: Set<String> { stuck.snapshot }

    func collect(_ context: inout HostCollectContext) throws(HostCollectorError) {
        let mounts = try readMounts(&context)
        var seen: Set<[String]> = []
        for m in mounts {
            if excluded(mountPoint: m.mountPoint, fsType: m.fsType) { continue }
            guard seen.insert([m.device, m.mountPoint, m.fsType]).inserted else { continue }
            let labels = [("device", m.device), ("fstype", m.fsType), ("mountpoint", m.mountPoint)]
            let usage = stat(m.mountPoint, path: FilesystemCollector.rootfsFilePath(context.rootfsPath, m.mountPoint))
            context.out.add("node_filesystem_device_error", labels, usage == nil ? 1 : 0)
            guard let usage else { continue }
            let blockSize = Double(usage.blockSize)
            context.out.add("node_filesystem_size_bytes", labels, Double(usage.blocks) * blockSize)
            context.out.add("node_filesystem_free_bytes", labels, Double(usage.blocksFree) * blockSize)
            context.out.add("node_filesystem_avail_bytes", labels, Double(usage.blocksAvailable) * blockSize)
            context.out.add("node_filesystem_files", labels, Double(usage.files))
            context.out.add("node_filesystem_files_free", labels, Double(usage.filesFree))
            context.out.add("node_filesystem_readonly", labels, m.readOnly ? 1 : 0)
        }
    }

    /// `statfs` of one mount point, given up after `mountTimeout` seconds; nil on failure, timeout or while stuck.
    private func stat(_ mountPoint: String, path: String) -> Usage? {
        if stuck.contains(mountPoint) { return nil }
        let result = UsageBox()
        let done = DispatchSemaphore(value: 0)
        let statfs = self.statfs
        let stuck = self.stuck
        DispatchQueue.global(qos: .utility).async {
            let usage = statfs(path)
            result.set(usage)
            done.signal()
            stuck.remove(mountPoint)
        }
        if done.wait(timeout: .now() + mountTimeout) == .timedOut {
            stuck.insert(mountPoint)
            // The call may have returned between the timeout and the insert.
            if result.isSet { stuck.remove(mountPoint) }
            return nil
        }
        return result.value
    }

    /// The mount table that node_exporter reads: `<proc>/1/mounts`, or `<proc>/mounts` when PID 1's is hidden.
    func readMounts(_ context: inout HostCollectContext) throws(HostCollectorError) -> [Mount] {
        var path = context.proc("1/mounts")
        let bytes: ArraySlice<UInt8>
        do throws(HostCollectorError) {
            bytes = try context.reader.read(path)
        } catch .missing, .unreadable {
            path = context.proc("mounts")
            bytes = try context.reader.read(path)
        }
        return try FilesystemCollector.parseMounts(bytes, path: path, rootfsPath: context.rootfsPath)
    }

    /// Parses `/proc/mounts` lines: device, mount point (with `\040` and `\011` decoded), type, options.
    static func parseMounts(_ bytes: ArraySlice<UInt8>, path: String, rootfsPath: String) throws(HostCollectorError)
        -> [Mount]
    {
        var out: [Mount] = []
        var lineNumber = 0
        for line in ByteLines(bytes) {
            lineNumber += 1
            let fields = ProcBytes.fields(line)
            if fields.isEmpty { continue }
            guard fields.count >= 4 else {
                throw .malformed(path: path, line: lineNumber, reason: "malformed mount point information "
                    + "\"\(ProcBytes.string(line))\"")
            }
            let mountPoint = ProcBytes.string(fields[1])
                .replacingAll("\\040", with: " ").replacingAll("\\011", with: "\t")
            let readOnly = fields[3].split(separator: UInt8(ascii: ",")).contains { ProcBytes.equals($0, "ro") }
            out.append(Mount(device: ProcBytes.string(fields[0]),
                             mountPoint: rootfsStripPrefix(rootfsPath, mountPoint),
                             fsType: ProcBytes.string(fields[2]), readOnly: readOnly))
        }
        return out
    }

    /// node_exporter's `rootfsStripPrefix`: a mount point below `--path.rootfs` is shown relative to it.
    static func rootfsStripPrefix(_ rootfs: String, _ path: String) -> String {
        if rootfs == "/" || rootfs.isEmpty { return path }
        let root = rootfs.hasSuffix("/") ? String(rootfs.dropLast()) : rootfs
        guard path == root || path.hasPrefix(root + "/") else { return path }
        let stripped = String(path.dropFirst(root.count))
        return stripped.isEmpty ? "/" : stripped
    }

    /// The path to `statvfs` for a mount point shown relative to `rootfs`.
    static func rootfsFilePath(_ rootfs: String, _ mountPoint: String) -> String {
        if rootfs == "/" || rootfs.isEmpty { return mountPoint }
        return HostCollectContext.join(rootfs, mountPoint)
    }

    private func excluded(mountPoint: String, fsType: String) -> Bool {
        let key = fsType + "\u{0}" + mountPoint
        if let d = decisions[key] { return d }
        let d = (excludeMountPoints?.partialMatch(mountPoint) ?? false)
            || (excludeFSTypes?.partialMatch(fsType) ?? false)
        if decisions.count > 4096 { decisions.removeAll() }
        decisions[key] = d
        return d
    }
}

/// Mount points whose `statfs` has not returned, shared with the calls still running.
private final class StuckMounts: @unchecked Sendable {
    private let lock = NSLock()
    private var points: Set<String> = []
    func contains(_ p: String) -> Bool { lock.withLock { points.contains(p) } }
    func insert(_ p: String) { lock.withLock { _ = points.insert(p) } }
    func remove(_ p: String) { lock.withLock { _ = points.remove(p) } }
    var snapshot: Set<String> { lock.withLock { points } }
}

/// The result of one `statfs` call handed back across threads.
private final class UsageBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: FilesystemCollector.Usage?
    private var done = false
    func set(_ v: FilesystemCollector.Usage?) { lock.withLock { stored = v; done = true } }
    var isSet: Bool { lock.withLock { done } }
    var value: FilesystemCollector.Usage? { lock.withLock { stored } }
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation).
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        guard contains(target) else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
