/// `node_os_info{…}` and `node_os_version{id,id_like,name}` from `etc/os-release` (or `usr/lib/os-release`)
/// below the root file system, as node_exporter's os collector.
final class OSReleaseCollector: HostFamilyCollector {
    let name = "os"

    /// The os-release keys node_exporter turns into `node_os_info` labels, with their label names.
    private static let infoLabels: [(String, String)] = [
        ("BUILD_ID", "build_id"), ("ID", "id"), ("ID_LIKE", "id_like"), ("IMAGE_ID", "image_id"),
        ("IMAGE_VERSION", "image_version"), ("NAME", "name"), ("PRETTY_NAME", "pretty_name"),
        ("VARIANT", "variant"), ("VARIANT_ID", "variant_id"), ("VERSION", "version"),
        ("VERSION_CODENAME", "version_codename"), ("VERSION_ID", "version_id"),
    ]

    func collect(_ context: inout HostCollectContext) throws(HostCollectorError) {
        let bytes: ArraySlice<UInt8>
        do throws(HostCollectorError) {
            bytes = try context.reader.read(context.rootfs("etc/os-release"))
        } catch .missing {
            bytes = try context.reader.read(context.rootfs("usr/lib/os-release"))
        }
        let values = OSReleaseCollector.parse(bytes)
        context.out.add("node_os_info", OSReleaseCollector.infoLabels.map { ($0.1, values[$0.0] ?? "") }, 1)
        let versionLabels = [
            ("id", values["ID"] ?? ""), ("id_like", values["ID_LIKE"] ?? ""), ("name", values["NAME"] ?? ""),
        ]
        context.out.add("node_os_version", versionLabels, OSReleaseCollector.version(values["VERSION_ID"] ?? ""))
    }

    /// Parses os-release's shell-like `KEY=value` lines (values may be quoted with `"` or `'`, with `\` escapes).
    static func parse(_ bytes: ArraySlice<UInt8>) -> [String: String] {
        var out: [String: String] = [:]
        for line in ByteLines(bytes) {
            let text = ProcBytes.string(line).trimmingSpaces()
            if text.isEmpty || text.hasPrefix("#") { continue }
            guard let eq = text.firstIndex(of: "=") else { continue }
            let key = String(text[..<eq])
            var raw = Substring(text[text.index(after: eq)...])
            var value = ""
            if let quote = raw.first, quote == "\"" || quote == "'" {
                raw = raw.dropFirst()
                var escaped = false
                for ch in raw {
                    if escaped { value.append(ch); escaped = false; continue }
                    if ch == "\\" && quote == "\"" { escaped = true; continue }
                    if ch == quote { break }
                    value.append(ch)
                }
            } else {
                value = String(raw)
            }
            out[key] = value
        }
        return out
    }

    /// node_exporter's version number: the leading `^[0-9]+\.?[0-9]*` of `VERSION_ID` as a float, else 0.
    static func version(_ versionID: String) -> Double {
        var digits = ""
        var seenDot = false
        for ch in versionID {
            if ch.isASCII && ch.isNumber {
                digits.append(ch)
            } else if ch == "." && !seenDot && !digits.isEmpty {
                seenDot = true
                digits.append(ch)
            } else {
                break
            }
        }
        if digits.hasSuffix(".") { digits.removeLast() }
        return Double(digits) ?? 0
    }
}
