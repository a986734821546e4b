import Foundation

/// `vigil detect F.csv`: reads a two-column CSV and returns `timestamp,value,anomaly_score` rows.
public enum DetectCommand {
    /// Reads `csvPath` and returns the output text (header plus one row per input row, timestamp verbatim).
    public static func run(csvPath: String) throws -> String {
        let text: String
        do {
            text = try String(contentsOfFile: csvPath, encoding: .utf8)
        } catch {
            throw AnomalyError.unreadable(path: csvPath, reason: "\(error.localizedDescription)")
        }
        return try run(csvText: text)
    }

    /// Scores CSV text; a first row whose value is not a number is taken as the header.
    public static func run(csvText: String) throws -> String {
        let rows = try parse(csvText)
        let scores = detect(values: rows.map { ($0.timestamp, $0.number) })
        var out = "timestamp,value,anomaly_score\n"
        out.reserveCapacity(rows.count * 40)
        for (row, score) in zip(rows, scores) {
            out += "\(row.timestamp),\(row.valueText),\(score)\n"
        }
        return out
    }

    struct Row {
        var timestamp: String
        var valueText: String
        var number: Double
    }

    static func parse(_ text: String) throws -> [Row] {
        var rows: [Row] = []
        var lineNumber = 0
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" }) {
            lineNumber += 1
            let trimmed = line.hasSuffix("\r") ? line.dropLast() : line[...]
            if trimmed.isEmpty { continue }
            guard let comma = trimmed.lastIndex(of: ",") else {
                throw AnomalyError.badRow(line: lineNumber, text: String(trimmed))
            }
            let ts = String(trimmed[..<comma])
            let valueText = String(trimmed[trimmed.index(after: comma)...])
            let cleaned = valueText.trimmingCharacters(in: .whitespaces)
            let number = Double(cleaned) ?? parseSpecial(cleaned)
            if lineNumber == 1 && number == nil { continue }
            // An empty value is a gap (scored as missing); anything else that is not a number is an error.
            guard let number else { throw AnomalyError.badValue(line: lineNumber, value: cleaned) }
            rows.append(Row(timestamp: ts, valueText: valueText, number: number))
        }
        return rows
    }

    private static func parseSpecial(_ s: String) -> Double? {
        switch s.lowercased() {
        case "nan", "": return .nan
        case "inf", "+inf", "infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: return nil
        }
    }
}
