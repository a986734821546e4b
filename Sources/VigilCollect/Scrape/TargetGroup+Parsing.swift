import Foundation
import VigilCore

extension TargetGroup {
    /// Why `target` cannot be a scrape address, or nil when it can.
    static func problem(target: String) -> String? {
        if target.isEmpty { return "target address is empty" }
        if target.contains("/") || target.contains(" ") {
            return "\"\(target)\" is not a valid hostname"
        }
        return nil
    }

    /// True for any non-empty name: Prometheus 3 accepts UTF-8 label names; `__` names only steer the scrape.
    static func isValidLabelName(_ name: String) -> Bool { !name.isEmpty }

    /// Parses a file_sd file: a list of `{targets: [...], labels: {...}}` in JSON (`.json`) or YAML.
    static func parseFile(_ path: String, contents: String) throws(ConfigError) -> [TargetGroup] {
        let reader = YAMLReader(file: path)
        let root: YAMLNode
        if path.hasSuffix(".json") {
            root = try jsonNode(contents, path: path)
        } else {
            root = try YAMLParser.parse(contents, file: path)
        }
        var groups: [TargetGroup] = []
        for (index, item) in try reader.sequence(root, "file_sd file").enumerated() {
            var group = TargetGroup(targets: [], source: "\(path):\(index)")
            for (key, _, value) in try reader.mapping(item, "target group", allowed: ["targets", "labels"]) {
                if key == "targets" {
                    for t in try reader.sequence(value, "targets") {
                        let target = try reader.string(t, "targets")
                        if let problem = problem(target: target) { throw reader.error(t, problem) }
                        group.targets.append(target)
                    }
                } else {
                    group.labels = Labels(try reader.stringMap(value, "labels"))
                }
            }
            groups.append(group)
        }
        return groups
    }

    /// JSON text as a YAMLNode tree (positions are not kept: JSON errors name the file only).
    private static func jsonNode(_ text: String, path: String) throws(ConfigError) -> YAMLNode {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            throw ConfigError(file: path, mark: nil, message: "invalid JSON: \(error.localizedDescription)")
        }
        let mark = SourceMark(line: 1, column: 1)
        func convert(_ value: Any) -> YAMLNode {
            switch value {
            case let a as [Any]: return .sequence(a.map(convert), mark)
            case let d as [String: Any]:
                return .mapping(d.keys.sorted().map { (key: .scalar($0, mark, plain: false), value: convert(d[$0]!)) },
                                mark)
            case let s as String: return .scalar(s, mark, plain: false)
            case is NSNull: return .scalar("", mark, plain: true)
            default: return .scalar("\(value)", mark, plain: true)
            }
        }
        return convert(object)
    }
}
