import Foundation
import VigilLogs
import VigilServer

/// `vigil logs analyze F…`: one-shot log analysis.
enum LogsCLI {
    static func analyze(_ inv: CommandLineParser.Invocation) -> Int32 {
        let format = inv.flag("format") ?? "text"
        guard format == "text" || format == "json" else {
            Console.error("vigil logs analyze: --format must be text or json, got \"\(format)\"")
            return 2
        }
        do {
            let out = try LogsAnalyzeCommand.run(
                paths: inv.positionals.isEmpty ? ["-"] : inv.positionals, header: inv.flag("header") ?? "auto",
                perLine: inv.flag("per-line") == "true", json: format == "json",
                stdin: { Array(FileHandle.standardInput.readDataToEndOfFile()) })
            Console.out(out)
            return 0
        } catch {
            Console.error("vigil logs analyze: \(error)")
            return 1
        }
    }
}
