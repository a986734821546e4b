import CYAML

/// A position in a source file, 1-based.
public struct SourceMark: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public var description: String { "\(line):\(column)" }
}

/// A parsed YAML document node with its position, for config and rule files.
public indirect enum YAMLNode: Sendable {
    case scalar(String, SourceMark, plain: Bool)
    case sequence([YAMLNode], SourceMark)
    case mapping([(key: YAMLNode, value: YAMLNode)], SourceMark)

    /// Where the node starts.
    public var mark: SourceMark {
        switch self {
        case .scalar(_, let m, _), .sequence(_, let m), .mapping(_, let m): m
        }
    }

    /// The scalar text, or nil for collections.
    public var scalar: String? {
        if case .scalar(let s, _, _) = self { return s }
        return nil
    }

    /// True for `~`, `null` or an empty plain scalar.
    public var isNull: Bool {
        if case .scalar(let s, _, let plain) = self, plain {
            return s.isEmpty || s == "~" || s == "null" || s == "Null" || s == "NULL"
        }
        return false
    }

    /// Mapping entries with string keys, in document order.
    public var entries: [(key: String, keyMark: SourceMark, value: YAMLNode)]? {
        guard case .mapping(let pairs, _) = self else { return nil }
        return pairs.map { ($0.key.scalar ?? "", $0.key.mark, $0.value) }
    }

    /// The value under `key` in a mapping.
    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let pairs, _) = self else { return nil }
        return pairs.first { $0.key.scalar == key }?.value
    }

    /// Sequence items.
    public var items: [YAMLNode]? {
        if case .sequence(let items, _) = self { return items }
        return nil
    }

    /// A short name of the node kind for error messages.
    public var kindName: String {
        switch self {
        case .scalar: "scalar"
        case .sequence: "sequence"
        case .mapping: "mapping"
        }
    }
}

/// Parses YAML text with libyaml into `YAMLNode` documents.
public enum YAMLParser {
    /// Parses the first document of `text`; an empty document yields an empty mapping.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> YAMLNode {
        let docs = try parseAll(text, file: file)
        return docs.first ?? .mapping([], SourceMark(line: 1, column: 1))
    }

    /// Parses every document of `text`.
    public static func parseAll(_ text: String, file: String) throws(ConfigError) -> [YAMLNode] {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw ConfigError(file: file, mark: nil, message: "cannot initialise YAML parser")
        }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { (buf) throws(ConfigError) -> [YAMLNode] in
            yaml_parser_set_input_string(&parser, buf.baseAddress, buf.count)
            var builder = Builder(file: file)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    let m = SourceMark(line: Int(parser.problem_mark.line) + 1,
                                       column: Int(parser.problem_mark.column) + 1)
                    let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
                    let ctx = parser.context.map { String(cString: $0) + " " } ?? ""
                    throw ConfigError(file: file, mark: m, message: "yaml: \(ctx)\(problem)")
                }
                defer { yaml_event_delete(&event) }
                let done = event.type == YAML_STREAM_END_EVENT
                try builder.handle(&event)
                if done { break }
            }
            return builder.documents
        }
    }

    private struct Builder {
        let file: String
        var documents: [YAMLNode] = []
        var anchors: [String: YAMLNode] = [:]
        enum Frame {
            case seq([YAMLNode], SourceMark, String?)
            case map([(key: YAMLNode, value: YAMLNode)], YAMLNode?, SourceMark, String?)
        }
        var stack: [Frame] = []

        init(file: String) { self.file = file }

        mutating func add(_ node: YAMLNode) {
            guard let top = stack.popLast() else {
                documents.append(node)
                return
            }
            switch top {
            case .seq(var items, let m, let a):
                items.append(node)
                stack.append(.seq(items, m, a))
            case .map(var pairs, let pendingKey, let m, let a):
                if let k = pendingKey {
                    if case .scalar("<<", _, true) = k, case .mapping(let merged, _) = node {
                        for pair in merged where !pairs.contains(where: { $0.key.scalar == pair.key.scalar }) {
                            pairs.append(pair)
                        }
                    } else {
                        pairs.append((k, node))
                    }
                    stack.append(.map(pairs, nil, m, a))
                } else {
                    stack.append(.map(pairs, node, m, a))
                }
            }
        }

        mutating func handle(_ event: inout yaml_event_t) throws(ConfigError) {
            let mark = SourceMark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
            switch event.type {
            case YAML_SCALAR_EVENT:
                let s = event.data.scalar
                let value = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
                let plain = s.style == YAML_PLAIN_SCALAR_STYLE
                let node = YAMLNode.scalar(value, mark, plain: plain)
                if let a = s.anchor { anchors[String(cString: a)] = node }
                add(node)
            case YAML_SEQUENCE_START_EVENT:
                let a = event.data.sequence_start.anchor.map { String(cString: $0) }
                stack.append(.seq([], mark, a))
            case YAML_SEQUENCE_END_EVENT:
                if case .seq(let items, let m, let a)? = stack.popLast() {
                    let node = YAMLNode.sequence(items, m)
                    if let a { anchors[a] = node }
                    add(node)
                }
            case YAML_MAPPING_START_EVENT:
                let a = event.data.mapping_start.anchor.map { String(cString: $0) }
                stack.append(.map([], nil, mark, a))
            case YAML_MAPPING_END_EVENT:
                if case .map(let pairs, _, let m, let a)? = stack.popLast() {
                    let node = YAMLNode.mapping(pairs, m)
                    if let a { anchors[a] = node }
                    add(node)
                }
            case YAML_ALIAS_EVENT:
                let name = String(cString: event.data.alias.anchor)
                guard let node = anchors[name] else {
                    throw ConfigError(file: file, mark: mark, message: "yaml: unknown anchor \"\(name)\"")
                }
                add(node)
            default:
                break
            }
        }
    }
}
