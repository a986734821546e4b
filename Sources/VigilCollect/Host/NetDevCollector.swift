import VigilCore

/// `node_network_{receive,transmit}_*_total{device}` from `/proc/net/dev`, as node_exporter 1.5 reports them by
/// default (its netlink statistics folded into the legacy names, which equal the columns of `/proc/net/dev`), plus
/// `node_network_receive_nohandler_total` from sysfs.
final class NetDevCollector: HostFamilyCollector {
    let name = "netdev"
    private let exclude: RE2?
    private var decisions: [String: Bool] = [:]

    /// Metric names by column of `/proc/net/dev` after the device name.
    static let columns = [
        "node_network_receive_bytes_total", "node_network_receive_packets_total", "node_network_receive_errs_total",
        "node_network_receive_drop_total", "node_network_receive_fifo_total", "node_network_receive_frame_total",
        "node_network_receive_compressed_total", "node_network_receive_multicast_total",
        "node_network_transmit_bytes_total", "node_network_transmit_packets_total",
        "node_network_transmit_errs_total", "node_network_transmit_drop_total", "node_network_transmit_fifo_total",
        "node_network_transmit_colls_total", "node_network_transmit_carrier_total",
        "node_network_transmit_compressed_total",
    ]

    /// node_exporter's (Debian 1.5) default `--collector.netdev.device-exclude`.
    static let defaultExclude = "^lo$"

    init(exclude: RE2?) {
        self.exclude = exclude
    }

    func collect(_ context: inout HostCollectContext) throws(HostCollectorError) {
        let path = context.proc("net/dev")
        let bytes = try context.reader.read(path)
        var devices: [(String, [UInt64])] = []
        var lineNumber = 0
        for line in ByteLines(bytes) {
            lineNumber += 1
            if lineNumber <= 2 { continue }  // two header lines
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                if line.allSatisfy(ProcBytes.isSpace) { continue }
                throw .malformed(path: path, line: lineNumber,
                                 reason: "no device name in \"\(ProcBytes.string(line))\"")
            }
            let nameFields = ProcBytes.fields(line[line.startIndex..<colon])
            let values = ProcBytes.fields(line[(colon + 1)...])
            guard nameFields.count == 1, values.count >= NetDevCollector.columns.count else {
                throw .malformed(path: path, line: lineNumber, reason: "invalid line \"\(ProcBytes.string(line))\"")
            }
            let device = ProcBytes.string(nameFields[0])
            if excluded(device) { continue }
            var numbers: [UInt64] = []
            numbers.reserveCapacity(values.count)
            for field in values.prefix(NetDevCollector.columns.count) {
                guard let v = ProcBytes.uint(field) else {
                    throw .malformed(path: path, line: lineNumber, reason: "bad counter \"\(ProcBytes.string(field))\"")
                }
                numbers.append(v)
            }
            devices.append((device, numbers))
        }
        for (device, numbers) in devices {
            for (i, metric) in NetDevCollector.columns.enumerated() {
                context.out.add(metric, [("device", device)], Double(numbers[i]))
            }
            let nohandler = (try? context.reader.readLine(context.sys("class/net/\(device)/statistics/rx_nohandler")))
                .flatMap { UInt64($0) } ?? 0
            context.out.add("node_network_receive_nohandler_total", [("device", device)], Double(nohandler))
        }
    }

    private func excluded(_ device: String) -> Bool {
        guard let exclude else { return false }
        if let d = decisions[device] { return d }
        let d = exclude.partialMatch(device)
        if decisions.count > 4096 { decisions.removeAll() }
        decisions[device] = d
        return d
    }
}
