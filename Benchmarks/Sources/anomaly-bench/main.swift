// Per-sample update time and resident state of the default anomaly ensemble over many series:
// anomaly-bench [series] [samples per series] [step seconds] (defaults 100000 200 3600).
import Foundation
#if canImport(VigilAnomaly)
import VigilAnomaly
#endif

func residentBytes() -> Int {
    let text = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? "0 0"
    let pages = Int(text.split(separator: " ")[1]) ?? 0
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

let args = CommandLine.arguments
let seriesCount = args.count > 1 ? Int(args[1]) ?? 100_000 : 100_000
let samples = args.count > 2 ? Int(args[2]) ?? 200 : 200
let step = args.count > 3 ? Double(args[3]) ?? 3600 : 3600

let before = residentBytes()
var detectors = [AnomalyDetector](repeating: AnomalyDetector(), count: seriesCount)
var checksum = 0.0
let start = DispatchTime.now().uptimeNanoseconds
for t in 0..<samples {
    let time = 1_400_000_000 + Double(t) * step
    for s in 0..<seriesCount {
        // Deterministic per-series noise with a daily cycle on every other series.
        let x = Double((t &* 2_654_435_761 &+ s &* 40_503) & 1023) / 1024.0
        let season = s & 1 == 0 ? 10 * sin(2 * Double.pi * time / 86_400) : 0
        checksum += detectors[s].update(time: time, value: 100 + season + x)
    }
}
let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
let after = residentBytes()
let updates = Double(seriesCount * samples)
let declared = detectors.reduce(0) { $0 + $1.stateBytes } / seriesCount
print("series \(seriesCount) samples/series \(samples) step \(Int(step))s")
print(String(format: "update: %.3f us/sample (%.0f samples)", elapsed / updates / 1000, updates))
print("state: \((after - before) / seriesCount) bytes/series resident, \(declared) bytes/series declared")
print("checksum \(checksum)")
