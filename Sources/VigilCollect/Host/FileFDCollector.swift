/// `node_filefd_allocated` and `node_filefd_maximum` from `/proc/sys/fs/file-nr`.
final class FileFDCollector: HostFamilyCollector {
    let name = "filefd"

    func collect(_ context: inout HostCollectContext) throws(HostCollectorError) {
        let path = context.proc("sys/fs/file-nr")
        let bytes = try context.reader.read(path)
        var lines = ByteLines(bytes)
        let line = lines.next() ?? []
        let fields = ProcBytes.fields(line)
        guard fields.count >= 3, let allocated = ProcBytes.uint(fields[0]), let maximum = ProcBytes.uint(fields[2])
        else {
            throw .malformed(path: path, line: 1, reason: "expected three numbers in \"\(ProcBytes.string(line))\"")
        }
        context.out.add("node_filefd_allocated", Double(allocated))
        context.out.add("node_filefd_maximum", Double(maximum))
    }
}
