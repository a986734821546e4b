import VigilCore

/// The GPUs NVML reports, read each cycle under DCGM exporter's names, units and labels.
///
/// Xid events come from an NVML event set that is drained without waiting (timeout 0) at the start of each cycle,
/// so the cycle never blocks on it; NVML queues the events that happen between cycles. A `vigil_gpu_xid_events_total`
/// series is created by its first event, with a zero one millisecond before its first value (as Prometheus's
/// created-timestamp zero ingestion does), so `increase()` counts that first event too.
final class NVMLSource {
    /// One GPU: its handle, its labels (fixed at start) and its Xid history.
    struct Device {
        let handle: NVMLLibrary.Device
        let labels: GPULabelSet
        var lastXid: UInt64 = 0
        var xidCounts: [UInt64: Double] = [:]
        /// Xid codes first seen since the last cycle: their counter series start with a zero.
        var newXids: Set<UInt64> = []
        var lost = false
    }

    let library: NVMLLibrary
    private(set) var devices: [Device] = []
    private let logger: Logger
    private var eventSet: OpaquePointer?
    private var eventBuffer = [UInt8](repeating: 0, count: 64)
    private var fieldBuffer = [UInt8](repeating: 0, count: 2 * fieldValueSize)

    private static let fieldValueSize = 40
    private static let maxEventsPerCycle = 4096

    /// Initialises NVML and enumerates the GPUs; throws when NVML fails or reports none.
    init(library: NVMLLibrary, hostname: String, job: String, instance: String, logger: Logger)
        throws(GPUCollectorError)
    {
        self.library = library
        self.logger = logger
        let rc = library.initialize()
        guard rc == NVMLLibrary.Code.success else {
            throw .nvmlFailed(call: "nvmlInit_v2", reason: library.describe(rc))
        }
        var count: UInt32 = 0
        let crc = library.deviceCount(&count)
        guard crc == NVMLLibrary.Code.success else {
            _ = library.shutdown?()
            throw .nvmlFailed(call: "nvmlDeviceGetCount_v2", reason: library.describe(crc))
        }
        guard count > 0 else {
            _ = library.shutdown?()
            throw .noDevices
        }
        let driver = library.driverVersion.flatMap { f in library.string(96) { f($0, $1) } } ?? ""
        for index in 0..<count {
            var handle: OpaquePointer?
            let hrc = library.handleByIndex(index, &handle)
            guard hrc == NVMLLibrary.Code.success, let handle else {
                logger.warning("gpu skipped", ["gpu": String(index), "err": library.describe(hrc)])
                continue
            }
            let identity = labels(of: handle, index: index, hostname: hostname, driver: driver)
            devices.append(Device(handle: handle, labels: GPULabelSet(identity, job: job, instance: instance)))
        }
        guard !devices.isEmpty else {
            _ = library.shutdown?()
            throw .noDevices
        }
        registerXidEvents()
    }

    deinit {
        if let eventSet { _ = library.eventSetFree?(eventSet) }
        _ = library.shutdown?()
    }

    private func labels(of handle: NVMLLibrary.Device, index: UInt32, hostname: String, driver: String)
        -> [(String, String)]
    {
        let lib = library
        let uuid = lib.uuid.flatMap { f in lib.string(96) { f(handle, $0, $1) } } ?? ""
        let model = lib.name.flatMap { f in lib.string(96) { f(handle, $0, $1) } } ?? ""
        var minor: UInt32 = 0
        let device = lib.minorNumber.map { $0(handle, &minor) } == NVMLLibrary.Code.success ? "nvidia\(minor)" : ""
        var busID = ""
        if let (fn, offset) = lib.pciInfo {
            withUnsafeTemporaryAllocation(byteCount: 128, alignment: 8) { buf in
                buf.initializeMemory(as: UInt8.self, repeating: 0)
                guard fn(handle, buf.baseAddress) == NVMLLibrary.Code.success else { return }
                busID = NVMLSource.cString(UnsafeRawBufferPointer(rebasing: buf[offset..<offset + 32]))
            }
        }
        return [("gpu", String(index)), ("UUID", uuid), ("pci_bus_id", busID), ("device", device),
                ("modelName", model), ("Hostname", hostname), ("DCGM_FI_DRIVER_VERSION", driver)]
    }

    private func registerXidEvents() {
        guard let create = library.eventSetCreate, let register = library.registerEvents,
              library.eventSetWait != nil else { return }
        var set: OpaquePointer?
        let rc = create(&set)
        guard rc == NVMLLibrary.Code.success, let set else {
            logger.warning("gpu xid events unavailable", ["err": library.describe(rc)])
            return
        }
        var registered = 0
        for d in devices {
            let r = register(d.handle, NVMLLibrary.Constant.eventTypeXidCriticalError, set)
            if r == NVMLLibrary.Code.success {
                registered += 1
            } else {
                logger.debug("gpu xid events not registered", ["gpu": d.labels["gpu"], "err": library.describe(r)])
            }
        }
        if registered == 0 {
            _ = library.eventSetFree?(set)
            return
        }
        eventSet = set
    }

    /// Takes every queued Xid event without waiting and counts it against its GPU.
    private func drainXidEvents() {
        guard let eventSet, let wait = library.eventSetWait else { return }
        for _ in 0..<NVMLSource.maxEventsPerCycle {
            let (rc, device, type, xid) = eventBuffer.withUnsafeMutableBytes { buf in
                buf.initializeMemory(as: UInt8.self, repeating: 0)
                let rc = wait(eventSet, buf.baseAddress, 0)
                return (rc, buf.load(fromByteOffset: 0, as: UInt.self), buf.load(fromByteOffset: 8, as: UInt64.self),
                        buf.load(fromByteOffset: 16, as: UInt64.self))
            }
            guard rc == NVMLLibrary.Code.success else {
                if rc != NVMLLibrary.Code.timeout {
                    logger.debug("gpu xid event wait failed", ["err": library.describe(rc)])
                }
                return
            }
            guard type & NVMLLibrary.Constant.eventTypeXidCriticalError != 0,
                  let i = devices.firstIndex(where: { UInt(bitPattern: $0.handle) == device }) else { continue }
            devices[i].lastXid = xid
            if devices[i].xidCounts[xid] == nil { devices[i].newXids.insert(xid) }
            devices[i].xidCounts[xid, default: 0] += 1
            logger.warning("gpu xid event", ["gpu": devices[i].labels["gpu"], "uuid": devices[i].labels["UUID"],
                                              "xid": String(xid)])
        }
    }

    /// One cycle: drains Xid events, then appends every reading of every GPU to `out`.
    func collect(into out: inout GPUSampleBuffer) {
        drainXidEvents()
        for i in devices.indices {
            var reader = NVMLDeviceReader(library: library, handle: devices[i].handle, labels: devices[i].labels)
            reader.read(into: &out, fieldBuffer: &fieldBuffer)
            let d = devices[i]
            out.add(GPUMetricName.xidErrors, d.labels, Label("err_code", String(d.lastXid)), Double(d.lastXid))
            for (xid, n) in d.xidCounts.sorted(by: { $0.key < $1.key }) {
                out.add(GPUMetricName.xidEventsTotal, d.labels, Label("xid", String(xid)), n,
                        created: d.newXids.contains(xid))
            }
            devices[i].newXids.removeAll()
            if reader.lost != devices[i].lost {
                devices[i].lost = reader.lost
                if reader.lost {
                    logger.warning("gpu is lost", ["gpu": d.labels["gpu"], "uuid": d.labels["UUID"]])
                } else {
                    logger.info("gpu is back", ["gpu": d.labels["gpu"], "uuid": d.labels["UUID"]])
                }
            }
        }
    }

    static func cString(_ bytes: UnsafeRawBufferPointer) -> String {
        let n = bytes.firstIndex(of: 0) ?? bytes.count
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<n]), as: UTF8.self)
    }
}
