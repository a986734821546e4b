/// The grammar and help text of every `vigil` command.
public enum VigilCommands {
    /// `vigil run`.
    public static let run = CommandLineParser.Command(
        path: ["run"], valueFlags: ["config", "data", "listen", "log.level", "log.format", "web.threads"],
        boolFlags: [], minPositionals: 0, maxPositionals: 0,
        help: """
        usage: vigil run [--config F] [--data DIR] [--listen ADDR] [--log.level L] [--log.format F]

        Runs the server. Without --config it uses the embedded default, which monitors this host, scrapes
        Vigil itself and loads the built-in host rule pack.

          --config F        configuration file (default: the embedded default)
          --data DIR        data directory (default ./data)
          --listen ADDR     HTTP listen address (default 127.0.0.1:9470)
          --log.level L     trace, debug, info, warn or error (default info)
          --log.format F    logfmt or json (default logfmt)
          --web.threads N   HTTP worker threads (default 8)

        """)

    /// `vigil check config`.
    public static let checkConfig = CommandLineParser.Command(
        path: ["check", "config"], valueFlags: [], boolFlags: [], minPositionals: 1, maxPositionals: nil,
        help: """
        usage: vigil check config F...

        Checks configuration files and the rule files they reference. Prints every error as
        file:line:column and exits 1 when a file has a problem.

        """)

    /// `vigil check rules`.
    public static let checkRules = CommandLineParser.Command(
        path: ["check", "rules"], valueFlags: [], boolFlags: [], minPositionals: 1, maxPositionals: nil,
        help: """
        usage: vigil check rules F...

        Checks Prometheus rule files. Prints every error as file:line:column and exits 1 when a file has a
        problem.

        """)

    /// `vigil check` alone (help only).
    public static let check = CommandLineParser.Command(
        path: ["check"], valueFlags: [], boolFlags: [], minPositionals: 1, maxPositionals: 0,
        help: """
        usage: vigil check config F... | vigil check rules F...

        """)

    /// `vigil query`.
    public static let query = CommandLineParser.Command(
        path: ["query"], valueFlags: ["time", "server", "data", "start", "end", "step", "format"],
        boolFlags: ["range"], minPositionals: 1, maxPositionals: 1,
        help: """
        usage: vigil query EXPR [--time T] [--server URL] [--format text|json]
               vigil query --range [--start T] [--end T] [--step D] EXPR

        Runs a PromQL query against a running server and prints the result as promtool does.

          --server URL   the server (default http://127.0.0.1:9470)
          --time T       evaluation time, RFC 3339 or Unix seconds (default now)
          --range        a range query; --start (default --end minus 5m), --end (default now),
                         --step (default (end-start)/250, at least 1s)
          --format F     text (default) or json (the server's raw JSON)
          --data DIR     query a data directory (needs the durable store; not supported yet)

        """)

    /// `vigil import`.
    public static let importData = CommandLineParser.Command(
        path: ["import"], valueFlags: ["data"], boolFlags: [], minPositionals: 1, maxPositionals: 1,
        help: """
        usage: vigil import F [--data DIR]

        Backfills an OpenMetrics text file (the input of `promtool tsdb create-blocks-from openmetrics`:
        samples with timestamps, ending in `# EOF`) into blocks of the data directory. Shows progress on a
        terminal. Imported history is kept by time retention counted back from the newest sample.

          --data DIR     data directory (default ./data); a running server sees the blocks after a restart

        """)

    /// `vigil test rules`.
    public static let testRules = CommandLineParser.Command(
        path: ["test", "rules"], valueFlags: [], boolFlags: [], minPositionals: 1, maxPositionals: nil,
        help: """
        usage: vigil test rules F...

        Runs rule unit tests in promtool's test-file format and prints promtool-like results; exits 1 when a
        test fails.

        """)

    /// `vigil test` alone (help only).
    public static let test = CommandLineParser.Command(
        path: ["test"], valueFlags: [], boolFlags: [], minPositionals: 1, maxPositionals: 0,
        help: """
        usage: vigil test rules F...

        """)

    /// `vigil detect`.
    public static let detect = CommandLineParser.Command(
        path: ["detect"], valueFlags: [], boolFlags: [], minPositionals: 1, maxPositionals: 1,
        help: """
        usage: vigil detect F.csv

        Scores a two-column CSV (`timestamp,value`, NAB's layout, or a number in place of the timestamp) with
        the default anomaly ensemble and prints `timestamp,value,anomaly_score`, one row per input row in order,
        the timestamp copied verbatim and the score in [0, 1]. Use `-` to read standard input.

        """)

    /// `vigil logs analyze`.
    public static let logsAnalyze = CommandLineParser.Command(
        path: ["logs", "analyze"], valueFlags: ["header", "format"], boolFlags: ["per-line"], minPositionals: 0,
        maxPositionals: nil,
        help: """
        usage: vigil logs analyze [--header auto|none|LAYOUT] [--per-line] [--format text|json] FILE...

        Mines the templates of log files (or standard input: `-`, the default without FILE) and prints them with
        counts, new or rare templates, bursts and recognised failures with plain-language summaries.

          --header H     auto (default): split off a header layout shared by nearly all lines; none: every line
                         is content; or a named layout / RE2 pattern
          --per-line     after reading all input, print each line's final template:
                         line number<TAB>template id<TAB>template
          --format F     text (default) or json

        """)

    /// `vigil logs` alone (help only).
    public static let logs = CommandLineParser.Command(
        path: ["logs"], valueFlags: [], boolFlags: [], minPositionals: 1, maxPositionals: 0,
        help: """
        usage: vigil logs analyze FILE...

        """)

    /// `vigil version`.
    public static let version = CommandLineParser.Command(
        path: ["version"], valueFlags: [], boolFlags: [], minPositionals: 0, maxPositionals: 0,
        help: "usage: vigil --version\n")

    /// Every command.
    public static let all = [
        run, checkConfig, checkRules, check, query, importData, testRules, test, detect, logsAnalyze, logs, version,
    ]

    /// `vigil --help`.
    public static let topHelp = """
    usage: vigil <command> [flags]

    Commands:
      run              run the server (embedded default config without --config)
      check config F   validate configuration files
      check rules F    validate rule files
      query EXPR       run a PromQL query against a running server
      import F         backfill an OpenMetrics file into the data directory
      test rules F     run rule unit tests (promtool's format)
      detect F.csv     anomaly scores of a timestamp,value series
      logs analyze F   templates, bursts and recognised failures of log files

    Flags:
      --help           help for any command
      --version        print the version

    """
}
