import Foundation
import VigilCollect

/// `vigil-bench <benchmark> [args]`: micro-benchmarks of Vigil's hot paths, run from release builds.
let usage = """
    usage: vigil-bench exposition [--min-mbps N] FILE...
      exposition   parse each FILE (OpenMetrics when it ends with "# EOF" and is named *.om*, else text 0.0.4)
                   on one core for at least 2 s; print MB/s and samples/s; exit 1 below --min-mbps
    """

var args = Array(CommandLine.arguments.dropFirst())
guard let command = args.first else {
    FileHandle.standardError.write(Data((usage + "\n").utf8))
    exit(2)
}
args.removeFirst()

switch command {
case "exposition":
    exit(ExpositionBenchmark.run(args))
default:
    FileHandle.standardError.write(Data("unknown benchmark \"\(command)\"\n\(usage)\n".utf8))
    exit(2)
}
