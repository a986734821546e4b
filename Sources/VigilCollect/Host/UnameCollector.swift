import Glibc

/// `node_uname_info{sysname,release,version,machine,nodename,domainname}` from `uname(2)`.
final class UnameCollector: HostFamilyCollector {
    let name = "uname"

    func collect(_ context: inout HostCollectContext) throws(HostCollectorError) {
        var u = utsname()
        guard uname(&u) == 0 else { throw .syscall(name: "uname", errno: errno) }
        func text<T>(_ field: inout T) -> String {
            withUnsafeBytes(of: &field) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        }
        context.out.add("node_uname_info", [
            ("sysname", text(&u.sysname)), ("release", text(&u.release)), ("version", text(&u.version)),
            ("machine", text(&u.machine)), ("nodename", text(&u.nodename)), ("domainname", text(&u.__domainname)),
        ], 1)
    }
}
