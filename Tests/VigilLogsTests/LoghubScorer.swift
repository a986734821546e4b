import Foundation
import VigilTesting

/// Scores parsed templates as Loghub's benchmark does: grouping accuracy (GA) and parsing accuracy (PA).
///
/// GA: a line is correct when the set of lines sharing its predicted template text equals the set sharing
/// its true template text. PA: a line is correct when its predicted template string equals the truth exactly.
/// Zhu et al., "Tools and Benchmarks for Automated Log Parsing", ICSE-SEIP 2019; Jiang et al., loghub-2.0.
/// `Benchmarks/logs/drain3_peer.py` scores the peer with the same logic.
enum LoghubScorer {
    /// One system's lines and true templates.
    struct System {
        var name: String
        var contents: [String]
        var truth: [String]
    }

    /// Grouping accuracy of `predicted` against `truth` (same length).
    static func groupingAccuracy(truth: [String], predicted: [String]) -> Double {
        precondition(truth.count == predicted.count)
        var truthSizes: [String: Int] = [:]
        for t in truth { truthSizes[t, default: 0] += 1 }
        var groups: [String: [Int]] = [:]
        for (i, p) in predicted.enumerated() { groups[p, default: []].append(i) }
        var correct = 0
        for (_, lines) in groups {
            let first = truth[lines[0]]
            if lines.allSatisfy({ truth[$0] == first }) && truthSizes[first] == lines.count { correct += lines.count }
        }
        return truth.isEmpty ? 1 : Double(correct) / Double(truth.count)
    }

    /// Parsing accuracy: the share of lines whose template string is exactly the truth.
    static func parsingAccuracy(truth: [String], predicted: [String]) -> Double {
        precondition(truth.count == predicted.count)
        let correct = zip(truth, predicted).count(where: { $0 == $1 })
        return truth.isEmpty ? 1 : Double(correct) / Double(truth.count)
    }

    /// The shared systems, scored against corrected ground truth where present.
    static func systems(root: URL) throws -> [System] {
        let dir = root.appendingPathComponent("corpus/loghub2k")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        var out: [System] = []
        for name in names {
            var isDir: ObjCBool = false
            let sub = dir.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: sub.path, isDirectory: &isDir), isDir.boolValue else {
                continue
            }
            var file = sub.appendingPathComponent("\(name)_2k.log_structured_corrected.csv")
            if !FileManager.default.fileExists(atPath: file.path) {
                file = sub.appendingPathComponent("\(name)_2k.log_structured.csv")
            }
            let rows = CSVReader.rows(String(decoding: try Data(contentsOf: file), as: UTF8.self))
            guard let header = rows.first, let c = header.firstIndex(of: "Content"),
                let t = header.firstIndex(of: "EventTemplate")
            else { continue }
            let body = rows.dropFirst().filter { $0.count == header.count }
            out.append(System(name: name, contents: body.map { $0[c] }, truth: body.map { $0[t] }))
        }
        return out
    }
}

/// RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF).
enum CSVReader {
    static func rows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var quoted = false
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if quoted {
                if c == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(c)
                        i += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == UInt8(ascii: "\"") {
                quoted = true
            } else if c == UInt8(ascii: ",") {
                row.append(String(decoding: field, as: UTF8.self))
                field.removeAll()
            } else if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") {
                if c == UInt8(ascii: "\r") && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
                row.append(String(decoding: field, as: UTF8.self))
                field.removeAll()
                rows.append(row)
                row = []
            } else {
                field.append(c)
            }
            i += 1
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(String(decoding: field, as: UTF8.self))
            rows.append(row)
        }
        return rows
    }
}
