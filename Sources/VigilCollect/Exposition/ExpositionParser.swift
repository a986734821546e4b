#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import VigilCore

/// Parses Prometheus text 0.0.4 and OpenMetrics 1.0 expositions from raw bytes.
///
/// The parser is strict as Prometheus 3 is: one bad line fails the whole exposition, the last line must end with a
/// line break (0.0.4) or the input must end with `# EOF` (OpenMetrics). Exemplars are checked and dropped.
public enum ExpositionParser {
    /// Choices that change what the parser keeps.
    public struct Options: Sendable {
        /// Keep `_created` samples as ordinary series (Prometheus's default); false drops them.
        public var createdAsSeries: Bool

        /// Makes options; the defaults follow Prometheus 3.
        public init(createdAsSeries: Bool = true) {
            self.createdAsSeries = createdAsSeries
        }
    }

    /// Parses `bytes` in `format`.
    /// - Complexity: O(n) in the input size.
    public static func parse(_ bytes: [UInt8], format: ExpositionFormat, options: Options = Options(),
                             cache: ExpositionCache? = nil) throws(ExpositionError) -> ExpositionResult {
        try bytes.withUnsafeBufferPointer { (buf) throws(ExpositionError) -> ExpositionResult in
            try parse(buf, format: format, options: options, cache: cache)
        }
    }

    /// Parses the bytes at `buffer` in `format`.
    /// - Complexity: O(n) in the input size.
    /// With a `cache` (one per target), series seen in earlier parses skip label parsing.
    public static func parse(
        _ buffer: UnsafeBufferPointer<UInt8>, format: ExpositionFormat, options: Options = Options(),
        cache: ExpositionCache? = nil
    ) throws(ExpositionError) -> ExpositionResult {
        cache?.beginParse()
        var scanner = ExpositionScanner(buffer, openMetrics: format == .openMetrics, options: options, cache: cache)
        try scanner.run()
        return ExpositionResult(samples: scanner.samples, metadata: scanner.metadata)
    }
}

/// The byte scanner behind `ExpositionParser`; one instance per exposition.
struct ExpositionScanner {
    let p: UnsafeBufferPointer<UInt8>
    let n: Int
    let om: Bool
    let options: ExpositionParser.Options
    var i = 0
    var line = 1
    var lineStart = 0
    var sawEOF = false

    var samples: [ParsedSample] = []
    var metadata: [MetricMetadata] = []
    var familyIndex: [String: Int] = [:]

    // Reused buffers and caches: the previous sample's labels (as written) let repeated names and values skip
    // a String allocation; `normalized` maps raw `le`/`quantile` values to Prometheus's canonical form.
    var labelBuf: [Label] = []
    var previous: [Label] = []
    var previousName = ""
    var previousNormalizes = (le: false, quantile: false)
    var lastNormalization: (le: Bool, quantile: Bool)?
    let cache: ExpositionCache?
    var normalized: [String: String] = [:]
    var scratch: [UInt8] = []

    init(_ p: UnsafeBufferPointer<UInt8>, openMetrics: Bool, options: ExpositionParser.Options,
         cache: ExpositionCache? = nil) {
        self.p = p
        self.cache = cache
        self.n = p.count
        self.om = openMetrics
        self.options = options
        samples.reserveCapacity(max(16, n / 64))
        familyIndex.reserveCapacity(max(8, n / 256))
        metadata.reserveCapacity(max(8, n / 256))
    }

    mutating func run() throws(ExpositionError) {
        while i < n {
            lineStart = i
            if om {
                try openMetricsLine()
                if sawEOF { break }
            } else {
                try textLine()
            }
            line += 1
        }
        if om && !sawEOF {
            let end = n > 0 && p[n - 1] == UInt8(ascii: "\n") ? n - 1 : n
            var s = end
            while s > 0 && p[s - 1] != UInt8(ascii: "\n") { s -= 1 }
            lineStart = s
            line = max(1, line - 1)
            throw fail(at: end, "unexpected end of input: OpenMetrics data must end with \"# EOF\"")
        }
    }

    // MARK: - Lines

    private mutating func textLine() throws(ExpositionError) {
        skipBlanks()
        if i == n { return }
        switch p[i] {
        case UInt8(ascii: "\n"):
            i += 1
        case UInt8(ascii: "#"):
            try textComment()
        default:
            try sampleLine()
        }
    }

    private mutating func textComment() throws(ExpositionError) {
        // A HELP or TYPE line seen in an earlier parse comes from the cache whole.
        var key: (start: Int, end: Int, hash: UInt64)?
        if let cache, n > i, let hit = memchr(p.baseAddress! + i, 0x0A, n - i) {
            let end = p.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            let hash = ExpositionCache.hash(p, i, end)
            if let entry = cache.lookup(p, i, end, hash: hash), entry.meta != .none {
                if entry.meta == .help {
                    metadata[familySlot(entry.name)].help = entry.text
                } else if let type = MetricType(rawValue: entry.text) {
                    metadata[familySlot(entry.name)].type = type
                }
                i = end + 1
                return
            }
            key = (i, end, hash)
        }
        i += 1
        skipBlanks()
        let wordStart = i
        while i < n && !isBlankOrEOL(p[i]) { i += 1 }
        let isHelp = matches(wordStart, i, "HELP")
        guard isHelp || matches(wordStart, i, "TYPE") else {
            try skipToLineEnd()
            return
        }
        guard i < n, isBlank(p[i]) else {
            try skipToLineEnd()
            return
        }
        skipBlanks()
        let name = try metadataName()
        if isHelp {
            if i < n && isBlank(p[i]) { skipBlanks() }
            let text = try helpText()
            metadata[familySlot(name)].help = text
            if let cache, let key {
                cache.insert(p, key.start, key.end, hash: key.hash, name: name, labels: Labels(), normalization: nil,
                             meta: .help, text: text)
            }
            return
        }
        guard i < n, isBlank(p[i]) else { throw fail(at: i, "expected metric type after name, got \(token(at: i))") }
        skipBlanks()
        let typeStart = i
        while i < n && !isBlankOrEOL(p[i]) { i += 1 }
        let word = string(typeStart, i)
        guard let type = MetricType(word: word, openMetrics: false) else {
            throw fail(at: typeStart, "invalid metric type \(quote(word))")
        }
        skipBlanks()
        try endOfLine()
        metadata[familySlot(name)].type = type
        if let cache, let key {
            cache.insert(p, key.start, key.end, hash: key.hash, name: name, labels: Labels(), normalization: nil,
                         meta: .type, text: type.rawValue)
        }
    }

    private mutating func openMetricsLine() throws(ExpositionError) {
        guard p[i] == UInt8(ascii: "#") else {
            if p[i] == UInt8(ascii: "\n") { throw fail(at: i, "empty line is not allowed in OpenMetrics") }
            try sampleLine()
            return
        }
        guard i + 1 < n, p[i + 1] == UInt8(ascii: " ") else {
            throw fail(at: i, "invalid comment \(token(at: i)): OpenMetrics allows only HELP, TYPE, UNIT and EOF")
        }
        let wordStart = i + 2
        var e = wordStart
        while e < n && !isBlankOrEOL(p[e]) { e += 1 }
        if matches(wordStart, e, "EOF") && (e == n || p[e] == UInt8(ascii: "\n")) {
            sawEOF = true
            i = e == n ? n : e + 1
            if i < n {
                line += 1
                lineStart = i
                throw fail(at: i, "unexpected data after \"# EOF\": \(token(at: i))")
            }
            return
        }
        let keyword: String
        if matches(wordStart, e, "HELP") {
            keyword = "HELP"
        } else if matches(wordStart, e, "TYPE") {
            keyword = "TYPE"
        } else if matches(wordStart, e, "UNIT") {
            keyword = "UNIT"
        } else {
            throw fail(
                at: wordStart, "invalid comment \(token(at: i)): OpenMetrics allows only HELP, TYPE, UNIT and EOF")
        }
        i = e
        try singleSpace(before: "metric name")
        let name = try metadataName()
        switch keyword {
        case "HELP":
            if i < n && p[i] == UInt8(ascii: " ") { i += 1 }
            let text = try helpText()
            metadata[familySlot(name)].help = text
        case "UNIT":
            var unit = ""
            if i < n && p[i] == UInt8(ascii: " ") {
                i += 1
                let s = i
                while i < n && !isBlankOrEOL(p[i]) { i += 1 }
                unit = string(s, i)
                if !unit.isEmpty && !name.hasSuffix("_" + unit) {
                    throw fail(at: s, "unit \(quote(unit)) is not a suffix of metric name \(quote(name))")
                }
            }
            try endOfLine()
            metadata[familySlot(name)].unit = unit
        default:
            try singleSpace(before: "metric type")
            let s = i
            while i < n && !isBlankOrEOL(p[i]) { i += 1 }
            let word = string(s, i)
            guard let type = MetricType(word: word, openMetrics: true) else {
                throw fail(at: s, "invalid metric type \(quote(word))")
            }
            try endOfLine()
            metadata[familySlot(name)].type = type
        }
    }

    // MARK: - Samples

    private mutating func sampleLine() throws(ExpositionError) {
        var key: (end: Int, hash: UInt64)?
        if let cache, let end = cachedSeriesEnd(from: i) {
            let hash = ExpositionCache.hash(p, i, end)
            key = (end, hash)
            if let hit = cache.lookup(p, i, end, hash: hash), hit.meta == .none,
                hit.normalization == nil || hit.normalization! == normalizationFlags(for: hit.name)
            {
                i = end
                guard let (value, timestamp) = try valueAndTimestamp(name: hit.name) else { return }
                samples.append(ParsedSample(labels: hit.labels, value: value, timestamp: timestamp))
                return
            }
        }

        var name: String?
        let first = p[i]
        let seriesStart = i
        if first != UInt8(ascii: "{") {
            guard isNameStart(first, colon: true) else {
                throw fail(at: i, "expected metric name, got \(token(at: i))")
            }
            i += 1
            while i < n && isNameChar(p[i], colon: true) { i += 1 }
            name = metricName(seriesStart, i)
        }
        var seriesEnd = i
        // The previous sample's Labels share the old buffer: start a fresh one sized like it (one allocation).
        labelBuf = []
        labelBuf.reserveCapacity(max(4, previous.count))
        labelBuf.append(Label(LabelName.metricName, ""))
        if !om { skipBlanks() }
        let braces = i
        if i < n && p[i] == UInt8(ascii: "{") {
            i += 1
            try labelSet(name: &name)
            seriesEnd = i
        } else if name == nil {
            throw fail(at: i, "expected metric name, got \(token(at: i))")
        }
        guard let name else { throw fail(at: braces, "metric name missing in label set") }
        labelBuf[0].value = name

        guard let (value, timestamp) = try valueAndTimestamp(name: name) else { return }
        let labels = try finishLabels(name: name, braces: braces)
        if let cache, let key, key.end == seriesEnd {
            cache.insert(p, seriesStart, seriesEnd, hash: key.hash, name: name, labels: labels,
                         normalization: lastNormalization)
        }
        samples.append(ParsedSample(labels: labels, value: value, timestamp: timestamp))
    }

    /// The value, optional timestamp and exemplar through the line break; nil for a `_created` sample to drop.
    private mutating func valueAndTimestamp(name: String) throws(ExpositionError) -> (Double, Int64?)? {
        if om {
            try singleSpace(before: "value")
        } else if i < n && isBlank(p[i]) {
            skipBlanks()
        }
        let valueStart = i
        while i < n && !isBlankOrEOL(p[i]) { i += 1 }
        guard i > valueStart else { throw fail(at: i, "expected value after metric \(quote(name)), got end of line") }
        guard let value = ExpositionNumber.parseFloat(p, valueStart, i) else {
            throw fail(at: valueStart, "invalid value \(quote(string(valueStart, i)))")
        }
        let timestamp = try timestampAndExemplar()
        try endOfLine()

        if !options.createdAsSeries && name.hasSuffix("_created"),
            let m = ExpositionResult.family(of: name, lookup: { familyIndex[$0].map { metadata[$0] } }),
            m.family + "_created" == name
        {
            return nil
        }
        return (value, timestamp)
    }

    /// Where a `name{…}` written without blanks ends, found by a quote-aware scan; nil when it is not that simple.
    @inline(__always)
    private func cachedSeriesEnd(from start: Int) -> Int? {
        var j = start
        while j < n && isNameChar(p[j], colon: true) { j += 1 }
        guard j < n, p[j] == UInt8(ascii: "{") else { return j > start ? j : nil }
        j += 1
        while j < n {
            switch p[j] {
            case UInt8(ascii: "}"):
                return j + 1
            case UInt8(ascii: "\n"):
                return nil
            case UInt8(ascii: "\""):
                j += 1
                while j < n && p[j] != UInt8(ascii: "\"") {
                    if p[j] == UInt8(ascii: "\n") { return nil }
                    j += p[j] == UInt8(ascii: "\\") ? 2 : 1
                }
                j += 1
            default:
                j += 1
            }
        }
        return nil
    }

    /// The optional timestamp (and, in OpenMetrics, exemplar) after the value.
    private mutating func timestampAndExemplar() throws(ExpositionError) -> Int64? {
        if !om {
            skipBlanks()
            guard i < n, p[i] != UInt8(ascii: "\n") else { return nil }
            let s = i
            while i < n && !isBlankOrEOL(p[i]) { i += 1 }
            guard let t = ExpositionNumber.parseInt(p, s, i) else {
                throw fail(at: s, "invalid timestamp \(quote(string(s, i))): want integer milliseconds")
            }
            skipBlanks()
            return t
        }
        guard i < n, p[i] == UInt8(ascii: " ") else { return nil }
        i += 1
        var timestamp: Int64?
        if i < n && p[i] != UInt8(ascii: "#") {
            let s = i
            while i < n && !isBlankOrEOL(p[i]) { i += 1 }
            guard let t = ExpositionNumber.parseFloat(p, s, i), t.isFinite, abs(t) < 9.2e15 else {
                throw fail(at: s, "invalid timestamp \(quote(string(s, i))): want seconds")
            }
            timestamp = Int64(t * 1000)
            guard i < n, p[i] == UInt8(ascii: " ") else { return timestamp }
            i += 1
        }
        guard i < n, p[i] == UInt8(ascii: "#") else { throw fail(at: i, "expected exemplar, got \(token(at: i))") }
        try exemplar()
        return timestamp
    }

    /// `# {labels} value [timestamp]`, checked and dropped.
    private mutating func exemplar() throws(ExpositionError) {
        i += 1
        try singleSpace(before: "exemplar labels")
        guard i < n, p[i] == UInt8(ascii: "{") else {
            throw fail(at: i, "expected exemplar label set, got \(token(at: i))")
        }
        i += 1
        let saved = labelBuf
        var none: String? = ""
        try labelSet(name: &none)
        labelBuf = saved
        try singleSpace(before: "exemplar value")
        let s = i
        while i < n && !isBlankOrEOL(p[i]) { i += 1 }
        guard ExpositionNumber.parseFloat(p, s, i) != nil else {
            throw fail(at: s, "invalid exemplar value \(quote(string(s, i)))")
        }
        if i < n && p[i] == UInt8(ascii: " ") {
            i += 1
            let t = i
            while i < n && !isBlankOrEOL(p[i]) { i += 1 }
            guard ExpositionNumber.parseFloat(p, t, i) != nil else {
                throw fail(at: t, "invalid exemplar timestamp \(quote(string(t, i)))")
            }
        }
    }

    /// Labels after `{` up to and including `}`, appended to `labelBuf`; a lone quoted name sets `name`.
    private mutating func labelSet(name: inout String?) throws(ExpositionError) {
        var index = 0
        while true {
            if !om { skipBlanks() }
            guard i < n else { throw fail(at: i, "unexpected end of input in label set") }
            if p[i] == UInt8(ascii: "}") {
                i += 1
                return
            }
            let nameStart = i
            let labelName: String
            var quoted = false
            if p[i] == UInt8(ascii: "\"") {
                labelName = try quotedString(what: "label name")
                quoted = true
            } else if isNameStart(p[i], colon: false) {
                i += 1
                while i < n && isNameChar(p[i], colon: false) { i += 1 }
                labelName = cachedName(nameStart, i, index: index)
            } else {
                throw fail(at: i, "expected label name, got \(token(at: i))")
            }
            if !om { skipBlanks() }
            if quoted && name == nil && i < n && (p[i] == UInt8(ascii: ",") || p[i] == UInt8(ascii: "}")) {
                name = labelName
                if p[i] == UInt8(ascii: ",") { i += 1 }
                continue
            }
            guard i < n, p[i] == UInt8(ascii: "=") else {
                throw fail(at: i, "expected \"=\" after label name \(quote(labelName)), got \(token(at: i))")
            }
            i += 1
            if !om { skipBlanks() }
            guard i < n, p[i] == UInt8(ascii: "\"") else {
                throw fail(at: i, "expected quoted value for label \(quote(labelName)), got \(token(at: i))")
            }
            let value = try labelValue(index: index)
            labelBuf.append(Label(labelName, value))
            index += 1
            if !om { skipBlanks() }
            guard i < n else { throw fail(at: i, "unexpected end of input in label set") }
            if p[i] == UInt8(ascii: ",") {
                i += 1
            } else if p[i] != UInt8(ascii: "}") {
                throw fail(at: i, "expected \",\" or \"}\" after label value, got \(token(at: i))")
            }
        }
    }

    /// Sorts `labelBuf`, drops empty values, rejects duplicate names and normalises `le`/`quantile`.
    private mutating func finishLabels(name: String, braces: Int) throws(ExpositionError) -> Labels {
        if labelBuf.count > 1 {
            try normalizeBucketLabels(name: name)
        }
        previous = labelBuf
        var sorted = true
        var anyEmpty = false
        for k in 1..<labelBuf.count {
            if labelBuf[k].value.isEmpty { anyEmpty = true }
            if sorted && !(labelBuf[k - 1].name < labelBuf[k].name) { sorted = false }
        }
        if sorted && !anyEmpty { return Labels(sortedUnchecked: labelBuf) }
        var out = labelBuf
        if !sorted {
            out.sort { $0.name < $1.name }
            for k in 1..<out.count where out[k - 1].name == out[k].name {
                throw fail(at: braces, "duplicate label name \(quote(out[k].name))")
            }
        }
        if anyEmpty { out.removeAll { $0.value.isEmpty } }
        return Labels(sortedUnchecked: out)
    }

    /// Prometheus 3 stores `le` of histograms and `quantile` of summaries in canonical float form (`1` → `1.0`).
    private mutating func normalizeBucketLabels(name: String) throws(ExpositionError) {
        lastNormalization = nil
        var any = false
        for k in 1..<labelBuf.count {
            let l = labelBuf[k].name
            if l == LabelName.bucket || l == LabelName.quantile {
                any = true
                break
            }
        }
        guard any else { return }
        let flags = normalizationFlags(for: name)
        lastNormalization = flags
        guard flags.le || flags.quantile else { return }
        for k in 1..<labelBuf.count {
            let l = labelBuf[k]
            guard (flags.le && l.name == LabelName.bucket) || (flags.quantile && l.name == LabelName.quantile)
            else { continue }
            if let cached = normalized[l.value] {
                labelBuf[k].value = cached
                continue
            }
            let bytes = Array(l.value.utf8)
            let canonical = bytes.withUnsafeBufferPointer { b -> String? in
                ExpositionNumber.parseFloat(b, 0, b.count).map(ExpositionNumber.openMetricsFloat)
            }
            normalized[l.value] = canonical ?? l.value
            labelBuf[k].value = canonical ?? l.value
        }
    }

    /// Whether `name`'s `le` (histogram bucket) or `quantile` (summary) labels are normalised.
    private mutating func normalizationFlags(for name: String) -> (le: Bool, quantile: Bool) {
        if name != previousName {
            previousName = name
            var le = false
            var quantile = false
            if name.hasSuffix("_bucket"), let k = familyIndex[String(name.dropLast(7))] {
                le = metadata[k].type == .histogram
            }
            if let k = familyIndex[name] { quantile = metadata[k].type == .summary }
            previousNormalizes = (le, quantile)
        }
        return previousNormalizes
    }

    /// The index of `name`'s metadata entry, created on first use.
    private mutating func familySlot(_ name: String) -> Int {
        previousName = ""
        if let last = metadata.last, last.family == name { return metadata.count - 1 }
        if let k = familyIndex.updateValue(metadata.count, forKey: name) {
            familyIndex[name] = k
            return k
        }
        metadata.append(MetricMetadata(family: name))
        return metadata.count - 1
    }
}
