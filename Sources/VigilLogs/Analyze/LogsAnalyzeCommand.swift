import Foundation
import VigilCore

/// `vigil logs analyze F…` as pure functions: read, mine, summarise and render.
public enum LogsAnalyzeCommand {
    /// Runs the command and returns its standard output. `-` in `paths` reads `stdin()`.
    /// - Parameters:
    ///   - header: `auto` (detect a layout shared by ≥ 90% of lines), `none`, a layout name or an RE2 prefix.
    ///   - perLine: print `line<TAB>template id<TAB>template` for every input line instead of the summary.
    ///   - json: render as JSON.
    public static func run(
        paths: [String], header: String = "auto", perLine: Bool = false, json: Bool = false,
        stdin: () -> [UInt8] = { [] }
    ) throws -> String {
        var input: [UInt8] = []
        for path in paths.isEmpty ? ["-"] : paths {
            var bytes: [UInt8]
            if path == "-" {
                bytes = stdin()
            } else {
                do {
                    bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
                } catch {
                    throw LogsError.unreadable(path: path, reason: error.localizedDescription.lowercased())
                }
            }
            if !bytes.isEmpty && bytes.last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
            input.append(contentsOf: bytes)
        }
        let analysis = try analyze(splitLines(input), header: header)
        if perLine { return renderPerLine(analysis, json: json) }
        return json ? renderJSON(analysis) : renderText(analysis)
    }

    /// Splits bytes into lines at `\n` (a final line without newline counts; no empty line after a last `\n`).
    public static func splitLines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// Mines all lines, then summarises templates, rare templates, bursts and failures.
    public static func analyze(_ lines: [ArraySlice<UInt8>], header: String = "auto") throws -> LogAnalysis {
        var invalid = 0
        let strings = lines.map { raw -> String in
            if let s = String(validating: raw, as: UTF8.self) { return s }
            invalid += 1
            return String(decoding: raw, as: UTF8.self)
        }
        let layout: LogHeaderLayout?
        switch header {
        case "none": layout = nil
        case "auto": layout = LogHeaderLayout.detect(strings)
        default: layout = try LogHeaderLayout.named(header)
        }

        var miner = TemplateMiner()
        let classifier = FailureClassifier()
        var clusters: [Int] = []
        clusters.reserveCapacity(lines.count)
        var failures: [LogAnalysis.Failure] = []
        var failureIndex: [String: Int] = [:]
        var firstTimes: [Int64?] = []
        for (i, raw) in lines.enumerated() {
            let split = layout?.split(strings[i])
            let content: Substring = split?.content ?? strings[i][...]
            if content.startIndex == strings[i].startIndex {
                clusters.append(raw.withUnsafeBufferPointer { miner.learn($0) })
            } else {
                clusters.append(miner.learn(String(content)))
            }
            guard var f = classifier.classify(strings[i]) else { continue }
            if let host = split?.host { f.fields["host"] = host }
            let key = f.kind.rawValue + "|" + f.fields.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }
                .filter { !$0.hasPrefix("pid=") }.joined(separator: ",")
            if let k = failureIndex[key] {
                failures[k].count += 1
            } else {
                failureIndex[key] = failures.count
                failures.append(.init(recognition: f, count: 1, firstLine: i + 1))
                firstTimes.append(LogTimestamp.parse(strings[i][...], year: 1970))
            }
        }
        for k in failures.indices {
            let f = failures[k]
            failures[k].recognition.summary = classifier.summary(
                f.recognition.kind, f.recognition.fields, count: f.count, since: firstTimes[k])
        }
        return summarise(miner: miner, clusters: clusters, layout: layout?.name ?? "none", invalid: invalid,
                         failures: failures)
    }

    static func summarise(
        miner: TemplateMiner, clusters: [Int], layout: String, invalid: Int, failures: [LogAnalysis.Failure]
    ) -> LogAnalysis {
        var byID: [String: LogAnalysis.TemplateSummary] = [:]
        var positions: [String: [Int]] = [:]
        var perLine: [(id: String, template: String)] = []
        perLine.reserveCapacity(clusters.count)
        var cache: [Int: (String, String)] = [:]
        for (i, c) in clusters.enumerated() {
            let entry = cache[c] ?? (miner.templateID(ofCluster: c), miner.template(ofCluster: c))
            cache[c] = entry
            perLine.append((entry.0, entry.1))
            positions[entry.0, default: []].append(i + 1)
            if byID[entry.0] == nil {
                byID[entry.0] = .init(id: entry.0, template: entry.1, count: 0, firstLine: i + 1)
            }
            byID[entry.0]!.count += 1
        }
        let templates = byID.values.sorted {
            $0.count != $1.count ? $0.count > $1.count : (Int($0.id) ?? 0) < (Int($1.id) ?? 0)
        }
        let rareLimit = max(1, clusters.count / 1000)
        let rare = templates.filter { $0.count <= rareLimit }.map(\.id)
        let bursts = templates.compactMap { t in burst(t.id, positions[t.id] ?? [], total: clusters.count) }
        return LogAnalysis(
            lineCount: clusters.count, header: layout, invalidUTF8Lines: invalid, templates: templates, rare: rare,
            bursts: bursts, failures: failures, perLine: perLine)
    }

    /// The densest window of 5% of the input (at least 20 lines) holding ≥ 10 lines of a template and at least
    /// five times its share over the whole input, or nil.
    static func burst(_ id: String, _ lines: [Int], total: Int) -> LogAnalysis.Burst? {
        guard lines.count >= 10, total >= 100 else { return nil }
        let window = max(20, total / 20)
        var best = (count: 0, from: 0, to: 0)
        var lo = 0
        for hi in 0..<lines.count {
            while lines[hi] - lines[lo] >= window { lo += 1 }
            if hi - lo + 1 > best.count { best = (hi - lo + 1, lines[lo], lines[hi]) }
        }
        let expected = Double(lines.count) * Double(window) / Double(total)
        guard best.count >= 10, Double(best.count) >= 5 * expected else { return nil }
        return .init(templateID: id, fromLine: best.from, toLine: best.to, count: best.count)
    }

    /// `line<TAB>id<TAB>template` per input line (or a JSON array of objects).
    public static func renderPerLine(_ a: LogAnalysis, json: Bool) -> String {
        var out = json ? "[" : ""
        for (i, e) in a.perLine.enumerated() {
            if json {
                out += (i > 0 ? "," : "") + "{\"line\":\(i + 1),\"template_id\":\(JSON.quote(e.id)),"
                    + "\"template\":\(JSON.quote(e.template))}"
            } else {
                out += "\(i + 1)\t\(e.id)\t\(e.template)\n"
            }
        }
        return json ? out + "]\n" : out
    }

    /// The human-readable summary.
    public static func renderText(_ a: LogAnalysis) -> String {
        var out = "\(a.lineCount) lines, \(a.templates.count) templates, header: \(a.header)\n"
        if a.invalidUTF8Lines > 0 { out += "\(a.invalidUTF8Lines) lines are not valid UTF-8\n" }
        out += "\ntemplates (count, id, template):\n"
        for t in a.templates { out += "  \(t.count)\t\(t.id)\t\(t.template)\n" }
        let byID = Dictionary(uniqueKeysWithValues: a.templates.map { ($0.id, $0) })
        if !a.rare.isEmpty {
            out += "\nnew or rare templates:\n"
            for id in a.rare { if let t = byID[id] { out += "  \(id)\tfirst at line \(t.firstLine)\t\(t.template)\n" } }
        }
        if !a.bursts.isEmpty {
            out += "\nbursts:\n"
            for b in a.bursts {
                out += "  \(b.templateID)\t\(b.count) lines in lines \(b.fromLine)-\(b.toLine)\t"
                    + "\(byID[b.templateID]?.template ?? "")\n"
            }
        }
        if !a.failures.isEmpty {
            out += "\nrecognised failures:\n"
            for f in a.failures {
                out += "  \(f.recognition.kind.rawValue)\t\(f.count)×, first at line \(f.firstLine): "
                    + "\(f.recognition.summary)\n"
            }
        }
        return out
    }

    /// The summary as JSON.
    public static func renderJSON(_ a: LogAnalysis) -> String {
        let templates = a.templates.map {
            "{\"id\":\(JSON.quote($0.id)),\"template\":\(JSON.quote($0.template)),\"count\":\($0.count),"
                + "\"first_line\":\($0.firstLine)}"
        }
        let bursts = a.bursts.map {
            "{\"template_id\":\(JSON.quote($0.templateID)),\"from_line\":\($0.fromLine),\"to_line\":\($0.toLine),"
                + "\"count\":\($0.count)}"
        }
        let failures = a.failures.map { f in
            let fields = f.recognition.fields.sorted { $0.key < $1.key }
                .map { "\(JSON.quote($0.key)):\(JSON.quote($0.value))" }.joined(separator: ",")
            return "{\"kind\":\(JSON.quote(f.recognition.kind.rawValue)),\"confidence\":\(f.recognition.confidence),"
                + "\"count\":\(f.count),\"first_line\":\(f.firstLine),\"fields\":{\(fields)},"
                + "\"summary\":\(JSON.quote(f.recognition.summary))}"
        }
        return "{\"lines\":\(a.lineCount),\"header\":\(JSON.quote(a.header)),"
            + "\"invalid_utf8_lines\":\(a.invalidUTF8Lines),\"templates\":[\(templates.joined(separator: ","))],"
            + "\"rare\":[\(a.rare.map { JSON.quote($0) }.joined(separator: ","))],"
            + "\"bursts\":[\(bursts.joined(separator: ","))],\"failures\":[\(failures.joined(separator: ","))]}\n"
    }
}
