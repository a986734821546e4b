import Foundation
import VigilCollect

/// Exposition parsing throughput: bytes and samples per second of CPU time of the one parsing thread (so a busy
/// machine does not skew it); wall-clock throughput is printed beside it.
enum ExpositionBenchmark {
    static func run(_ arguments: [String]) -> Int32 {
        var files: [String] = []
        var minMBps = 0.0
        var k = 0
        while k < arguments.count {
            if arguments[k] == "--min-mbps", k + 1 < arguments.count, let v = Double(arguments[k + 1]) {
                minMBps = v
                k += 2
                continue
            }
            files.append(arguments[k])
            k += 1
        }
        guard !files.isEmpty else {
            FileHandle.standardError.write(Data("exposition: no input files\n".utf8))
            return 2
        }
        var failed = false
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("exposition: cannot read \(file)\n".utf8))
                return 2
            }
            let bytes = Array(data)
            let name = (file as NSString).lastPathComponent
            let isOM = name.contains(".om") && String(decoding: bytes.suffix(7), as: UTF8.self).contains("# EOF")
            let format: ExpositionFormat = isOM ? .openMetrics : .prometheusText
            do {
                // cold: every parse starts empty; cached: a per-target series cache as the scraper keeps one.
                for cached in [false, true] {
                    let r = try measure(bytes, format: format, cache: cached ? ExpositionCache() : nil)
                    let mbps = Double(bytes.count) * Double(r.iterations) / r.cpuSeconds / 1e6
                    let sps = Double(r.samples) * Double(r.iterations) / r.cpuSeconds
                    let wallMBps = Double(bytes.count) * Double(r.iterations) / r.seconds / 1e6
                    print(String(
                        format: "exposition %@ format=%@ mode=%@ bytes=%d samples=%d iterations=%d MB/s=%.1f "
                            + "samples/s=%.0f wall_MB/s=%.1f",
                        name, isOM ? "openmetrics" : "text", cached ? "cached" : "cold", bytes.count, r.samples,
                        r.iterations, mbps, sps, wallMBps))
                    if !cached && mbps < minMBps { failed = true }
                }
            } catch {
                FileHandle.standardError.write(Data("exposition: \(name): \(error)\n".utf8))
                return 1
            }
        }
        return failed ? 1 : 0
    }

    /// Parses `bytes` repeatedly for at least two CPU seconds after a short warm-up.
    static func measure(_ bytes: [UInt8], format: ExpositionFormat, cache: ExpositionCache?) throws
        -> (iterations: Int, seconds: Double, cpuSeconds: Double, samples: Int)
    {
        var samples = 0
        for _ in 0..<3 { samples = try ExpositionParser.parse(bytes, format: format, cache: cache).samples.count }
        var iterations = 0
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = threadCPUSeconds()
        var elapsed = 0.0
        repeat {
            for _ in 0..<8 {
                let r = try ExpositionParser.parse(bytes, format: format, cache: cache)
                samples = r.samples.count
            }
            iterations += 8
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        } while threadCPUSeconds() - cpuStart < 2
        return (iterations, elapsed, threadCPUSeconds() - cpuStart, samples)
    }

    /// CPU seconds the calling thread has used.
    static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
