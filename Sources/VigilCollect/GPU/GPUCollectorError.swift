/// Why the GPU collector has no data source, or why one cycle of its source failed.
public enum GPUCollectorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `dlopen` of the NVML library failed (no driver installed), or a required symbol is missing.
    case libraryNotLoaded(path: String, reason: String)
    /// `nvmlInit_v2` or `nvmlDeviceGetCount_v2` failed (driver not loaded, no permission).
    case nvmlFailed(call: String, reason: String)
    /// NVML works but reports no GPU.
    case noDevices
    /// `nvidia-smi` could not be run, exited with an error or printed something unexpected.
    case nvidiaSMIFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .libraryNotLoaded(path, reason):
            return "load nvml library \"\(path)\": \(reason)"
        case let .nvmlFailed(call, reason):
            return "\(call): \(reason)"
        case .noDevices:
            return "nvml reports no gpu"
        case let .nvidiaSMIFailed(path, reason):
            return "run \"\(path)\": \(reason)"
        }
    }
}
