import Foundation
import VigilAnomaly
import VigilServer

/// `vigil detect F.csv`: anomaly scores of one series, to standard output.
enum DetectCLI {
    static func execute(_ inv: CommandLineParser.Invocation) -> Int32 {
        let path = inv.positionals[0]
        do {
            if path == "-" {
                let data = FileHandle.standardInput.readDataToEndOfFile()
                Console.out(try DetectCommand.run(csvText: String(decoding: data, as: UTF8.self)))
            } else {
                Console.out(try DetectCommand.run(csvPath: path))
            }
            return 0
        } catch {
            Console.error("vigil detect: \(error)")
            return 1
        }
    }
}
