import Testing
@testable import VigilServer

struct CommandLineParserTests {
    let parser = CommandLineParser()

    @Test func flagsBeforeAndAfterPositionalsInBothForms() throws {
        let a = try parser.parse(["query", "--server=http://h:1", "up == 0", "--time", "5"])
        #expect(a.command == ["query"])
        #expect(a.positionals == ["up == 0"])
        #expect(a.flags == ["server": "http://h:1", "time": "5"])
        let b = try parser.parse(["run", "--config", "x.yml", "--listen=:9", "--log.level=debug"])
        #expect(b.flags == ["config": "x.yml", "listen": ":9", "log.level": "debug"])
    }

    @Test func nestedCommandsAndBoolFlags() throws {
        let a = try parser.parse(["check", "config", "a.yml", "b.yml"])
        #expect(a.command == ["check", "config"] && a.positionals == ["a.yml", "b.yml"])
        let b = try parser.parse(["query", "--range", "--step", "15s", "rate(x[5m])"])
        #expect(b.flags == ["range": "true", "step": "15s"] && b.positionals == ["rate(x[5m])"])
    }

    @Test func helpAndVersion() throws {
        #expect(try parser.parse(["check", "rules", "--help"]).help)
        #expect(try parser.parse([]).help)
        #expect(try parser.parse(["--help"]).help)
        #expect(try parser.parse(["--version"]).command == ["version"])
        #expect(parser.help(for: ["run"]).hasPrefix("usage: vigil run"))
    }

    @Test func badUsage() {
        #expect(throws: CommandLineParser.UsageError.self) { try parser.parse(["frobnicate"]) }
        #expect(throws: CommandLineParser.UsageError.self) { try parser.parse(["run", "--bogus"]) }
        #expect(throws: CommandLineParser.UsageError.self) { try parser.parse(["run", "--config"]) }
        #expect(throws: CommandLineParser.UsageError.self) { try parser.parse(["run", "extra"]) }
        #expect(throws: CommandLineParser.UsageError.self) { try parser.parse(["check", "config"]) }
        #expect(throws: CommandLineParser.UsageError.self) { try parser.parse(["query"]) }
        #expect(throws: CommandLineParser.UsageError.self) { try parser.parse(["query", "--range=maybe", "up"]) }
    }

    @Test func runSettings() throws {
        let inv = try parser.parse(["run", "--listen", "0.0.0.0:1234", "--data", "/d", "--log.format=json"])
        let (options, logger) = try RunSettings.parse(inv)
        #expect(options.listen == ListenAddress(host: "0.0.0.0", port: 1234))
        #expect(options.dataDirectory == "/d")
        #expect(options.configPath == nil)
        #expect(logger.format == .json)
        #expect(throws: CommandLineParser.UsageError.self) {
            try RunSettings.parse(try parser.parse(["run", "--log.level", "loud"]))
        }
        #expect(throws: CommandLineParser.UsageError.self) {
            try RunSettings.parse(try parser.parse(["run", "--listen", "nowhere"]))
        }
    }

    @Test func queryRequests() throws {
        let instant = try QueryRequest(try parser.parse(["query", "up{job=\"a b\"}", "--time", "100"]), now: 0)
        #expect(instant.url == "http://127.0.0.1:9470/api/v1/query?query=up%7Bjob%3D%22a%20b%22%7D&time=100")
        let range = try QueryRequest(try parser.parse(["query", "--range", "--end", "1000", "x", "--server",
                                                       "http://h:9/"]), now: 0)
        // promtool's defaults: start = end - 5m, step = max(floor(300s / 250), 1) = 1.
        #expect(range.url == "http://h:9/api/v1/query_range?query=x&start=700&end=1000&step=1")
        let wide = try QueryRequest(try parser.parse(["query", "--range", "--start", "0", "--end", "5000", "x"]),
                                    now: 0)
        #expect(wide.url.hasSuffix("&start=0&end=5000&step=20"))
        #expect(throws: CommandLineParser.UsageError.self) {
            try QueryRequest(try parser.parse(["query", "x", "--step", "1"]), now: 0)
        }
    }
}
