import VigilCore

/// The DCGM exporter names (and a few `vigil_gpu_*` ones where DCGM has none) of the GPU collector's series.
enum GPUMetricName {
    static let gpuUtil = "DCGM_FI_DEV_GPU_UTIL"
    static let memCopyUtil = "DCGM_FI_DEV_MEM_COPY_UTIL"
    static let fbUsed = "DCGM_FI_DEV_FB_USED"
    static let fbFree = "DCGM_FI_DEV_FB_FREE"
    static let fbReserved = "DCGM_FI_DEV_FB_RESERVED"
    static let fbTotal = "DCGM_FI_DEV_FB_TOTAL"
    static let gpuTemp = "DCGM_FI_DEV_GPU_TEMP"
    static let powerUsage = "DCGM_FI_DEV_POWER_USAGE"
    static let powerLimit = "DCGM_FI_DEV_POWER_MGMT_LIMIT"
    static let enforcedPowerLimit = "DCGM_FI_DEV_ENFORCED_POWER_LIMIT"
    static let totalEnergy = "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION"
    static let smClock = "DCGM_FI_DEV_SM_CLOCK"
    static let memClock = "DCGM_FI_DEV_MEM_CLOCK"
    static let clocksEventReasons = "DCGM_FI_DEV_CLOCKS_EVENT_REASONS"
    static let pcieTX = "DCGM_FI_DEV_PCIE_TX_THROUGHPUT"
    static let pcieRX = "DCGM_FI_DEV_PCIE_RX_THROUGHPUT"
    static let pcieReplay = "DCGM_FI_DEV_PCIE_REPLAY_COUNTER"
    static let eccSBEVolatile = "DCGM_FI_DEV_ECC_SBE_VOL_TOTAL"
    static let eccDBEVolatile = "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL"
    static let eccSBEAggregate = "DCGM_FI_DEV_ECC_SBE_AGG_TOTAL"
    static let eccDBEAggregate = "DCGM_FI_DEV_ECC_DBE_AGG_TOTAL"
    static let retiredSBE = "DCGM_FI_DEV_RETIRED_SBE"
    static let retiredDBE = "DCGM_FI_DEV_RETIRED_DBE"
    static let retiredPending = "DCGM_FI_DEV_RETIRED_PENDING"
    static let correctableRemappedRows = "DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS"
    static let uncorrectableRemappedRows = "DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS"
    static let rowRemapPending = "DCGM_FI_DEV_ROW_REMAP_PENDING"
    static let rowRemapFailure = "DCGM_FI_DEV_ROW_REMAP_FAILURE"
    static let nvLinkReplay = "DCGM_FI_DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL"
    static let nvLinkRecovery = "DCGM_FI_DEV_NVLINK_RECOVERY_ERROR_COUNT_TOTAL"
    static let nvLinkCRCFlit = "DCGM_FI_DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL"
    static let nvLinkCRCData = "DCGM_FI_DEV_NVLINK_CRC_DATA_ERROR_COUNT_TOTAL"
    static let xidErrors = "DCGM_FI_DEV_XID_ERRORS"
    static let nvLinkActive = "vigil_gpu_nvlink_active_links"
    static let nvLinkTX = "vigil_gpu_nvlink_data_transmitted_bytes_total"
    static let nvLinkRX = "vigil_gpu_nvlink_data_received_bytes_total"
    static let processes = "vigil_gpu_compute_processes"
    static let xidEventsTotal = "vigil_gpu_xid_events_total"
    static let up = "vigil_gpu_collector_up"
}

/// Reads one GPU's values through NVML and appends them; a call NVML does not support leaves its series out.
struct NVMLDeviceReader {
    let library: NVMLLibrary
    let handle: NVMLLibrary.Device
    let labels: GPULabelSet
    /// Whether a call answered `NVML_ERROR_GPU_IS_LOST`.
    private(set) var lost = false

    private static let mib = 1_048_576.0

    init(library: NVMLLibrary, handle: NVMLLibrary.Device, labels: GPULabelSet) {
        self.library = library
        self.handle = handle
        self.labels = labels
    }

    private mutating func ok(_ rc: NVMLLibrary.Return) -> Bool {
        if rc == NVMLLibrary.Code.gpuIsLost { lost = true }
        return rc == NVMLLibrary.Code.success
    }

    private mutating func u32(_ fn: NVMLLibrary.DeviceU32Fn?) -> Double? {
        guard let fn else { return nil }
        var v: UInt32 = 0
        return ok(fn(handle, &v)) ? Double(v) : nil
    }

    private mutating func u64(_ fn: NVMLLibrary.DeviceU64Fn?) -> Double? {
        guard let fn else { return nil }
        var v: UInt64 = 0
        return ok(fn(handle, &v)) ? Double(v) : nil
    }

    private mutating func u32(_ fn: NVMLLibrary.DeviceArgU32Fn?, _ arg: UInt32) -> Double? {
        guard let fn else { return nil }
        var v: UInt32 = 0
        return ok(fn(handle, arg, &v)) ? Double(v) : nil
    }

    private mutating func u64(_ fn: NVMLLibrary.DeviceArgArgU64Fn?, _ a: UInt32, _ b: UInt32) -> Double? {
        guard let fn else { return nil }
        var v: UInt64 = 0
        return ok(fn(handle, a, b, &v)) ? Double(v) : nil
    }

    /// Appends every reading of this GPU to `out`.
    mutating func read(into out: inout GPUSampleBuffer, fieldBuffer: inout [UInt8]) {
        let labels = self.labels
        func add(_ name: String, _ value: Double?) {
            if let value { out.add(name, labels, value) }
        }
        readUtilization(add)
        readMemory(add)
        add(GPUMetricName.gpuTemp, u32(library.temperature, NVMLLibrary.Constant.temperatureGPU))
        add(GPUMetricName.powerUsage, u32(library.powerUsage).map { $0 / 1000 })
        add(GPUMetricName.powerLimit, u32(library.powerManagementLimit).map { $0 / 1000 })
        add(GPUMetricName.enforcedPowerLimit, u32(library.enforcedPowerLimit).map { $0 / 1000 })
        add(GPUMetricName.totalEnergy, u64(library.totalEnergy))
        add(GPUMetricName.smClock, u32(library.clockInfo, NVMLLibrary.Constant.clockSM))
        add(GPUMetricName.memClock, u32(library.clockInfo, NVMLLibrary.Constant.clockMem))
        add(GPUMetricName.clocksEventReasons, u64(library.clocksEventReasons))
        add(GPUMetricName.pcieTX, u32(library.pcieThroughput, NVMLLibrary.Constant.pcieTX))
        add(GPUMetricName.pcieRX, u32(library.pcieThroughput, NVMLLibrary.Constant.pcieRX))
        add(GPUMetricName.pcieReplay, u32(library.pcieReplayCounter))
        // nvmlDeviceGetTotalEccErrors(errorType: 0 corrected, 1 uncorrected; counterType: 0 volatile, 1 aggregate).
        add(GPUMetricName.eccSBEVolatile, u64(library.totalEccErrors, 0, 0))
        add(GPUMetricName.eccDBEVolatile, u64(library.totalEccErrors, 1, 0))
        add(GPUMetricName.eccSBEAggregate, u64(library.totalEccErrors, 0, 1))
        add(GPUMetricName.eccDBEAggregate, u64(library.totalEccErrors, 1, 1))
        add(GPUMetricName.retiredSBE, retiredPages(cause: 0))
        add(GPUMetricName.retiredDBE, retiredPages(cause: 1))
        add(GPUMetricName.retiredPending, u32(library.retiredPagesPending))
        readRemappedRows(add)
        add(GPUMetricName.processes, processCount())
        readNvLink(add, fieldBuffer: &fieldBuffer)
    }

    private mutating func readUtilization(_ add: (String, Double?) -> Void) {
        guard let fn = library.utilization else { return }
        var rates: (UInt32, UInt32) = (0, 0)
        guard ok(withUnsafeMutableBytes(of: &rates) { fn(handle, $0.baseAddress) }) else { return }
        add(GPUMetricName.gpuUtil, Double(rates.0))
        add(GPUMetricName.memCopyUtil, Double(rates.1))
    }

    /// `nvmlMemory_v2_t` (version, total, reserved, free, used) where present, else `nvmlMemory_t` (total, free, used).
    private mutating func readMemory(_ add: (String, Double?) -> Void) {
        if let fn = library.memoryInfoV2 {
            var m: (UInt64, UInt64, UInt64, UInt64, UInt64) = (UInt64(NVMLLibrary.Constant.memoryV2Version), 0, 0, 0, 0)
            if ok(withUnsafeMutableBytes(of: &m) { fn(handle, $0.baseAddress) }) {
                add(GPUMetricName.fbTotal, (Double(m.1) / NVMLDeviceReader.mib).rounded(.down))
                add(GPUMetricName.fbReserved, (Double(m.2) / NVMLDeviceReader.mib).rounded(.down))
                add(GPUMetricName.fbFree, (Double(m.3) / NVMLDeviceReader.mib).rounded(.down))
                add(GPUMetricName.fbUsed, (Double(m.4) / NVMLDeviceReader.mib).rounded(.down))
                return
            }
        }
        guard let fn = library.memoryInfo else { return }
        var m: (UInt64, UInt64, UInt64) = (0, 0, 0)
        guard ok(withUnsafeMutableBytes(of: &m) { fn(handle, $0.baseAddress) }) else { return }
        add(GPUMetricName.fbTotal, (Double(m.0) / NVMLDeviceReader.mib).rounded(.down))
        add(GPUMetricName.fbFree, (Double(m.1) / NVMLDeviceReader.mib).rounded(.down))
        add(GPUMetricName.fbUsed, (Double(m.2) / NVMLDeviceReader.mib).rounded(.down))
    }

    /// The number of pages retired for `cause` (0 multiple single-bit errors, 1 double-bit error).
    private mutating func retiredPages(cause: UInt32) -> Double? {
        guard let fn = library.retiredPages else { return nil }
        var count: UInt32 = 0
        let rc = fn(handle, cause, &count, nil)
        if rc == NVMLLibrary.Code.gpuIsLost { lost = true }
        return rc == NVMLLibrary.Code.success || rc == NVMLLibrary.Code.insufficientSize ? Double(count) : nil
    }

    private mutating func readRemappedRows(_ add: (String, Double?) -> Void) {
        guard let fn = library.remappedRows else { return }
        var corr: UInt32 = 0, unc: UInt32 = 0, pending: UInt32 = 0, failed: UInt32 = 0
        guard ok(fn(handle, &corr, &unc, &pending, &failed)) else { return }
        add(GPUMetricName.correctableRemappedRows, Double(corr))
        add(GPUMetricName.uncorrectableRemappedRows, Double(unc))
        add(GPUMetricName.rowRemapPending, Double(pending))
        add(GPUMetricName.rowRemapFailure, Double(failed))
    }

    /// The number of compute processes: asked with a zero-length buffer, so the struct's layout never matters.
    private mutating func processCount() -> Double? {
        guard let fn = library.computeProcesses else { return nil }
        var count: UInt32 = 0
        let rc = fn(handle, &count, nil)
        if rc == NVMLLibrary.Code.gpuIsLost { lost = true }
        return rc == NVMLLibrary.Code.success || rc == NVMLLibrary.Code.insufficientSize ? Double(count) : nil
    }

    /// Error counters summed over the active links, and the data throughput counters (KiB in NVML, bytes here).
    private mutating func readNvLink(_ add: (String, Double?) -> Void, fieldBuffer: inout [UInt8]) {
        guard let state = library.nvLinkState else { return }
        var active: [UInt32] = []
        for link in 0..<NVMLLibrary.Constant.nvLinkMaxLinks {
            var on: UInt32 = 0
            let rc = state(handle, link, &on)
            if rc == NVMLLibrary.Code.gpuIsLost { lost = true }
            guard rc == NVMLLibrary.Code.success else { break }
            if on != 0 { active.append(link) }
        }
        guard !active.isEmpty else { return }
        add(GPUMetricName.nvLinkActive, Double(active.count))
        if let counter = library.nvLinkErrorCounter {
            // nvmlNvLinkErrorCounter_t: 0 DL_REPLAY, 1 DL_RECOVERY, 2 DL_CRC_FLIT, 3 DL_CRC_DATA.
            let names = [GPUMetricName.nvLinkReplay, GPUMetricName.nvLinkRecovery, GPUMetricName.nvLinkCRCFlit,
                         GPUMetricName.nvLinkCRCData]
            for (kind, name) in names.enumerated() {
                var sum = 0.0
                var any = false
                for link in active {
                    var v: UInt64 = 0
                    if ok(counter(handle, link, UInt32(kind), &v)) {
                        sum += Double(v)
                        any = true
                    }
                }
                if any { add(name, sum) }
            }
        }
        guard let fieldValues = library.fieldValues else { return }
        let ids = [NVMLLibrary.Constant.fieldNvLinkDataTX, NVMLLibrary.Constant.fieldNvLinkDataRX]
        let values = fieldBuffer.withUnsafeMutableBytes { buf -> [Double?] in
            buf.initializeMemory(as: UInt8.self, repeating: 0)
            for (i, id) in ids.enumerated() { buf.storeBytes(of: id, toByteOffset: 40 * i, as: UInt32.self) }
            guard fieldValues(handle, Int32(ids.count), buf.baseAddress) == NVMLLibrary.Code.success else {
                return [nil, nil]
            }
            return ids.indices.map { i in
                NVMLDeviceReader.fieldValue(UnsafeRawBufferPointer(rebasing: buf[40 * i..<40 * i + 40]))
            }
        }
        add(GPUMetricName.nvLinkTX, values[0].map { $0 * 1024 })
        add(GPUMetricName.nvLinkRX, values[1].map { $0 * 1024 })
    }

    /// The value of one `nvmlFieldValue_t`: valueType at 24, nvmlReturn at 28, the value union at 32.
    private static func fieldValue(_ v: UnsafeRawBufferPointer) -> Double? {
        guard v.load(fromByteOffset: 28, as: UInt32.self) == NVMLLibrary.Code.success else { return nil }
        // nvmlValueType_t: 0 double, 1 unsigned int, 2 unsigned long, 3 unsigned long long, 4 signed long long,
        // 5 signed int.
        switch v.load(fromByteOffset: 24, as: UInt32.self) {
        case 0: return v.load(fromByteOffset: 32, as: Double.self)
        case 1: return Double(v.load(fromByteOffset: 32, as: UInt32.self))
        case 2, 3: return Double(v.load(fromByteOffset: 32, as: UInt64.self))
        case 4: return Double(v.load(fromByteOffset: 32, as: Int64.self))
        case 5: return Double(v.load(fromByteOffset: 32, as: Int32.self))
        default: return nil
        }
    }
}
