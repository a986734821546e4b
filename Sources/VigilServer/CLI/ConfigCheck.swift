import Foundation
import VigilCore
import VigilRules

/// `vigil check config` and `vigil check rules` as functions: promtool's output layout and exit codes
/// (0 when every file is fine, 1 when a file has a problem).
public enum ConfigCheck {
    /// The outcome: what to print on stdout and stderr, and the exit code.
    public struct Report: Sendable {
        /// Lines for standard output.
        public var output: String = ""
        /// Lines for standard error (errors).
        public var errors: String = ""
        /// 0 or 1.
        public var exitCode: Int32 = 0
    }

    /// Checks each configuration file and the rule files it references.
    public static func configs(_ paths: [String]) -> Report {
        var report = Report()
        for path in paths {
            report.output += "Checking \(path)\n"
            let config: VigilConfiguration
            do {
                config = try VigilConfiguration.load(path: path)
            } catch {
                report.exitCode = 1
                for line in lines(of: error) { report.errors += "  FAILED: \(line)\n" }
                report.output += "\n"
                continue
            }
            for w in config.warnings { report.output += "  WARNING: \(w)\n" }
            var ruleFiles = config.ruleFiles()
            for pattern in config.ruleFilePatterns where !pattern.contains(where: { "*?[".contains($0) }) {
                let full = config.resolve(pattern)
                if !ruleFiles.contains(full) {
                    report.errors += "  FAILED: \(config.file): rule file \"\(pattern)\" does not exist\n"
                    report.exitCode = 1
                }
            }
            ruleFiles.sort()
            report.output += "  SUCCESS: \(ruleFiles.count) rule files found\n"
            report.output += " SUCCESS: \(path) is valid vigil config file syntax\n\n"
            if !ruleFiles.isEmpty {
                let r = rules(ruleFiles)
                report.output += r.output
                report.errors += r.errors
                report.exitCode = max(report.exitCode, r.exitCode)
            }
        }
        return report
    }

    /// Checks rule files with the rules area's checker.
    public static func rules(_ paths: [String]) -> Report {
        let (output, ok) = RuleChecker.check(files: paths)
        return Report(output: output, errors: "", exitCode: ok ? 0 : 1)
    }

    static func lines(of error: ServerError) -> [String] {
        if case .config(let errors) = error { return errors.map(\.description) }
        return [error.description]
    }
}
