/// `node_load1`, `node_load5` and `node_load15` from `/proc/loadavg`.
final class LoadAverageCollector: HostFamilyCollector {
    let name = "loadavg"

    func collect(_ context: inout HostCollectContext) throws(HostCollectorError) {
        let path = context.proc("loadavg")
        let bytes = try context.reader.read(path)
        var lines = ByteLines(bytes)
        let line = lines.next() ?? []
        let fields = ProcBytes.fields(line)
        guard fields.count >= 3, let l1 = ProcBytes.double(fields[0]), let l5 = ProcBytes.double(fields[1]),
              let l15 = ProcBytes.double(fields[2])
        else {
            throw .malformed(path: path, line: 1,
                             reason: "expected three load averages in \"\(ProcBytes.string(line))\"")
        }
        context.out.add("node_load1", l1)
        context.out.add("node_load5", l5)
        context.out.add("node_load15", l15)
    }
}
