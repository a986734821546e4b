import VigilCore

/// `node_vmstat_<field>` for the fields of `/proc/vmstat` that match node_exporter's `--collector.vmstat.fields`.
final class VMStatCollector: HostFamilyCollector {
    let name = "vmstat"
    /// node_exporter's default field pattern (matched unanchored, as Go's `MatchString`).
    static let defaultFields = "^(oom_kill|pgpg|pswp|pg.*fault).*"
    private let fields: RE2
    /// The decision for each line's field name, so steady cycles run no regex and build no strings.
    private var cache: [(key: [UInt8], metric: String?)] = []

    init(fields: RE2) {
        self.fields = fields
    }

    func collect(_ context: inout HostCollectContext) throws(HostCollectorError) {
        let path = context.proc("vmstat")
        let bytes = try context.reader.read(path)
        var lineNumber = 0
        for line in ByteLines(bytes) {
            lineNumber += 1
            var split = line.startIndex
            while split < line.endIndex && line[split] != UInt8(ascii: " ") { split += 1 }
            if split == line.startIndex { continue }
            let key = line[line.startIndex..<split]
            guard let metric = metricName(lineNumber - 1, key) else { continue }
            let rest = line[min(split + 1, line.endIndex)...]
            guard let v = ProcBytes.double(rest) else {
                throw .malformed(path: path, line: lineNumber, reason: "invalid line \"\(ProcBytes.string(line))\"")
            }
            context.out.add(metric, v)
        }
    }

    private func metricName(_ index: Int, _ key: ArraySlice<UInt8>) -> String? {
        if index < cache.count && cache[index].key.elementsEqual(key) { return cache[index].metric }
        let name = ProcBytes.string(key)
        let entry = (key: Array(key), metric: fields.partialMatch(name) ? "node_vmstat_" + name : nil)
        if index < cache.count { cache[index] = entry } else { cache.append(entry) }
        return entry.metric
    }
}
