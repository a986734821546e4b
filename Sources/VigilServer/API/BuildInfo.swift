/// What `vigil --version`, `vigil_build_info` and `/api/v1/status/buildinfo` report.
public enum BuildInfo {
    /// The release version.
    public static let version = "0.2.0"
    /// The source revision (not stamped by plain `swift build`).
    public static let revision = "unknown"
    /// The branch the binary was built from (not stamped by plain `swift build`).
    public static let branch = "unknown"
    /// The Swift compiler version.
    public static var swiftVersion: String {
        #if compiler(>=6.3)
        "swift6.3"
        #elseif compiler(>=6.2)
        "swift6.2"
        #elseif compiler(>=6.1)
        "swift6.1"
        #else
        "swift6.0"
        #endif
    }

    /// `vigil, version 0.2.0 (branch: …, revision: …)` in promtool's layout.
    public static var versionText: String {
        "vigil, version \(version) (branch: \(branch), revision: \(revision))\n  build user:       \n"
            + "  build date:       \n  swift version:    \(swiftVersion)\n  platform:         linux\n"
    }
}
