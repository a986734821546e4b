// Standalone NAB runner for tuning the default ensemble (compiled by nab.sh with swiftc, outside SwiftPM).
import Foundation

let root = URL(fileURLWithPath: CommandLine.arguments.count > 1 ? CommandLine.arguments[1]
               : "/work/shared/corpus/nab")
let env = ProcessInfo.processInfo.environment
var config = EnsembleConfig()
func set(_ key: String, _ apply: (Double) -> Void) { if let v = env[key].flatMap(Double.init) { apply(v) } }
set("W") { config.window = Int($0) }
set("ZSTART") { config.zStart = $0 }
set("ZSPAN") { config.zSpan = $0 }
set("CUSUM") { config.cusumLevel = $0 }
set("COOL") { config.cooldown = Int($0) }
set("DAMP") { config.cooldownDamping = $0 }
set("LIKW") { config.likelihoodWeight = $0 }
set("EVENT") { config.eventLevel = $0 }
set("NHL") { config.noveltyHalfLife = Int($0) }
set("NDAMP") { config.noveltyDamping = $0 }
set("LSF") { config.longScaleFloor = $0 }
set("LSR") { config.longScaleRate = $0 }
set("LSA") { config.likelihoodShortAlpha = $0 }
set("LLA") { config.likelihoodLongAlpha = $0 }
set("RT") { config.rangeTolerance = $0 }
set("RS") { config.rangeScore = $0 }
set("RW") { config.rangeWarmup = Int($0) }
set("SHIFTZ") { config.shiftZ = $0 }

let windows = try NABCorpus.windows(root: root)
var files: [NABScorer.File] = []
for key in windows.keys.sorted() {
    let rows = try NABCorpus.rows(root.appendingPathComponent("data/\(key)"))
    var detector = AnomalyDetector(config: config)
    let scores = rows.map {
        detector.update(time: TimestampParser.seconds(String($0[0])), value: Double($0[1]) ?? .nan)
    }
    files.append(NABScorer.File(name: key, timestamps: rows.map { String($0[0]) }, scores: scores,
                                windows: windows[key] ?? []))
}
let scorer = NABScorer()
for p in NABScorer.standardProfiles {
    let r = scorer.score(files, profile: p)
    print(p.name, String(format: "%.2f", r.normalized), "thr", String(format: "%.4f", r.threshold),
          "detected", r.detectedWindows, "/", r.windows, "fp", r.falsePositives)
    if p.name == "standard" && env["VERBOSE"] != nil {
        for f in files {
            let one = scorer.score([f], profile: p)
            let fp = scorer.falsePositives(f, threshold: r.threshold, profile: p)
            let det = f.scores.enumerated().filter { $0.element >= r.threshold }.count
            if let want = env["FILE"], f.name.contains(want) {
                let idx = Dictionary(f.timestamps.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
                let spans = f.windows.map { (idx[$0.start] ?? -1, idx[$0.end] ?? -1) }
                print("    n", f.timestamps.count, "windows", spans)
                for (i, s) in f.scores.enumerated() where s >= r.threshold {
                    print("    det", i, String(format: "%.3f", s))
                }
            }
            if env["WIN"] != nil {
                let idx = Dictionary(f.timestamps.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
                for w in f.windows {
                    let a = idx[w.start] ?? 0, b = idx[w.end] ?? 0
                    let m = f.scores[a...b].enumerated().max { $0.element < $1.element }!
                    let before = f.scores[max(0, a - 300)..<a].max() ?? 0
                    print("    win", a, b, "max", String(format: "%.3f", m.element), "at +\(m.offset)",
                          "maxBefore", String(format: "%.3f", before), m.element >= r.threshold ? "HIT" : "MISS")
                }
            }
            print("  ", f.name, "windows", f.windows.count, "fp", fp, "det", det, String(format: "%.2f", one.raw))
        }
    }
}
