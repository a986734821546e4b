import VigilCore

/// Counts NVIDIA Xid events from kernel log lines, one per line, by PCI bus id and code.
///
/// Backs `vigil_log_xid_events_total{pci_bus_id,xid}`: a counter per event rather than DCGM's "last Xid"
/// gauge, which hides repeats of one code and never clears (case C20). Windowed counts answer "Xid 31 events
/// in the last 10 minutes", which fall back to 0 once the GPU is quiet.
public struct XidEventCounter: Sendable {
    /// One Xid event.
    public struct Event: Sendable, Hashable {
        /// When the line says it happened (Unix ms).
        public var timestamp: Int64
        /// The GPU's PCI bus id as the driver prints it (`0000:3b:00`).
        public var pciBusID: String
        /// The Xid code.
        public var xid: Int
        /// The process id the driver named, if any.
        public var pid: String?
    }

    /// The metric name of the counter series.
    public static let metricName = "vigil_log_xid_events_total"

    private let classifier = FailureClassifier()
    /// Every event seen, in input order.
    public private(set) var events: [Event] = []
    private var totals: [Labels: Int] = [:]

    /// Creates an empty counter.
    public init() {}

    /// Counts `line` when it is a kernel Xid line; returns the event.
    @discardableResult
    public mutating func observe(_ line: String, timestamp: Int64) -> Event? {
        guard line.contains("Xid"), let r = classifier.classify(line), r.kind == .gpuXid,
            let pci = r.fields["pci_bus_id"], let code = r.fields["xid"].flatMap({ Int($0) })
        else { return nil }
        let event = Event(timestamp: timestamp, pciBusID: pci, xid: code, pid: r.fields["pid"])
        events.append(event)
        totals[labels(pci, code), default: 0] += 1
        return event
    }

    private func labels(_ pci: String, _ xid: Int) -> Labels {
        Labels(["__name__": Self.metricName, "pci_bus_id": pci, "xid": String(xid)])
    }

    /// Events in the window `(at - window, at]`, optionally of one code and one device.
    public func count(xid: Int? = nil, pciBusID: String? = nil, window: Int64, at: Int64) -> Int {
        events.count { e in
            e.timestamp > at - window && e.timestamp <= at && (xid == nil || e.xid == xid)
                && (pciBusID == nil || e.pciBusID == pciBusID)
        }
    }

    /// The counter series at time `t` (all counts so far), for appending to the store.
    public func samples(at t: Int64) -> [LabeledSample] {
        totals.sorted { $0.key < $1.key }.map { LabeledSample($0.key, t: t, v: Double($0.value)) }
    }
}
