/// Typed reads from `YAMLNode`s that throw `ConfigError`s naming the file, line and column.
public struct YAMLReader: Sendable {
    public let file: String

    public init(file: String) { self.file = file }

    public func error(_ node: YAMLNode?, _ message: String) -> ConfigError {
        ConfigError(file: file, mark: node?.mark, message: message)
    }

    /// The entries of a mapping; rejects keys outside `allowed` when given.
    public func mapping(_ node: YAMLNode, _ what: String, allowed: Set<String>? = nil) throws(ConfigError)
        -> [(key: String, keyMark: SourceMark, value: YAMLNode)]
    {
        if node.isNull { return [] }
        guard let entries = node.entries else {
            throw error(node, "\(what): expected a mapping, got a \(node.kindName)")
        }
        var seen: Set<String> = []
        for e in entries {
            if let allowed, !allowed.contains(e.key) {
                throw ConfigError(file: file, mark: e.keyMark, message: "field \(e.key) not found in \(what)")
            }
            if !seen.insert(e.key).inserted {
                throw ConfigError(file: file, mark: e.keyMark, message: "duplicate key \"\(e.key)\" in \(what)")
            }
        }
        return entries
    }

    public func sequence(_ node: YAMLNode, _ what: String) throws(ConfigError) -> [YAMLNode] {
        if node.isNull { return [] }
        guard let items = node.items else {
            throw error(node, "\(what): expected a list, got a \(node.kindName)")
        }
        return items
    }

    public func string(_ node: YAMLNode, _ what: String) throws(ConfigError) -> String {
        guard let s = node.scalar else { throw error(node, "\(what): expected a string, got a \(node.kindName)") }
        if node.isNull { return "" }
        return s
    }

    public func strings(_ node: YAMLNode, _ what: String) throws(ConfigError) -> [String] {
        var out: [String] = []
        for item in try sequence(node, what) { out.append(try string(item, what)) }
        return out
    }

    public func stringMap(_ node: YAMLNode, _ what: String) throws(ConfigError) -> [String: String] {
        var out: [String: String] = [:]
        for e in try mapping(node, what) { out[e.key] = try string(e.value, "\(what).\(e.key)") }
        return out
    }

    public func bool(_ node: YAMLNode, _ what: String) throws(ConfigError) -> Bool {
        switch node.scalar {
        case "true", "True", "TRUE", "yes", "on": return true
        case "false", "False", "FALSE", "no", "off": return false
        default: throw error(node, "\(what): cannot unmarshal \(quoted(node)) into bool")
        }
    }

    public func int(_ node: YAMLNode, _ what: String) throws(ConfigError) -> Int {
        guard let s = node.scalar, let v = Int(s) else {
            throw error(node, "\(what): cannot unmarshal \(quoted(node)) into int")
        }
        return v
    }

    public func double(_ node: YAMLNode, _ what: String) throws(ConfigError) -> Double {
        guard let s = node.scalar, let v = Double(s) else {
            throw error(node, "\(what): cannot unmarshal \(quoted(node)) into float")
        }
        return v
    }

    /// A Prometheus duration in milliseconds.
    public func duration(_ node: YAMLNode, _ what: String) throws(ConfigError) -> Int64 {
        guard let s = node.scalar else { throw error(node, "\(what): expected a duration, got a \(node.kindName)") }
        do {
            return try PromDuration.parse(s)
        } catch {
            throw self.error(node, "\(what): not a valid duration string: \"\(s)\"")
        }
    }

    private func quoted(_ node: YAMLNode) -> String {
        if let s = node.scalar { return "\"\(s)\"" }
        return "a \(node.kindName)"
    }
}
