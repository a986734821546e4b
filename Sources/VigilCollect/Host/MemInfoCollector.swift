/// `node_memory_<Field>[_bytes]` for every line of `/proc/meminfo`, named as node_exporter names them.
///
/// `Active(anon)` becomes `Active_anon`; a value with a unit (always kB) is multiplied by 1024 and gets `_bytes`;
/// unit-less counts such as `HugePages_Total` keep their name.
final class MemInfoCollector: HostFamilyCollector {
    let name = "meminfo"
    /// Metric names by the raw key bytes of each line, so steady cycles build no strings.
    private var names: [(key: [UInt8], bytes: String, plain: String)] = []

    func collect(_ context: inout HostCollectContext) throws(HostCollectorError) {
        let path = context.proc("meminfo")
        let bytes = try context.reader.read(path)
        var lineNumber = 0
        for line in ByteLines(bytes) {
            lineNumber += 1
            let fields = ProcBytes.fields(line)
            if fields.isEmpty { continue }
            guard fields.count == 2 || fields.count == 3, let raw = ProcBytes.double(fields[1]),
                  fields[0].last == UInt8(ascii: ":")
            else {
                throw .malformed(path: path, line: lineNumber, reason: "invalid line \"\(ProcBytes.string(line))\"")
            }
            let key = fields[0].dropLast()
            let metric = metricNames(lineNumber - 1, key)
            if fields.count == 3 {
                context.out.add(metric.bytes, raw * 1024)
            } else {
                context.out.add(metric.plain, raw)
            }
        }
    }

    private func metricNames(_ index: Int, _ key: ArraySlice<UInt8>) -> (bytes: String, plain: String) {
        if index < names.count && names[index].key.elementsEqual(key) {
            return (names[index].bytes, names[index].plain)
        }
        let base = "node_memory_" + MemInfoCollector.normalize(ProcBytes.string(key))
        let entry = (key: Array(key), bytes: base + "_bytes", plain: base)
        if index < names.count { names[index] = entry } else { names.append(entry) }
        return (entry.bytes, entry.plain)
    }

    /// node_exporter's `\((.*)\)` → `_$1`: the text from the first `(` to the last `)` loses its parentheses.
    static func normalize(_ key: String) -> String {
        guard let open = key.firstIndex(of: "("), let close = key.lastIndex(of: ")"), open < close else { return key }
        return String(key[..<open]) + "_" + String(key[key.index(after: open)..<close])
            + String(key[key.index(after: close)...])
    }
}
