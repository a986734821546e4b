import Foundation
import VigilCore

/// Calls the rules area's rule-file checker for `vigil check rules` and `vigil check config`.
enum RuleCheckAdapter {
    /// What checking one rule file found.
    struct Result: Sendable {
        var ruleCount = 0
        var errors: [ConfigError] = []
        var warnings: [ConfigWarning] = []
    }

    /// Checks one rule file.
    static func check(path: String) -> Result {
        var result = Result()
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            result.errors.append(ConfigError(file: path, mark: nil, message: "cannot read file: \(error.localizedDescription)"))
            return result
        }
        // Until the rules area's checker is merged: YAML syntax and the count of rules only.
        do {
            let root = try YAMLParser.parse(text, file: path)
            for group in root["groups"]?.items ?? [] { result.ruleCount += group["rules"]?.items?.count ?? 0 }
        } catch {
            result.errors.append(error)
        }
        return result
    }
}
