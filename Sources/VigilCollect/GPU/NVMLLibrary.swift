import Glibc

/// NVML (`libnvidia-ml.so.1`) opened with `dlopen` at run time, its entry points resolved with `dlsym`.
///
/// Nothing links against NVML, so the binary builds and runs on machines without a GPU or driver. Where NVML renamed
/// or versioned a function, every known name is tried, newest first. The C types are mirrored here: handles are
/// opaque pointers, enums are `UInt32`, and structs are read from raw buffers at the offsets of `nvml.h`.
final class NVMLLibrary: @unchecked Sendable {
    typealias Device = OpaquePointer
    typealias Return = UInt32

    typealias VoidFn = @convention(c) () -> Return
    typealias ErrorStringFn = @convention(c) (Return) -> UnsafePointer<CChar>?
    typealias StringFn = @convention(c) (UnsafeMutablePointer<CChar>?, UInt32) -> Return
    typealias CountFn = @convention(c) (UnsafeMutablePointer<UInt32>?) -> Return
    typealias HandleFn = @convention(c) (UInt32, UnsafeMutablePointer<OpaquePointer?>?) -> Return
    typealias DeviceStringFn = @convention(c) (Device?, UnsafeMutablePointer<CChar>?, UInt32) -> Return
    typealias DeviceRawFn = @convention(c) (Device?, UnsafeMutableRawPointer?) -> Return
    typealias DeviceU32Fn = @convention(c) (Device?, UnsafeMutablePointer<UInt32>?) -> Return
    typealias DeviceU64Fn = @convention(c) (Device?, UnsafeMutablePointer<UInt64>?) -> Return
    typealias DeviceArgU32Fn = @convention(c) (Device?, UInt32, UnsafeMutablePointer<UInt32>?) -> Return
    typealias DeviceArgArgU64Fn = @convention(c) (Device?, UInt32, UInt32, UnsafeMutablePointer<UInt64>?) -> Return
    typealias RetiredPagesFn = @convention(c) (Device?, UInt32, UnsafeMutablePointer<UInt32>?,
                                               UnsafeMutablePointer<UInt64>?) -> Return
    typealias RemappedRowsFn = @convention(c) (Device?, UnsafeMutablePointer<UInt32>?, UnsafeMutablePointer<UInt32>?,
                                               UnsafeMutablePointer<UInt32>?, UnsafeMutablePointer<UInt32>?) -> Return
    typealias ProcessesFn = @convention(c) (Device?, UnsafeMutablePointer<UInt32>?, UnsafeMutableRawPointer?) -> Return
    typealias FieldValuesFn = @convention(c) (Device?, Int32, UnsafeMutableRawPointer?) -> Return
    typealias EventSetCreateFn = @convention(c) (UnsafeMutablePointer<OpaquePointer?>?) -> Return
    typealias EventSetFreeFn = @convention(c) (OpaquePointer?) -> Return
    typealias RegisterEventsFn = @convention(c) (Device?, UInt64, OpaquePointer?) -> Return
    typealias EventSetWaitFn = @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, UInt32) -> Return

    /// `nvmlReturn_t` values the collector tells apart.
    enum Code {
        static let success: Return = 0
        static let notSupported: Return = 3
        static let noPermission: Return = 4
        static let notFound: Return = 6
        static let insufficientSize: Return = 7
        static let timeout: Return = 10
        static let functionNotFound: Return = 13
        static let gpuIsLost: Return = 15
    }

    /// `NVML_MEMORY_ERROR_TYPE_*`, `NVML_VOLATILE_ECC`/`NVML_AGGREGATE_ECC`, clocks, PCIe counters, events.
    enum Constant {
        static let temperatureGPU: UInt32 = 0
        static let clockSM: UInt32 = 1
        static let clockMem: UInt32 = 2
        static let pcieTX: UInt32 = 0
        static let pcieRX: UInt32 = 1
        static let nvLinkMaxLinks: UInt32 = 18
        static let eventTypeXidCriticalError: UInt64 = 0x8
        static let fieldNvLinkDataTX: UInt32 = 138
        static let fieldNvLinkDataRX: UInt32 = 139
        static let memoryV2Version: UInt32 = 40 | (2 << 24)
    }

    /// The path given to `dlopen`.
    let path: String
    private let handle: UnsafeMutableRawPointer

    let initialize: VoidFn
    let shutdown: VoidFn?
    let errorString: ErrorStringFn?
    let driverVersion: StringFn?
    let deviceCount: CountFn
    let handleByIndex: HandleFn
    let name: DeviceStringFn?
    let uuid: DeviceStringFn?
    let minorNumber: DeviceU32Fn?
    /// `nvmlDeviceGetPciInfo_v3`/`_v2` (bus id at offset 36) or the first version (bus id at offset 0).
    let pciInfo: (fn: DeviceRawFn, busIdOffset: Int)?
    let utilization: DeviceRawFn?
    let memoryInfoV2: DeviceRawFn?
    let memoryInfo: DeviceRawFn?
    let temperature: DeviceArgU32Fn?
    let powerUsage: DeviceU32Fn?
    let powerManagementLimit: DeviceU32Fn?
    let enforcedPowerLimit: DeviceU32Fn?
    let totalEnergy: DeviceU64Fn?
    let clockInfo: DeviceArgU32Fn?
    let clocksEventReasons: DeviceU64Fn?
    let pcieThroughput: DeviceArgU32Fn?
    let pcieReplayCounter: DeviceU32Fn?
    let totalEccErrors: DeviceArgArgU64Fn?
    let retiredPages: RetiredPagesFn?
    let retiredPagesPending: DeviceU32Fn?
    let remappedRows: RemappedRowsFn?
    let computeProcesses: ProcessesFn?
    let nvLinkState: DeviceArgU32Fn?
    let nvLinkErrorCounter: DeviceArgArgU64Fn?
    let fieldValues: FieldValuesFn?
    let eventSetCreate: EventSetCreateFn?
    let eventSetFree: EventSetFreeFn?
    let registerEvents: RegisterEventsFn?
    let eventSetWait: EventSetWaitFn?

    /// Opens `path` and resolves the entry points; throws when the library or one of its required symbols is missing.
    init(path: String) throws(GPUCollectorError) {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw .libraryNotLoaded(path: path, reason: NVMLLibrary.lastDLError())
        }
        self.path = path
        self.handle = handle
        func sym<T>(_ names: String..., as: T.Type) -> T? {
            for n in names {
                if let p = dlsym(handle, n) { return unsafeBitCast(p, to: T.self) }
            }
            return nil
        }
        guard let initialize = sym("nvmlInit_v2", "nvmlInit", as: VoidFn.self),
              let deviceCount = sym("nvmlDeviceGetCount_v2", "nvmlDeviceGetCount", as: CountFn.self),
              let handleByIndex = sym("nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetHandleByIndex",
                                      as: HandleFn.self)
        else {
            dlclose(handle)
            throw .libraryNotLoaded(path: path, reason: "nvmlInit_v2, nvmlDeviceGetCount_v2 or "
                                        + "nvmlDeviceGetHandleByIndex_v2 not found")
        }
        self.initialize = initialize
        self.deviceCount = deviceCount
        self.handleByIndex = handleByIndex
        shutdown = sym("nvmlShutdown", as: VoidFn.self)
        errorString = sym("nvmlErrorString", as: ErrorStringFn.self)
        driverVersion = sym("nvmlSystemGetDriverVersion", as: StringFn.self)
        name = sym("nvmlDeviceGetName", as: DeviceStringFn.self)
        uuid = sym("nvmlDeviceGetUUID", as: DeviceStringFn.self)
        minorNumber = sym("nvmlDeviceGetMinorNumber", as: DeviceU32Fn.self)
        if let f = sym("nvmlDeviceGetPciInfo_v3", "nvmlDeviceGetPciInfo_v2", as: DeviceRawFn.self) {
            pciInfo = (f, 36)
        } else if let f = sym("nvmlDeviceGetPciInfo", as: DeviceRawFn.self) {
            pciInfo = (f, 0)
        } else {
            pciInfo = nil
        }
        utilization = sym("nvmlDeviceGetUtilizationRates", as: DeviceRawFn.self)
        memoryInfoV2 = sym("nvmlDeviceGetMemoryInfo_v2", as: DeviceRawFn.self)
        memoryInfo = sym("nvmlDeviceGetMemoryInfo", as: DeviceRawFn.self)
        temperature = sym("nvmlDeviceGetTemperature", as: DeviceArgU32Fn.self)
        powerUsage = sym("nvmlDeviceGetPowerUsage", as: DeviceU32Fn.self)
        powerManagementLimit = sym("nvmlDeviceGetPowerManagementLimit", as: DeviceU32Fn.self)
        enforcedPowerLimit = sym("nvmlDeviceGetEnforcedPowerLimit", as: DeviceU32Fn.self)
        totalEnergy = sym("nvmlDeviceGetTotalEnergyConsumption", as: DeviceU64Fn.self)
        clockInfo = sym("nvmlDeviceGetClockInfo", as: DeviceArgU32Fn.self)
        clocksEventReasons = sym("nvmlDeviceGetCurrentClocksEventReasons", "nvmlDeviceGetCurrentClocksThrottleReasons",
                                 as: DeviceU64Fn.self)
        pcieThroughput = sym("nvmlDeviceGetPcieThroughput", as: DeviceArgU32Fn.self)
        pcieReplayCounter = sym("nvmlDeviceGetPcieReplayCounter", as: DeviceU32Fn.self)
        totalEccErrors = sym("nvmlDeviceGetTotalEccErrors", as: DeviceArgArgU64Fn.self)
        retiredPages = sym("nvmlDeviceGetRetiredPages", as: RetiredPagesFn.self)
        retiredPagesPending = sym("nvmlDeviceGetRetiredPagesPendingStatus", as: DeviceU32Fn.self)
        remappedRows = sym("nvmlDeviceGetRemappedRows", as: RemappedRowsFn.self)
        computeProcesses = sym("nvmlDeviceGetComputeRunningProcesses_v3", "nvmlDeviceGetComputeRunningProcesses_v2",
                               "nvmlDeviceGetComputeRunningProcesses", as: ProcessesFn.self)
        nvLinkState = sym("nvmlDeviceGetNvLinkState", as: DeviceArgU32Fn.self)
        nvLinkErrorCounter = sym("nvmlDeviceGetNvLinkErrorCounter", as: DeviceArgArgU64Fn.self)
        fieldValues = sym("nvmlDeviceGetFieldValues", as: FieldValuesFn.self)
        eventSetCreate = sym("nvmlEventSetCreate", as: EventSetCreateFn.self)
        eventSetFree = sym("nvmlEventSetFree", as: EventSetFreeFn.self)
        registerEvents = sym("nvmlDeviceRegisterEvents", as: RegisterEventsFn.self)
        eventSetWait = sym("nvmlEventSetWait_v2", "nvmlEventSetWait", as: EventSetWaitFn.self)
    }

    deinit {
        dlclose(handle)
    }

    /// NVML's text for a return code (`nvmlErrorString`), or the number.
    func describe(_ code: Return) -> String {
        if let errorString, let p = errorString(code) { return String(cString: p) }
        return "nvml error \(code)"
    }

    /// Calls a string getter with a buffer of `size` bytes.
    func string(_ size: Int, _ body: (UnsafeMutablePointer<CChar>, UInt32) -> Return) -> String? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: size) { buf -> String? in
            buf.initialize(repeating: 0)
            guard let base = buf.baseAddress, body(base, UInt32(size)) == Code.success else { return nil }
            buf[size - 1] = 0
            return String(cString: base)
        }
    }

    private static func lastDLError() -> String {
        guard let e = dlerror() else { return "unknown dlopen error" }
        return String(cString: e)
    }
}
