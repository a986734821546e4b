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
                let dups = duplicates(loaded.groups)
                if !dups.isEmpty {
                    // promtool's default `duplicate-rules` lint, which does not fail the check either.
                    out += "  WARNING: lint error \(dups.count) duplicate rule(s) found.\n"
                    for d in dups {
                        out += "Metric: \(d.name)\nLabel(s):\n"
                        for l in d.labels.pairs { out += "\t\(l.name): \(l.value)\n" }
                    }
                    out += "Might cause inconsistency while recording expressions\n"
                }
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

    /// Rules that share a name and labels with another rule of the file, each listed once, sorted.
    static func duplicates(_ groups: [RuleGroup]) -> [(name: String, labels: Labels)] {
        let all = groups.flatMap(\.rules).map { (name: $0.name, labels: $0.rawLabels) }.sorted {
            $0.name != $1.name ? $0.name < $1.name : $0.labels < $1.labels
        }
        var out: [(name: String, labels: Labels)] = []
        for (a, b) in zip(all, all.dropFirst()) where a.name == b.name && a.labels == b.labels {
            if let last = out.last, last.name == b.name && last.labels == b.labels { continue }
            out.append(b)
        }
        return out
    }
}
