/// Pressure stall information from `/proc/pressure/{cpu,io,memory,irq}` in node_exporter's names:
/// `node_pressure_cpu_waiting_seconds_total`, `node_pressure_{io,memory}_{waiting,stalled}_seconds_total` and, on
/// kernels that have it, `node_pressure_irq_stalled_seconds_total`. Kernels without PSI have no such files, so the
/// family is silently absent.
final class PressureCollector: HostFamilyCollector {
    let name = "pressure"

    /// Resource, metric for the `some` line (nil: not exported), metric for the `full` line (nil: not exported).
    private static let resources: [(String, String?, String?)] = [
        ("cpu", "node_pressure_cpu_waiting_seconds_total", nil),
        ("io", "node_pressure_io_waiting_seconds_total", "node_pressure_io_stalled_seconds_total"),
        ("memory", "node_pressure_memory_waiting_seconds_total", "node_pressure_memory_stalled_seconds_total"),
        ("irq", nil, "node_pressure_irq_stalled_seconds_total"),
    ]

    func collect(_ context: inout HostCollectContext) throws(HostCollectorError) {
        var found = false
        for (resource, someMetric, fullMetric) in PressureCollector.resources {
            let path = context.proc("pressure/" + resource)
            let bytes: ArraySlice<UInt8>
            do throws(HostCollectorError) {
                bytes = try context.reader.read(path)
            } catch .missing {
                continue
            }
            found = true
            var lineNumber = 0
            for line in ByteLines(bytes) {
                lineNumber += 1
                let fields = ProcBytes.fields(line)
                guard let kind = fields.first else { continue }
                let metric: String?
                if ProcBytes.equals(kind, "some") {
                    metric = someMetric
                } else if ProcBytes.equals(kind, "full") {
                    metric = fullMetric
                } else {
                    throw .malformed(path: path, line: lineNumber, reason: "unknown line \"\(ProcBytes.string(line))\"")
                }
                guard let metric else { continue }
                guard let totalField = fields.last(where: { ProcBytes.hasPrefix($0, "total=") }),
                      let total = ProcBytes.uint(totalField.dropFirst(6))
                else {
                    throw .malformed(path: path, line: lineNumber, reason: "no total= in \"\(ProcBytes.string(line))\"")
                }
                // Two divisions, as node_exporter computes it, so the float is bit-identical.
                context.out.add(metric, Double(total) / 1000.0 / 1000.0)
            }
        }
        if !found { throw .missing(path: context.proc("pressure")) }
    }
}
