import VigilCore

extension HostCollector {
    /// Settings of the host collector: the `collectors.host` section of Vigil's configuration.
    ///
    /// ```yaml
    /// collectors:
    ///   host:
    ///     enabled: true           # default true
    ///     interval: 15s           # default: the global scrape interval (15s)
    ///     job: host               # default host
    ///     instance: web-1         # default: the host name
    ///     exclude_mountpoints: "^/(dev|proc|run|sys|mnt|media)($|/)"
    /// ```
    public struct Configuration: Sendable, Equatable {
        /// Whether the collector runs at all.
        public var enabled: Bool = true
        /// Milliseconds between collection cycles.
        public var interval: Int64 = 15_000
        /// The `job` label.
        public var job: String = "host"
        /// The `instance` label; nil means this machine's host name.
        public var instance: String?
        /// Where procfs is mounted (node_exporter's `--path.procfs`).
        public var procPath: String = "/proc"
        /// Where sysfs is mounted (`--path.sysfs`).
        public var sysPath: String = "/sys"
        /// The host's root file system (`--path.rootfs`), for running inside a container.
        public var rootfsPath: String = "/"
        /// udev's database (`--path.udev.data`).
        public var udevDataPath: String = "/run/udev/data"
        /// Mount points left out of `node_filesystem_*` (RE2, unanchored like Go's `MatchString`); "" keeps all.
        public var excludeMountPoints: String = FilesystemCollector.defaultExcludeMountPoints
        /// File system types left out of `node_filesystem_*`; "" keeps all.
        public var excludeFSTypes: String = FilesystemCollector.defaultExcludeFSTypes
        /// Block devices left out of `node_disk_*`; "" keeps all.
        public var excludeDisks: String = DiskStatsCollector.defaultExclude
        /// Network devices left out of `node_network_*`; "" keeps all.
        public var excludeNetDevices: String = NetDevCollector.defaultExclude
        /// The `/proc/vmstat` fields reported as `node_vmstat_*`.
        public var vmstatFields: String = VMStatCollector.defaultFields
        /// Families turned off by node_exporter collector name (`cpu`, `meminfo`, `timex`, …).
        public var disabledFamilies: Set<String> = []

        /// The family names that `disabled` may list.
        public static let familyNames: Set<String> = [
            "cpu", "loadavg", "meminfo", "filesystem", "diskstats", "netdev", "pressure", "vmstat", "timex", "stat",
            "filefd", "time", "uname", "os",
        ]

        /// The defaults: on, every 15s, `job="host"`, node_exporter's (Debian 1.5) exclusions.
        public init() {}

        /// Reads the `collectors.host` mapping; nil or null gives the defaults with `defaultInterval`.
        public static func parse(_ node: YAMLNode?, reader: YAMLReader, defaultInterval: Int64 = 15_000)
            throws(ConfigError) -> Configuration
        {
            var c = Configuration()
            c.interval = defaultInterval
            guard let node else { return c }
            let entries = try reader.mapping(node, "collectors.host", allowed: [
                "enabled", "interval", "job", "instance", "proc_path", "sys_path", "rootfs_path", "udev_data_path",
                "exclude_mountpoints", "exclude_fstypes", "exclude_disks", "exclude_net_devices", "vmstat_fields",
                "disabled",
            ])
            for e in entries {
                let what = "collectors.host.\(e.key)"
                switch e.key {
                case "enabled": c.enabled = try reader.bool(e.value, what)
                case "interval":
                    c.interval = try reader.duration(e.value, what)
                    if c.interval <= 0 { throw reader.error(e.value, "\(what): must be positive") }
                case "job": c.job = try nonEmpty(reader, e.value, what)
                case "instance": c.instance = try nonEmpty(reader, e.value, what)
                case "proc_path": c.procPath = try nonEmpty(reader, e.value, what)
                case "sys_path": c.sysPath = try nonEmpty(reader, e.value, what)
                case "rootfs_path": c.rootfsPath = try nonEmpty(reader, e.value, what)
                case "udev_data_path": c.udevDataPath = try nonEmpty(reader, e.value, what)
                case "exclude_mountpoints": c.excludeMountPoints = try regex(reader, e.value, what)
                case "exclude_fstypes": c.excludeFSTypes = try regex(reader, e.value, what)
                case "exclude_disks": c.excludeDisks = try regex(reader, e.value, what)
                case "exclude_net_devices": c.excludeNetDevices = try regex(reader, e.value, what)
                case "vmstat_fields": c.vmstatFields = try regex(reader, e.value, what)
                case "disabled":
                    for item in try reader.sequence(e.value, what) {
                        let name = try reader.string(item, what)
                        guard familyNames.contains(name) else {
                            throw reader.error(item, "\(what): unknown host collector \"\(name)\"")
                        }
                        c.disabledFamilies.insert(name)
                    }
                default: break
                }
            }
            return c
        }

        private static func nonEmpty(_ reader: YAMLReader, _ node: YAMLNode, _ what: String) throws(ConfigError)
            -> String
        {
            let s = try reader.string(node, what)
            if s.isEmpty { throw reader.error(node, "\(what): must not be empty") }
            return s
        }

        private static func regex(_ reader: YAMLReader, _ node: YAMLNode, _ what: String) throws(ConfigError)
            -> String
        {
            let s = try reader.string(node, what)
            if s.isEmpty { return s }
            do {
                _ = try RE2(s)
            } catch {
                throw reader.error(node, "\(what): invalid regular expression \"\(s)\": \(error)")
            }
            return s
        }
    }
}
