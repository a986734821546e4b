import VigilCore
import VigilQuery

/// `vigil check rules F…`: promtool-like report of each rule file.
public enum RuleChecker {
    /// Checks each file; `ok` is false when any file has an error (the CLI then exits 1).
    public static func check(files: [String],
                             parseExpr: @escaping RuleFileLoader.ExprParser = { q throws(ParseError) in
                                 try QueryEngine.parse(q)
                             }) -> (output: String, ok: Bool) {
        var out = ""
        var ok = true
        for f in files {
            out += "Checking \(f)\n"
            do {
                let loaded = try RuleFileLoader.load(path: f, parseExpr: parseExpr)
                let n = loaded.groups.reduce(0) { $0 + $1.rules.count }
                for w in loaded.warnings { out += "  WARNING: \(w.description)\n" }
                out += "  SUCCESS: \(n) rules found\n"
            } catch {
                ok = false
                out += "  FAILED:\n"
                for e in error.errors { out += e.description + "\n" }
            }
            out += "\n"
        }
        return (out, ok)
    }
}
