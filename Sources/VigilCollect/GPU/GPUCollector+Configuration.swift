import VigilCore

extension GPUCollector {
    /// Settings of the GPU collector: the `collectors.gpu` section of Vigil's configuration.
    ///
    /// ```yaml
    /// collectors:
    ///   gpu:
    ///     enabled: true                 # default true
    ///     interval: 15s                 # default: the global scrape interval (15s)
    ///     job: gpu                      # default gpu
    ///     instance: gpu-node-1          # default: the host name
    ///     nvml_library: libnvidia-ml.so.1
    ///     nvidia_smi: nvidia-smi        # fallback when NVML cannot be loaded; "" turns it off
    /// ```
    public struct Configuration: Sendable, Equatable {
        /// Whether the collector runs at all.
        public var enabled: Bool = true
        /// Milliseconds between collection cycles.
        public var interval: Int64 = 15_000
        /// The `job` label.
        public var job: String = "gpu"
        /// The `instance` label; nil means this machine's host name.
        public var instance: String?
        /// The `Hostname` label (DCGM exporter's); nil means this machine's host name.
        public var hostname: String?
        /// What `dlopen` is given: a soname searched on the library path, or a file path.
        public var nvmlLibrary: String = "libnvidia-ml.so.1"
        /// The `nvidia-smi` used when NVML cannot be loaded: a name searched on `PATH` or a path; "" turns it off.
        public var nvidiaSMI: String = "nvidia-smi"
        /// Seconds an `nvidia-smi` run may take before it is killed.
        public var nvidiaSMITimeout: Double = 10

        /// The defaults: on, every 15s, `job="gpu"`, NVML from the library path, `nvidia-smi` as fallback.
        public init() {}

        /// Reads the `collectors.gpu` mapping; nil or null gives the defaults with `defaultInterval`.
        public static func parse(_ node: YAMLNode?, reader: YAMLReader, defaultInterval: Int64 = 15_000)
            throws(ConfigError) -> Configuration
        {
            var c = Configuration()
            c.interval = defaultInterval
            guard let node else { return c }
            let entries = try reader.mapping(node, "collectors.gpu", allowed: [
                "enabled", "interval", "job", "instance", "hostname", "nvml_library", "nvidia_smi",
                "nvidia_smi_timeout",
            ])
            for e in entries {
                let what = "collectors.gpu.\(e.key)"
                switch e.key {
                case "enabled": c.enabled = try reader.bool(e.value, what)
                case "interval":
                    c.interval = try reader.duration(e.value, what)
                    if c.interval <= 0 { throw reader.error(e.value, "\(what): must be positive") }
                case "job": c.job = try nonEmpty(reader, e.value, what)
                case "instance": c.instance = try nonEmpty(reader, e.value, what)
                case "hostname": c.hostname = try nonEmpty(reader, e.value, what)
                case "nvml_library": c.nvmlLibrary = try nonEmpty(reader, e.value, what)
                case "nvidia_smi": c.nvidiaSMI = try reader.string(e.value, what)
                case "nvidia_smi_timeout":
                    let ms = try reader.duration(e.value, what)
                    if ms <= 0 { throw reader.error(e.value, "\(what): must be positive") }
                    c.nvidiaSMITimeout = Double(ms) / 1000
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
    }
}
