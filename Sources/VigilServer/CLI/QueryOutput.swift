import Foundation
import VigilCore

/// Prints a query response as promtool does: `metric => value @[seconds]` for vectors, `scalar: v @[t]`,
/// and `metric =>` followed by one `value @[t]` line per point for matrices.
public enum QueryOutput {
    /// A malformed or error response.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// The message, e.g. `bad_data: invalid parameter "query": …`.
        public var message: String
        public var description: String { message }
    }

    /// Formats the JSON text of an `/api/v1/query` or `/api/v1/query_range` response.
    public static func format(json: [UInt8]) throws(Failure) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any] else {
            throw Failure(message: "invalid response: \(String(decoding: json.prefix(200), as: UTF8.self))")
        }
        if object["status"] as? String != "success" {
            let type = object["errorType"] as? String ?? "unknown"
            throw Failure(message: "\(type): \(object["error"] as? String ?? "no error message")")
        }
        guard let data = object["data"] as? [String: Any], let type = data["resultType"] as? String else {
            throw Failure(message: "invalid response: missing data.resultType")
        }
        let result = data["result"]
        switch type {
        case "scalar", "string":
            guard let pair = result as? [Any], pair.count == 2 else { throw Failure(message: "invalid \(type)") }
            return "\(type): \(pair[1]) @[\(time(pair[0]))]\n"
        case "vector":
            var out = ""
            for case let e as [String: Any] in result as? [Any] ?? [] {
                let value = e["value"] as? [Any] ?? []
                out += "\(metric(e["metric"])) => \(value.last ?? "") @[\(time(value.first ?? 0))]\n"
            }
            return out
        case "matrix":
            var streams: [String] = []
            for case let s as [String: Any] in result as? [Any] ?? [] {
                var lines = ["\(metric(s["metric"])) =>"]
                for case let p as [Any] in s["values"] as? [Any] ?? [] where p.count == 2 {
                    lines.append("\(p[1]) @[\(time(p[0]))]")
                }
                streams.append(lines.joined(separator: "\n"))
            }
            return streams.isEmpty ? "" : streams.joined(separator: "\n") + "\n"
        default:
            throw Failure(message: "unknown result type \"\(type)\"")
        }
    }

    /// A label set as Prometheus's `model.Metric` prints it: `name{a="1", b="2"}`, `{}` when empty.
    static func metric(_ any: Any?) -> String {
        let labels = (any as? [String: Any] ?? [:]).mapValues { "\($0)" }
        let name = labels["__name__"]
        let rest = labels.filter { $0.key != "__name__" }.map { "\($0.key)=\(GoString.quote($0.value))" }.sorted()
        if rest.isEmpty { return name ?? "{}" }
        return (name ?? "") + "{" + rest.joined(separator: ", ") + "}"
    }

    static func time(_ any: Any) -> String {
        if let n = any as? NSNumber { return GoFloat.format(n.doubleValue) }
        return "\(any)"
    }
}
