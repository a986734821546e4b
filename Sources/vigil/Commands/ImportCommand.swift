import Foundation
import VigilCore
import VigilServer
import VigilStorage

/// `vigil import F [--data DIR]`: backfills OpenMetrics text into blocks of the data directory.
enum ImportCommand {
    static func execute(_ inv: CommandLineParser.Invocation) -> Int32 {
        let file = inv.positionals[0]
        let data = inv.flag("data") ?? "./data"
        let terminal = isatty(2) == 1
        var last = -1
        let started = Timestamp.monotonicSeconds()
        do {
            let report = try OpenMetricsImporter.importFile(file, dataDirectory: data, logger: Logger(level: .warning))
            { fraction in
                guard terminal else { return }
                let percent = Int(fraction * 100)
                guard percent != last else { return }
                last = percent
                let width = 40
                let filled = width * percent / 100
                let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                Console.progress("\rimporting [\(bar)] \(percent)%")
            }
            if terminal { Console.progress("\n") }
            let seconds = Timestamp.monotonicSeconds() - started
            Console.out("imported \(report.samples) samples of \(report.series) series into \(report.blocks) blocks "
                        + "in \(data) (\(String(format: "%.1f", seconds))s)"
                        + (report.duplicates > 0 ? "; \(report.duplicates) duplicate timestamps dropped" : ""))
            return 0
        } catch {
            if terminal { Console.progress("\n") }
            Console.error("vigil import: \(error)")
            return 1
        }
    }
}
