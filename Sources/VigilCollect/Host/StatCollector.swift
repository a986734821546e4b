/// `node_boot_time_seconds`, `node_context_switches_total`, `node_intr_total`, `node_forks_total`,
/// `node_procs_running` and `node_procs_blocked` from `/proc/stat`, as node_exporter's stat collector.
final class StatCollector: HostFamilyCollector {
    let name = "stat"

    func collect(_ context: inout HostCollectContext) throws(HostCollectorError) {
        let path = context.proc("stat")
        let bytes = try context.reader.read(path)
        var lineNumber = 0
        for line in ByteLines(bytes) {
            lineNumber += 1
            if ProcBytes.hasPrefix(line, "cpu") { continue }
            let fields = ProcBytes.fields(line, limit: 2)  // the intr line has thousands of fields
            guard fields.count >= 2 else { continue }
            let metric: String
            switch true {
            case ProcBytes.equals(fields[0], "intr"): metric = "node_intr_total"
            case ProcBytes.equals(fields[0], "ctxt"): metric = "node_context_switches_total"
            case ProcBytes.equals(fields[0], "btime"): metric = "node_boot_time_seconds"
            case ProcBytes.equals(fields[0], "processes"): metric = "node_forks_total"
            case ProcBytes.equals(fields[0], "procs_running"): metric = "node_procs_running"
            case ProcBytes.equals(fields[0], "procs_blocked"): metric = "node_procs_blocked"
            default: continue
            }
            guard let v = ProcBytes.uint(fields[1]) else {
                throw .malformed(path: path, line: lineNumber, reason: "bad value \"\(ProcBytes.string(fields[1]))\"")
            }
            context.out.add(metric, Double(v))
        }
    }
}
