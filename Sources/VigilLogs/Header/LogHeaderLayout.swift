import VigilCore

/// A line layout whose header (timestamp, level, component) is split off before mining.
public struct LogHeaderLayout: Sendable {
    /// The layout's name (`syslog`, `iso-level`, …) or `custom`.
    public let name: String
    private let regex: RE2?
    private let shape: HeaderShape?
    /// The capture group holding the level, if the layout has one.
    private let levelGroup: Int?
    /// The capture group holding the host, if the layout has one.
    private let hostGroup: Int?

    private static let timestamp =
        #"\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\]?"#
    private static let level =
        #"\[?(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRITICAL|SEVERE|"#
        + #"trace|debug|info|warn|warning|error|fatal|critical)\]?:?"#

    /// The built-in layouts, most specific first (the order `auto` prefers on a tie).
    public static let builtIn: [LogHeaderLayout] = [
        make("klog", #"^([IWEF])\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+ [\w.-]+:\d+\] "#, level: 1),
        make(
            "syslog",
            #"^(?:[A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2}|"#
                + #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)"#
                + #" (\S+) [^\s:\[]+(?:\[\d+\])?: "#,
            level: nil, host: 1),
        make("iso-level-component", "^" + timestamp + #"\s+"# + level + #"\s+[\w.$/-]+:\s+"#, level: 1),
        make("iso-level", "^" + timestamp + #"\s+"# + level + #"\s+"#, level: 1),
        make("iso", "^" + timestamp + #"\s+"#, level: nil),
        make("dmesg", #"^\[\s*\d+\.\d+\]\s+"#, level: nil),
        make("level", "^" + level + #"\s+"#, level: 1),
    ]

    private static func make(_ name: String, _ pattern: String, level: Int?, host: Int? = nil) -> LogHeaderLayout {
        // The built-in patterns are constants checked by the tests.
        LogHeaderLayout(name: name, regex: try! RE2(pattern), levelGroup: level, hostGroup: host)
    }

    private init(shape: HeaderShape) {
        name = shape.name
        regex = nil
        self.shape = shape
        levelGroup = nil
        hostGroup = nil
    }

    private init(name: String, regex: RE2, levelGroup: Int?, hostGroup: Int? = nil) {
        self.name = name
        self.regex = regex
        shape = nil
        self.levelGroup = levelGroup
        self.hostGroup = hostGroup
    }

    /// A built-in layout by name, or a custom RE2 pattern matched at the start of each line (its first
    /// capture group, if any, is the level).
    public static func named(_ value: String) throws(LogsError) -> LogHeaderLayout {
        if let found = builtIn.first(where: { $0.name == value }) { return found }
        do {
            let re = try RE2("^(?:" + value + ")")
            return LogHeaderLayout(name: "custom", regex: re, levelGroup: re.groupCount >= 1 ? 1 : nil)
        } catch {
            throw .badHeaderLayout(value, reason: error.message)
        }
    }

    /// The header and content of a line; nil when the line does not follow the layout.
    public func split(_ line: String) -> (content: Substring, level: String?, host: String?)? {
        if let shape {
            return shape.split(line).map { ($0.content, $0.level, nil) }
        }
        guard let m = regex?.firstMatch(in: line), m.range.lowerBound == 0 else { return nil }
        let utf8 = line.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: m.range.upperBound)
        var level: String?
        if let g = levelGroup, g < m.groups.count, let l = m.groups[g] { level = Self.normalisedLevel(l) }
        var host: String?
        if let g = hostGroup, g < m.groups.count, let h = m.groups[g] { host = String(h) }
        return (line[start...], level, host)
    }

    static func normalisedLevel(_ raw: Substring) -> String {
        switch raw.uppercased() {
        case "I", "INFO", "NOTICE": return "info"
        case "W", "WARN", "WARNING": return "warning"
        case "E", "ERR", "ERROR", "SEVERE": return "error"
        case "F", "FATAL", "CRITICAL": return "critical"
        case "DEBUG", "TRACE": return "debug"
        default: return raw.lowercased()
        }
    }

    /// The layout followed by at least `share` of the (first 1,000 non-empty) lines that splits off the most,
    /// among the built-in layouts and the most common inferred token-class shapes; nil when none qualifies.
    public static func detect(_ lines: [String], share: Double = 0.9) -> LogHeaderLayout? {
        let sample = Array(lines.lazy.filter { !$0.isEmpty }.prefix(1000))
        let n = sample.count
        guard n > 0 else { return nil }
        var shapeCounts: [HeaderShape: Int] = [:]
        for line in sample { shapeCounts[HeaderShape.shape(of: line), default: 0] += 1 }
        let inferred = shapeCounts.filter { $0.key.isHeader }.sorted {
            $0.value != $1.value ? $0.value > $1.value : $0.key.classes.count > $1.key.classes.count
        }.prefix(5).map { LogHeaderLayout(shape: $0.key) }
        var best: (layout: LogHeaderLayout, headerBytes: Int)?
        for layout in builtIn + inferred {
            var hits = 0
            var headerBytes = 0
            for line in sample {
                guard let split = layout.split(line) else { continue }
                hits += 1
                headerBytes += line.utf8.count - split.content.utf8.count
            }
            guard Double(hits) >= share * Double(n) else { continue }
            if best == nil || headerBytes > best!.headerBytes { best = (layout, headerBytes) }
        }
        return best?.layout
    }
}
