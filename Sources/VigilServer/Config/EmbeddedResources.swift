/// Files embedded in the binary at build time (SwiftPM `.embedInCode("Embedded")`): no lookup at run time,
/// so `vigil` runs from any directory.
///
/// `Embedded/rules` is a symlink to the repository's `rules/`, the single source of the built-in rule packs.
public enum EmbeddedResources {
    /// The default configuration (`Embedded/default.yml`) with `{{listen}}` still in it.
    public static var defaultConfigTemplate: String {
        String(decoding: PackageResources.default_yml, as: UTF8.self)
    }

    /// The names of the built-in rule packs.
    public static let rulePackNames: [String] = ["host"]

    /// The source text of built-in rule pack `name` (the file `rules/<name>.yml`), or nil for an unknown name.
    public static func rulePack(_ name: String) -> String? {
        switch name {
        case "host": hostRulePack
        default: nil
        }
    }

    /// `rules/host.yml`.
    static var hostRulePack: String { String(decoding: PackageResources.host_yml, as: UTF8.self) }
}
