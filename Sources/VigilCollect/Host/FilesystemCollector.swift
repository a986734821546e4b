import Glibc
import VigilCore

/// `node_filesystem_*{device,fstype,mountpoint}` from the mount table of PID 1 and `statvfs(3)`, with
/// node_exporter's mount-point and file-system-type exclusions.
///
/// Known limit: node_exporter watches for `statfs` calls that hang (a dead NFS server) and reports such mounts
/// with `node_filesystem_device_error` 1 from then on; Vigil calls `statvfs` directly, so a hung mount stalls the
/// host collector's cycle until the call returns.
final class FilesystemCollector: HostFamilyCollector {
    let name = "filesystem"
    private let excludeMountPoints: RE2?
    private let excludeFSTypes: RE2?
    private var decisions: [String: Bool] = [:]

    /// node_exporter's (Debian 1.5) default `--collector.filesystem.mount-points-exclude`.
    static let defaultExcludeMountPoints = "^/(dev|proc|run|sys|mnt|media|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)"
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

    init(excludeMountPoints: RE2?, excludeFSTypes: RE2?) {
        self.excludeMountPoints = excludeMountPoints
        self.excludeFSTypes = excludeFSTypes
    }

    func collect(_ context: inout HostCollectContext) throws(HostCollectorError) {
        let mounts = try readMounts(&context)
        var seen: Set<[String]> = []
        for m in mounts {
            if excluded(mountPoint: m.mountPoint, fsType: m.fsType) { continue }
            guard seen.insert([m.device, m.mountPoint, m.fsType]).inserted else { continue }
            let labels = [("device", m.device), ("fstype", m.fsType), ("mountpoint", m.mountPoint)]
            var st = statvfs()
            let rc = statvfs(FilesystemCollector.rootfsFilePath(context.rootfsPath, m.mountPoint), &st)
            context.out.add("node_filesystem_device_error", labels, rc == 0 ? 0 : 1)
            if rc != 0 { continue }
            let blockSize = Double(st.f_bsize)
            context.out.add("node_filesystem_size_bytes", labels, Double(st.f_blocks) * blockSize)
            context.out.add("node_filesystem_free_bytes", labels, Double(st.f_bfree) * blockSize)
            context.out.add("node_filesystem_avail_bytes", labels, Double(st.f_bavail) * blockSize)
            context.out.add("node_filesystem_files", labels, Double(st.f_files))
            context.out.add("node_filesystem_files_free", labels, Double(st.f_ffree))
            context.out.add("node_filesystem_readonly", labels, m.readOnly ? 1 : 0)
        }
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
        let d = (excludeMountPoints?.partialMatch(mountPoint) ?? false) || (excludeFSTypes?.partialMatch(fsType) ?? false)
        if decisions.count > 4096 { decisions.removeAll() }
        decisions[key] = d
        return d
    }
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
