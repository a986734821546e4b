import Foundation
import VigilCollect
import VigilCore
import VigilNotify

/// Vigil's whole configuration file: Prometheus's keys with their meaning plus Vigil's own sections.
///
/// Every key Prometheus 2.42–3.x knows and every Vigil section parses; keys whose feature is not built yet
/// load with a `ConfigWarning` naming key and line. A key in neither is an error with file, line and column.
public struct VigilConfiguration: Sendable {
    /// The file it came from (`<embedded default>` for the built-in one).
    public var file: String
    /// The directory relative paths (rule files) resolve against.
    public var baseDirectory: String
    /// The source text.
    public var text: String

    /// `global`.
    public var global = GlobalConfiguration()
    /// The raw `global` node, for parsers that read scrape defaults from it.
    public var globalNode: YAMLNode?
    /// `scrape_configs`, parsed by the scrape configuration parser with the global defaults.
    public var scrapeConfigs: [ScrapeConfig] = []
    /// `rule_files` patterns as written.
    public var ruleFilePatterns: [String] = []
    /// `rule_packs`: built-in rule packs to load.
    public var rulePacks: [String] = []
    /// `storage`.
    public var storage = StorageConfiguration()
    /// `query`.
    public var query = QueryConfiguration()
    /// `collectors`.
    public var collectors = CollectorsConfiguration()
    /// `notify` (Alertmanager's shape), parsed by the notify configuration parser; nil when absent.
    public var notify: NotifyConfiguration?
    /// Warnings about keys that parse but whose feature is not built yet.
    public var warnings: [ConfigWarning] = []

    /// The name used for the embedded default configuration.
    public static let embeddedFileName = "<embedded default>"

    init(file: String, text: String) {
        self.file = file
        self.text = text
        let dir = (file as NSString).deletingLastPathComponent
        baseDirectory = dir.isEmpty ? "." : dir
    }

    /// Reads and parses the file at `path`.
    public static func load(path: String) throws(ServerError) -> VigilConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ServerError.unreadable(path: path, message: (error as NSError).localizedDescription)
        }
        return try parse(text: text, file: path)
    }

    /// The built-in configuration with the self-scrape target set to `listen`.
    public static func embeddedDefault(listen: String) -> VigilConfiguration {
        let text = EmbeddedResources.defaultConfigTemplate.replacingOccurrences(of: "{{listen}}", with: listen)
        do {
            return try parse(text: text, file: embeddedFileName)
        } catch {
            preconditionFailure("the embedded default configuration does not parse: \(error)")
        }
    }

    /// Parses configuration text; `file` names it in errors and anchors relative paths.
    public static func parse(text: String, file: String) throws(ServerError) -> VigilConfiguration {
        var config = VigilConfiguration(file: file, text: text)
        var parser = ConfigParser(file: file)
        let root: YAMLNode
        do {
            root = try YAMLParser.parse(text, file: file)
        } catch {
            throw ServerError.config([error])
        }
        parser.parse(root, into: &config)
        if !parser.errors.isEmpty { throw ServerError.config(inFileOrder(parser.errors)) }
        config.warnings = inFileOrder(parser.warnings)
        return config
    }

    /// Messages sorted by line and column (stable, so messages without a position keep their place at the end).
    static func inFileOrder<T>(_ items: [T]) -> [T] where T: CustomStringConvertible {
        func key(_ item: T) -> (Int, Int) {
            let mark = (item as? ConfigError)?.mark ?? (item as? ConfigWarning)?.mark
            return (mark?.line ?? Int.max, mark?.column ?? Int.max)
        }
        return items.enumerated().sorted { a, b in
            let (ka, kb) = (key(a.element), key(b.element))
            return ka != kb ? ka < kb : a.offset < b.offset
        }.map(\.element)
    }

    /// The rule files the patterns name, relative patterns resolved against the config file's directory, in order.
    public func ruleFiles() -> [String] {
        var out: [String] = []
        for pattern in ruleFilePatterns {
            let full = resolve(pattern)
            for path in Self.glob(full) where !out.contains(path) { out.append(path) }
        }
        return out
    }

    /// `path` relative to the config file's directory, as Go's `filepath.Join(dir, path)` spells it.
    public func resolve(_ path: String) -> String {
        if path.hasPrefix("/") || baseDirectory == "." { return path }
        return baseDirectory + "/" + path
    }

    static func glob(_ pattern: String) -> [String] {
        var g = glob_t()
        defer { globfree(&g) }
        guard Glibc.glob(pattern, 0, nil, &g) == 0 else { return [] }
        var out: [String] = []
        for i in 0..<Int(g.gl_pathc) {
            if let p = g.gl_pathv[i] { out.append(String(cString: p)) }
        }
        return out.sorted()
    }
}
