// Throughput of VigilLogs' template miner on one core: compiled by bench.sh with `swiftc -O -wmo` together
// with Sources/VigilLogs/Mining/*.swift and LogsError.swift (the miner needs nothing beyond the standard library).
import Foundation

let args = CommandLine.arguments
guard args.count >= 3, let total = Int(args[2]) else {
    FileHandle.standardError.write(Data("usage: miner-bench FILE LINES\n".utf8))
    exit(2)
}
let data = [UInt8](FileManager.default.contents(atPath: args[1]) ?? Data())
var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Array($0) }
if lines.last?.isEmpty == true { lines.removeLast() }
guard !lines.isEmpty else {
    FileHandle.standardError.write(Data("no lines in \(args[1])\n".utf8))
    exit(2)
}

func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

var miner = TemplateMiner()
var bytes = 0
let wallStart = Date()
let cpuStart = cpuSeconds()
for i in 0..<total {
    let line = lines[i % lines.count]
    bytes += line.count
    line.withUnsafeBufferPointer { _ = miner.learn($0) }
}
let cpu = cpuSeconds() - cpuStart
let wall = Date().timeIntervalSince(wallStart)
let rate = Double(total) / cpu
print(String(format: "vigil %d lines (%.0f MB) in %.2f CPU s (%.2f wall s): %.0f lines/s, %d templates",
             total, Double(bytes) / 1e6, cpu, wall, rate, miner.templateCount))
