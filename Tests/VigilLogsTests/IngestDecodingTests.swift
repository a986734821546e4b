import Foundation
import Testing
import VigilLogs

/// Multi-line joining and Loki push bodies.
struct IngestDecodingTests {
    @Test("a Python traceback joins into the record its start line opened")
    func multiline() throws {
        var j = try MultilineJoiner(startPattern: #"\d{4}-\d{2}-\d{2} "#)
        var got: [String] = []
        let lines = [
            "orphan before any start",
            "2026-06-03 12:00:00 ERROR step failed",
            "Traceback (most recent call last):",
            "  File \"train.py\", line 3, in <module>",
            "RuntimeError: CUDA error: out of memory",
            "2026-06-03 12:00:01 INFO restarting",
        ]
        for l in lines { if let r = j.add(Array(l.utf8)) { got.append(String(decoding: r, as: UTF8.self)) } }
        if let r = j.flush() { got.append(String(decoding: r, as: UTF8.self)) }
        #expect(got == [
            "orphan before any start",
            lines[1...4].joined(separator: "\n"),
            "2026-06-03 12:00:01 INFO restarting",
        ])
        #expect(throws: LogsError.self) { try MultilineJoiner(startPattern: "(") }
    }

    @Test("Loki push JSON: streams, labels, nanosecond timestamps, optional metadata")
    func lokiPush() throws {
        let body = #"""
            {"streams":[{"stream":{"job":"train","host":"node-7"},
              "values":[["1780488041000000000","step 1 ok"],["1780488042000000001","Loss is nan",{"trace":"x"}]]}]}
            """#
        let lines = try LokiPushDecoder.decode(Array(body.utf8))
        #expect(lines.count == 2)
        #expect(lines[0].labels.description == #"{host="node-7", job="train"}"#)
        #expect(lines[1].timestampNanos == 1_780_488_042_000_000_001)
        #expect(lines[1].line == "Loss is nan")
        #expect(throws: LogsError.self) { try LokiPushDecoder.decode(Array(#"{"streams":[{"stream":{}}]}"#.utf8)) }
        #expect(throws: LogsError.self) { try LokiPushDecoder.decode(Array("not json".utf8)) }
    }
}
