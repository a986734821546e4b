import Foundation
import Testing
import VigilLogs
import VigilTesting

/// `vigil logs analyze` output as pure functions.
struct LogsAnalyzeCommandTests {
    @Test("--per-line prints every line's final template in order")
    func perLine() throws {
        let input = "user alice logged in\nuser bob logged in\ndisk sda full\n"
        let out = try LogsAnalyzeCommand.run(paths: ["-"], header: "none", perLine: true, stdin: { Array(input.utf8) })
        #expect(out == "1\t1\tuser <*> logged in\n2\t1\tuser <*> logged in\n3\t2\tdisk sda full\n")
    }

    @Test("--header auto splits a shared syslog layout and a last line without newline counts")
    func autoHeader() throws {
        let input = """
            Jun 03 12:00:41 node-a sshd[10]: session opened for user alice
            Jun 03 12:00:42 node-a sshd[11]: session opened for user bob
            Jun 03 12:00:43 node-b cron[12]: job started
            """
        let out = try LogsAnalyzeCommand.run(paths: ["-"], perLine: true, stdin: { Array(input.utf8) })
        #expect(out == "1\t1\tsession opened for user <*>\n2\t1\tsession opened for user <*>\n3\t2\tjob started\n")
        let none = try LogsAnalyzeCommand.run(paths: ["-"], header: "none", perLine: true, stdin: { Array(input.utf8) })
        #expect(none.hasPrefix("1\t1\tJun <*> <*>:<*>:<*> node-a sshd[<*>]: session opened for user <*>\n"))
    }

    @Test("summary lists templates by count and recognised failures; JSON has the same content")
    func summary() throws {
        var lines: [String] = []
        for i in 0..<5 { lines.append("step \(i) loss 0.5") }
        lines.append(
            "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 3 has a total capacity")
        let input = Array(lines.joined(separator: "\n").utf8)
        let text = try LogsAnalyzeCommand.run(paths: ["-"], header: "none", stdin: { input })
        #expect(text.contains("  5\t1\tstep <*> loss <*>\n"))
        // 2.00 GiB = 2 * 1024^3 bytes.
        #expect(text.contains(
            "CUDA_OOM\t1×, first at line 6: CUDA ran out of memory on GPU 3 allocating 2147483648 bytes"))
        let json = try LogsAnalyzeCommand.run(paths: ["-"], header: "none", json: true, stdin: { input })
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(obj["lines"] as? Int == 6)
        let failures = try #require(obj["failures"] as? [[String: Any]])
        #expect(failures.first?["kind"] as? String == "CUDA_OOM")
    }

    @Test("invalid UTF-8 and NUL bytes are mined, counted and reported")
    func badBytes() throws {
        let bytes: [UInt8] = Array("ok line\n".utf8) + [0xff, 0x00, 0x41, 0x0a]
        let out = try LogsAnalyzeCommand.run(paths: ["-"], header: "none", stdin: { bytes })
        #expect(out.contains("1 lines are not valid UTF-8"))
    }

    @Test("a bad --header pattern throws with the value quoted")
    func badHeader() {
        #expect(throws: LogsError.self) { try LogsAnalyzeCommand.run(paths: ["-"], header: "([", stdin: { [] }) }
    }
}

/// Failure summaries in the one-shot analysis.
struct LogsAnalyzeFailureSummaryTests {
    @Test(
        "case C20 through analyze: one Xid line group with host, count and first time",
        .enabled(if: SharedFixtures.available, "needs ../shared/cases"))
    func xidSummary() throws {
        let file = try #require(SharedFixtures.path("cases/C20/kern.log"), "needs ../shared")
        let out = try LogsAnalyzeCommand.run(paths: [file.path])
        #expect(out.contains("header: syslog"))
        #expect(out.contains("GPU_XID\t2×, first at line 1: GPU at PCI 0000:3b:00 on node-a reported Xid 31, "
            + "MMU fault, typically an application fault, 2 times since 12:00\n"))
    }
}

/// Argument parsing for the CLI.
struct LogsAnalyzeArgumentsTests {
    @Test("flags and values in both spellings; unknown flags and formats throw")
    func arguments() throws {
        let input = Array("a 1\na 2\n".utf8)
        let perLine = try LogsAnalyzeCommand.run(arguments: ["--per-line", "--header", "none", "-"], stdin: { input })
        #expect(perLine == "1\t1\ta <*>\n2\t1\ta <*>\n")
        let json = try LogsAnalyzeCommand.run(arguments: ["--format=json", "--header=none"], stdin: { input })
        #expect(json.hasPrefix("{\"lines\":2,\"header\":\"none\""))
        #expect(throws: LogsError.self) { try LogsAnalyzeCommand.run(arguments: ["--bogus"], stdin: { input }) }
        #expect(throws: LogsError.self) { try LogsAnalyzeCommand.run(arguments: ["--format", "xml"], stdin: { input }) }
    }
}

/// Bad input through the whole analysis.
struct LogsAnalyzeBadInputTests {
    @Test("binary garbage, a 1 MB line and a lone carriage return are analysed, never a crash")
    func badInput() throws {
        var bytes: [UInt8] = []
        var x: UInt32 = 7
        for _ in 0..<50_000 {
            x = x &* 1_103_515_245 &+ 12345
            bytes.append(UInt8(truncatingIfNeeded: x >> 16))
        }
        bytes.append(0x0A)
        bytes += Array(repeating: UInt8(ascii: "x"), count: 1 << 20) + [0x0A, 0x0D, 0x0A]
        let out = try LogsAnalyzeCommand.run(paths: ["-"], perLine: true, stdin: { bytes })
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let newlines = bytes.count(where: { $0 == 0x0A })
        #expect(lines.count == newlines)
        #expect(lines.last.map { $0.hasPrefix("\(newlines)\t") } == true)
    }
}
