import Foundation
import VigilCore

/// One log line received through Loki's push API.
public struct PushedLogLine: Sendable, Hashable {
    /// The stream's labels.
    public var labels: Labels
    /// The line's timestamp in Unix nanoseconds.
    public var timestampNanos: Int64
    /// The line.
    public var line: String
}

/// Decodes the JSON body of `POST /loki/api/v1/push`:
/// `{"streams":[{"stream":{"label":"value",…},"values":[["<unix ns as string>","<line>"(,{metadata})?],…]}]}`.
/// (The protobuf+snappy body that Loki also accepts is not decoded.)
public enum LokiPushDecoder {
    /// The lines of a push body, stream by stream.
    public static func decode(_ body: [UInt8]) throws(LogsError) -> [PushedLogLine] {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(body))
        } catch {
            throw .badPushBody(reason: "invalid json")
        }
        guard let root = object as? [String: Any], let streams = root["streams"] as? [[String: Any]] else {
            throw .badPushBody(reason: "missing \"streams\" array")
        }
        var out: [PushedLogLine] = []
        for (i, stream) in streams.enumerated() {
            guard let labelObject = stream["stream"] as? [String: Any],
                let values = stream["values"] as? [[Any]]
            else { throw .badPushBody(reason: "stream \(i): needs \"stream\" and \"values\"") }
            var dict: [String: String] = [:]
            for (k, v) in labelObject {
                guard let s = v as? String else {
                    throw .badPushBody(reason: "stream \(i): label \"\(k)\" is not a string")
                }
                dict[k] = s
            }
            let labels = Labels(dict)
            for (j, entry) in values.enumerated() {
                guard entry.count >= 2, let ts = entry[0] as? String, let nanos = Int64(ts),
                    let line = entry[1] as? String
                else { throw .badPushBody(reason: "stream \(i) value \(j): want [\"<unix ns>\", \"<line>\"]") }
                out.append(PushedLogLine(labels: labels, timestampNanos: nanos, line: line))
            }
        }
        return out
    }
}
