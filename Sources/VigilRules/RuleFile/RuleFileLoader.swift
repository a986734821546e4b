import Foundation
import VigilCore
import VigilQuery

/// The groups of a loaded rule file and the warnings about them.
public struct LoadedRuleFile: Sendable {
    /// The groups in file order.
    public var groups: [RuleGroup]
    /// Problems that do not stop loading (such as `$value` in alert labels).
    public var warnings: [ConfigWarning]

    public init(groups: [RuleGroup] = [], warnings: [ConfigWarning] = []) {
        self.groups = groups
        self.warnings = warnings
    }
}

/// Every problem found in one or more rule files, each with file, line and column where known.
public struct RuleFileError: Error, Sendable, CustomStringConvertible {
    /// Every error, in file order.
    public var errors: [ConfigError]

    public init(_ errors: [ConfigError]) { self.errors = errors }

    /// One error per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Loads Prometheus rule files (`groups:` of recording and alerting rules), checking them as promtool does.
public enum RuleFileLoader {
    /// Parses PromQL for rule expressions; the default is the real parser.
    public typealias ExprParser = @Sendable (String) throws(ParseError) -> Expr

    /// The variables Prometheus predeclares in alert label and annotation templates.
    public static let templateVariables = ["$labels", "$externalLabels", "$externalURL", "$value"]

    /// The definitions Prometheus puts before every alert template (on the same line, so line numbers hold).
    public static let templateDefinitions = "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}"
        + "{{$externalURL := .ExternalURL}}{{$value := .Value}}"

    /// Compiles an alert label or annotation template exactly as Prometheus does: definitions first, named
    /// `__alert_<alertname>`. Render it with `AlertTemplateData`.
    public static func alertTemplate(_ text: String, alertName: String) throws(TemplateError) -> Template {
        try Template.parse(templateDefinitions + text, name: "__alert_" + alertName)
    }

    /// Reads and parses the rule file at `path`.
    public static func load(path: String,
                            parseExpr: @escaping ExprParser = { q throws(ParseError) in try QueryEngine.parse(q) })
        throws(RuleFileError) -> LoadedRuleFile
    {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "permission denied or not a regular file"
                : "no such file or directory"
            throw RuleFileError([ConfigError(file: path, mark: nil, message: "open \(path): \(reason)")])
        }
        return try parse(text: String(decoding: data, as: UTF8.self), file: path, parseExpr: parseExpr)
    }

    /// Reads several files; errors of all of them are reported together.
    public static func load(paths: [String],
                            parseExpr: @escaping ExprParser = { q throws(ParseError) in try QueryEngine.parse(q) })
        throws(RuleFileError) -> LoadedRuleFile
    {
        var out = LoadedRuleFile()
        var errors: [ConfigError] = []
        for p in paths {
            do {
                let f = try load(path: p, parseExpr: parseExpr)
                out.groups += f.groups
                out.warnings += f.warnings
            } catch {
                errors += error.errors
            }
        }
        if !errors.isEmpty { throw RuleFileError(errors) }
        return out
    }

    /// Parses rule file text; `file` names it in errors and in the groups.
    public static func parse(text: String, file: String,
                             parseExpr: @escaping ExprParser = { q throws(ParseError) in try QueryEngine.parse(q) })
        throws(RuleFileError) -> LoadedRuleFile
    {
        let root: YAMLNode
        do { root = try YAMLParser.parse(text, file: file) } catch { throw RuleFileError([error]) }
        var ctx = RuleFileContext(file: file, lines: text.split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init), parseExpr: parseExpr)
        ctx.readFile(root)
        if !ctx.errors.isEmpty { throw RuleFileError(ctx.errors) }
        return LoadedRuleFile(groups: ctx.groups, warnings: ctx.warnings)
    }

    /// True for a valid metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`).
    public static func isValidMetricName(_ s: String) -> Bool {
        guard !s.isEmpty else { return false }
        for (i, b) in s.utf8.enumerated() {
            let alpha = (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 || b == 58
            let digit = b >= 48 && b <= 57
            if !(alpha || (i > 0 && digit)) { return false }
        }
        return true
    }

    /// True for a valid label name (`[a-zA-Z_][a-zA-Z0-9_]*`).
    public static func isValidLabelName(_ s: String) -> Bool {
        !s.contains(":") && isValidMetricName(s)
    }
}

/// The state of one rule file parse: collects every error instead of stopping at the first.
struct RuleFileContext {
    let file: String
    let lines: [String]
    let parseExpr: RuleFileLoader.ExprParser
    var reader: YAMLReader { YAMLReader(file: file) }
    var errors: [ConfigError] = []
    var warnings: [ConfigWarning] = []
    var groups: [RuleGroup] = []

    init(file: String, lines: [String], parseExpr: @escaping RuleFileLoader.ExprParser) {
        self.file = file
        self.lines = lines
        self.parseExpr = parseExpr
    }

    mutating func fail(_ mark: SourceMark?, _ message: String) {
        errors.append(ConfigError(file: file, mark: mark, message: message))
    }

    mutating func attempt<T>(_ body: () throws(ConfigError) -> T) -> T? {
        do { return try body() } catch {
            errors.append(error)
            return nil
        }
    }

    mutating func readFile(_ root: YAMLNode) {
        let r = reader
        guard let top = attempt({ () throws(ConfigError) in
            try r.mapping(root, "type rulefmt.RuleGroups", allowed: ["groups"])
        }) else { return }
        guard let groupsNode = top.first(where: { $0.key == "groups" })?.value else { return }
        guard let items = attempt({ () throws(ConfigError) in try r.sequence(groupsNode, "groups") }) else {
            return
        }
        var seen: Set<String> = []
        for item in items {
            readGroup(item, seen: &seen)
        }
    }

    private mutating func readGroup(_ node: YAMLNode, seen: inout Set<String>) {
        let allowed: Set<String> = ["name", "interval", "query_offset", "limit", "labels", "rules"]
        let r = reader
        guard let entries = attempt({ () throws(ConfigError) in
            try r.mapping(node, "type rulefmt.RuleGroup", allowed: allowed)
        }) else { return }
        var group = RuleGroup(name: "", file: file, rules: [])
        var groupLabels = Labels()
        var rulesNode: YAMLNode?
        var nameMark = node.mark
        for e in entries where !e.value.isNull {
            switch e.key {
            case "name":
                nameMark = e.keyMark
                group.name = attempt({ () throws(ConfigError) in try r.string(e.value, "name") }) ?? ""
            case "interval":
                group.interval = attempt({ () throws(ConfigError) in try r.duration(e.value, "interval") })
            case "query_offset":
                group.queryOffset = attempt({ () throws(ConfigError) in try r.duration(e.value, "query_offset") })
            case "limit":
                group.limit = attempt({ () throws(ConfigError) in try r.int(e.value, "limit") }) ?? 0
            case "labels":
                groupLabels = readLabels(e.value, what: "group \"\(group.name)\"") ?? Labels()
            default:
                rulesNode = e.value
            }
        }
        if group.name.isEmpty {
            fail(nameMark, "Groupname must not be empty")
        } else if !seen.insert(group.name).inserted {
            fail(nameMark, "groupname: \"\(group.name)\" is repeated in the same file")
        }
        if let interval = group.interval, interval <= 0 {
            fail(node["interval"]?.mark, "group \"\(group.name)\": interval must be positive")
        }
        if let rulesNode, let items = attempt({ () throws(ConfigError) in try r.sequence(rulesNode, "rules") }) {
            for (i, item) in items.enumerated() {
                if let rule = readRule(item, index: i + 1, group: group.name, groupLabels: groupLabels) {
                    group.rules.append(rule)
                }
            }
        }
        groups.append(group)
    }

    private mutating func readLabels(_ node: YAMLNode, what: String) -> Labels? {
        let r = reader
        guard let entries = attempt({ () throws(ConfigError) in try r.mapping(node, "labels") }) else {
            return nil
        }
        var out: [Label] = []
        for e in entries {
            guard RuleFileLoader.isValidLabelName(e.key) else {
                fail(e.keyMark, "\(what): invalid label name: \(e.key)")
                continue
            }
            if let v = attempt({ () throws(ConfigError) in try r.string(e.value, "labels.\(e.key)") }) {
                out.append(Label(e.key, v))
            }
        }
        return Labels(out)
    }
}

extension RuleFileLoader {
    /// Expands `rule_files` patterns as Prometheus does: relative paths against `directory`, shell globs in the
    /// last path element, sorted matches; a pattern without matches yields nothing.
    public static func expand(patterns: [String], relativeTo directory: String) -> [String] {
        var out: [String] = []
        for p in patterns {
            let full = p.hasPrefix("/") || directory.isEmpty ? p : directory + "/" + p
            var g = glob_t()
            defer { globfree(&g) }
            guard glob(full, 0, nil, &g) == 0 else { continue }
            var matches: [String] = []
            for i in 0..<Int(g.gl_pathc) {
                if let c = g.gl_pathv[i] { matches.append(String(cString: c)) }
            }
            out += matches.sorted()
        }
        return out
    }
}
