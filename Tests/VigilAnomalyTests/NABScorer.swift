import Foundation

/// NAB's scoring protocol (numenta/NAB `nab/sweeper.py`, `optimize_threshold.py`, `runner.normalize`):
/// anomaly windows, the scaled sigmoid, a probationary (unscored) first 15% of each file, one threshold
/// optimised over all scored files per profile and normalisation between the null and the perfect detector.
struct NABScorer {
    /// One NAB cost profile.
    struct Profile: Sendable {
        var name: String
        var tpWeight: Double
        var fpWeight: Double
        var fnWeight: Double
    }

    /// One scored file: timestamps as written in the CSV, the detector's scores and the label windows.
    struct File: Sendable {
        var name: String
        var timestamps: [String]
        var scores: [Double]
        var windows: [(start: String, end: String)]
    }

    /// The outcome of one profile over a set of files.
    struct Result: Sendable {
        var threshold: Double
        var raw: Double
        var normalized: Double
        var windows: Int
        var detectedWindows: Int
        var falsePositives: Int
    }

    /// The three profiles of `config/profiles.json`.
    static let standardProfiles: [Profile] = [
        Profile(name: "standard", tpWeight: 1, fpWeight: 0.11, fnWeight: 1),
        Profile(name: "reward_low_FP_rate", tpWeight: 1, fpWeight: 0.22, fnWeight: 1),
        Profile(name: "reward_low_FN_rate", tpWeight: 1, fpWeight: 0.11, fnWeight: 2),
    ]

    var probationPercent = 0.15

    /// NAB's scaled sigmoid of a relative position (-1 = window start, 0 = window end, > 0 past it).
    static func scaledSigmoid(_ position: Double) -> Double {
        if position >= 3.0 { return -1.0 }
        return 2.0 / (1.0 + exp(5.0 * position)) - 1.0
    }

    /// A row ready for the threshold sweep: its score, its sweep score and its window (-1: none, -2: probation).
    struct Point {
        var score: Double
        var sweep: Double
        var window: Int
    }

    /// The sweep scores of one file (NAB `calcSweepScore`); window ids are offset by `windowBase`.
    func sweep(_ file: File, profile: Profile, windowBase: Int) -> [Point] {
        let n = file.timestamps.count
        let probation = min(floor(probationPercent * Double(n)), probationPercent * 5000)
        var index: [String: Int] = [:]
        for (i, t) in file.timestamps.enumerated() where index[t] == nil { index[t] = i }
        let maxTP = NABScorer.scaledSigmoid(-1.0)
        var pending = file.windows[...]
        var windowNumber = -1
        var inWindow = false
        var right = 0
        var width = 0.0
        var prevRight: Int?
        var prevWidth = 0.0
        var out: [Point] = []
        out.reserveCapacity(n)
        for i in 0..<n {
            let ts = file.timestamps[i]
            if let first = pending.first, ts == first.start {
                pending = pending.dropFirst()
                windowNumber += 1
                inWindow = true
                right = index[first.end] ?? (n - 1)
                width = Double(right - i + 1)
            }
            var sweepScore: Double
            if inWindow {
                let position = -Double(right - i + 1) / width
                sweepScore = NABScorer.scaledSigmoid(position) * profile.tpWeight / maxTP
            } else {
                let position = prevRight.map { Double(abs($0 - i)) / (prevWidth - 1) } ?? 3.0
                sweepScore = NABScorer.scaledSigmoid(position) * profile.fpWeight
            }
            let window = Double(i) < probation ? -2 : (inWindow ? windowBase + windowNumber : -1)
            out.append(Point(score: file.scores[i], sweep: sweepScore, window: window))
            if inWindow && i == right {
                prevRight = i
                prevWidth = width
                inWindow = false
            }
        }
        return out
    }

    /// Scores `files` under `profile` with the best single threshold (NAB `calcScoreByThreshold` over all rows).
    func score(_ files: [File], profile: Profile) -> Result {
        var points: [Point] = []
        var base = 0
        for file in files {
            points.append(contentsOf: sweep(file, profile: profile, windowBase: base))
            base += file.windows.count
        }
        points.removeAll { $0.window == -2 }
        points.sort { $0.score > $1.score }
        var windowScore = [Double](repeating: 0, count: base)
        var counted = [Bool](repeating: false, count: base)
        var detected = [Bool](repeating: false, count: base)
        for p in points where p.window >= 0 { counted[p.window] = true }
        let windows = counted.filter { $0 }.count
        for w in 0..<base where counted[w] { windowScore[w] = -profile.fnWeight }
        var tpPart = -profile.fnWeight * Double(windows)
        var fpPart = 0.0
        var fpCount = 0
        var detectedCount = 0
        var best = Result(threshold: 1.1, raw: tpPart, normalized: 0, windows: windows, detectedWindows: 0,
                          falsePositives: 0)
        var current = 1.1
        for p in points {
            if p.score != current {
                let total = tpPart + fpPart
                if total > best.raw {
                    best = Result(threshold: current, raw: total, normalized: 0, windows: windows,
                                  detectedWindows: detectedCount, falsePositives: fpCount)
                }
                current = p.score
            }
            if p.window >= 0 {
                if !detected[p.window] { detected[p.window] = true; detectedCount += 1 }
                let better = max(windowScore[p.window], p.sweep)
                tpPart += better - windowScore[p.window]
                windowScore[p.window] = better
            } else {
                fpPart += p.sweep
                fpCount += 1
            }
        }
        let total = tpPart + fpPart
        if total > best.raw {
            best = Result(threshold: current, raw: total, normalized: 0, windows: windows,
                          detectedWindows: detectedCount, falsePositives: fpCount)
        }
        let null = -profile.fnWeight * Double(windows)
        let perfect = profile.tpWeight * Double(windows)
        best.normalized = 100 * (best.raw - null) / (perfect - null)
        return best
    }

    /// The number of detections (score at or above `threshold`) outside windows and after probation in one file.
    func falsePositives(_ file: File, threshold: Double, profile: Profile) -> Int {
        sweep(file, profile: profile, windowBase: 0).filter { $0.window == -1 && $0.score >= threshold }.count
    }
}

/// Reads the shared NAB folder: data files, label windows and detector result files.
enum NABCorpus {
    /// The 35 data files' relative paths (`category/name.csv`) from the windows file, sorted.
    static func windows(root: URL) throws -> [String: [(start: String, end: String)]] {
        let data = try Data(contentsOf: root.appendingPathComponent("labels/combined_windows.json"))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: [[String]]] ?? [:]
        var out: [String: [(start: String, end: String)]] = [:]
        for (key, list) in object {
            // Label timestamps carry ".000000"; data timestamps do not.
            out[key] = list.map { (trim($0[0]), trim($0[1])) }
        }
        return out
    }

    private static func trim(_ s: String) -> String {
        if let dot = s.firstIndex(of: ".") { return String(s[..<dot]) }
        return s
    }

    /// The rows of a CSV file split on commas, header dropped.
    static func rows(_ url: URL) throws -> [[Substring]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline)
        if !lines.isEmpty { lines.removeFirst() }
        return lines.map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    }

    /// A published detector's scored files (`detector-results/<name>/<category>/<name>_<file>`).
    static func detectorFiles(root: URL, detector: String) throws -> [NABScorer.File] {
        let windows = try windows(root: root)
        return try windows.keys.sorted().map { key in
            let parts = key.split(separator: "/")
            let url = root.appendingPathComponent("detector-results/\(detector)/\(parts[0])/\(detector)_\(parts[1])")
            let rows = try rows(url)
            return NABScorer.File(name: key, timestamps: rows.map { String($0[0]) },
                                  scores: rows.map { Double($0[2]) ?? 0 }, windows: windows[key] ?? [])
        }
    }
}
