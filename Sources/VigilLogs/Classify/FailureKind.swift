/// The AI-workload failure kinds Vigil recognises in logs.
public enum FailureKind: String, Sendable, CaseIterable, Codable {
    case gpuXid = "GPU_XID"
    case gpuECC = "GPU_ECC"
    case cudaOOM = "CUDA_OOM"
    case ncclTimeout = "NCCL_TIMEOUT"
    case nonFiniteLoss = "NAN_LOSS"
    case oomKill = "OOM_KILL"
    case segfault = "SEGFAULT"
    case diskFull = "DISK_FULL"
    case networkUnreachable = "NETWORK_UNREACHABLE"
    case permissionDenied = "PERMISSION_DENIED"
    case checkpointWriteFailed = "CHECKPOINT_WRITE_FAILED"
    case preemption = "PREEMPTION"

    /// The meaning of an NVIDIA Xid code (NVIDIA's Xid catalogue), or nil when not catalogued here.
    public static func xidMeaning(_ code: Int) -> String? {
        switch code {
        case 13: return "graphics engine exception"
        case 31: return "MMU fault, typically an application fault"
        case 43: return "GPU stopped processing, the faulting app was killed"
        case 45: return "preemptive cleanup after an earlier error"
        case 48: return "double-bit ECC error"
        case 61, 62: return "internal microcontroller breakpoint or halt"
        case 63: return "ECC page retirement or row remap recorded"
        case 64: return "ECC page retirement or row remap recording failure"
        case 74: return "NVLink error"
        case 79: return "GPU has fallen off the bus"
        case 92: return "high single-bit ECC error rate"
        case 94: return "contained uncorrectable ECC error"
        case 95: return "uncontained uncorrectable ECC error"
        case 119, 120: return "GSP RPC timeout or error"
        case 154: return "GPU recovery action changed"
        default: return nil
        }
    }

    /// True for Xid codes that call for draining the node (ECC, fallen off the bus, contained errors).
    public static func xidNeedsDrain(_ code: Int) -> Bool {
        [48, 63, 64, 74, 79, 92, 94, 95, 154].contains(code)
    }
}
