/// Command-line parsing for `vigil logs analyze`, so the CLI only forwards its arguments.
extension LogsAnalyzeCommand {
    /// The usage text.
    public static let usage = """
        usage: vigil logs analyze [--header auto|none|LAYOUT] [--per-line] [--format text|json] FILE...
          FILE            a log file, or - for standard input (the default when no FILE is given)
          --header        auto (default): split off a header layout shared by nearly all lines;
                          none: every line is content; or a layout name (klog, syslog, iso-level-component,
                          iso-level, iso, dmesg, level) or an RE2 pattern matched at the start of each line
          --per-line      after reading all input, print each line's final template in order as
                          line number<TAB>template id<TAB>template
          --format json   machine-readable output
        """

    /// Runs `vigil logs analyze` from its arguments (everything after `analyze`).
    public static func run(arguments: [String], stdin: () -> [UInt8]) throws -> String {
        var paths: [String] = []
        var header = "auto"
        var perLine = false
        var json = false
        var i = 0
        func value(_ flag: String) throws -> String {
            i += 1
            guard i < arguments.count else { throw LogsError.badArgument(flag, reason: "needs a value") }
            return arguments[i]
        }
        while i < arguments.count {
            let a = arguments[i]
            switch a {
            case "--header": header = try value(a)
            case "--per-line": perLine = true
            case "--format":
                let f = try value(a)
                guard f == "json" || f == "text" else {
                    throw LogsError.badArgument(f, reason: "format is text or json")
                }
                json = f == "json"
            default:
                if let v = a.split(separator: "=", maxSplits: 1).last, a.hasPrefix("--header=") {
                    header = String(v)
                } else if a.hasPrefix("--format=") {
                    let f = String(a.dropFirst("--format=".count))
                    guard f == "json" || f == "text" else {
                        throw LogsError.badArgument(f, reason: "format is text or json")
                    }
                    json = f == "json"
                } else if a.hasPrefix("--") {
                    throw LogsError.badArgument(a, reason: "unknown flag")
                } else {
                    paths.append(a)
                }
            }
            i += 1
        }
        return try run(paths: paths, header: header, perLine: perLine, json: json, stdin: stdin)
    }
}
