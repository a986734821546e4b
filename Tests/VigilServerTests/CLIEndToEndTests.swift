import Foundation
import Testing

/// Runs the built `vigil` binary (`.build/debug/vigil`) as a process.
struct CLIEndToEndTests {
    static let binary: String? = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent(".build/debug/vigil").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }()

    private func run(_ args: [String], cwd: String) async throws -> (Int32, String, String) {
        let binary = try #require(Self.binary)
        return try await offCooperativePool { Result { try Self.blockingRun(binary, args, cwd: cwd) } }.get()
    }

    private static func blockingRun(_ binary: String, _ args: [String], cwd: String) throws -> (Int32, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: cwd)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    @Test(.enabled(if: binary != nil, "needs .build/debug/vigil (swift build)"))
    func checkConfigOnGoodAndBadFiles() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("rules/a.yml", "groups:\n  - name: g\n    rules:\n      - record: x\n        expr: up\n")
        dir.write("good.yml", "global: {scrape_interval: 15s}\nrule_files: [rules/*.yml]\nremote_write: []\n")
        dir.write("bad.yml", "global:\n  scrape_interval: 15s\n  bogus: 1\n")

        let (okCode, okOut, _) = try await run(["check", "config", "good.yml"], cwd: dir.path)
        #expect(okCode == 0)
        #expect(okOut.hasPrefix("Checking good.yml\n"))
        #expect(okOut.contains("  WARNING: good.yml:3:1: remote_write is not supported yet; ignored\n"))
        #expect(okOut.contains("  SUCCESS: 1 rule files found\n SUCCESS: good.yml is valid vigil config file syntax\n"))
        #expect(okOut.contains("Checking rules/a.yml\n  SUCCESS: 1 rules found\n"))

        let (badCode, badOut, badErr) = try await run(["check", "config", "bad.yml"], cwd: dir.path)
        #expect(badCode == 1)
        #expect(badOut.hasPrefix("Checking bad.yml\n"))
        #expect(badErr.contains("  FAILED: bad.yml:3:3: field bogus not found in global\n"))
    }

    @Test(.enabled(if: binary != nil, "needs .build/debug/vigil (swift build)"))
    func checkRulesReportsPositionsAndExitsOne() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("good.yml", "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n")
        dir.write("bad.yml", "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up ==\n")
        dir.write("uses-bad.yml", "rule_files: [bad.yml]\n")

        let (okCode, okOut, _) = try await run(["check", "rules", "good.yml"], cwd: dir.path)
        #expect(okCode == 0)
        #expect(okOut == "Checking good.yml\n  SUCCESS: 1 rules found\n\n")

        let (badCode, badOut, _) = try await run(["check", "rules", "good.yml", "bad.yml"], cwd: dir.path)
        #expect(badCode == 1)
        #expect(badOut.contains("Checking bad.yml\n  FAILED:\nbad.yml:5:"))

        let (configCode, configOut, _) = try await run(["check", "config", "uses-bad.yml"], cwd: dir.path)
        #expect(configCode == 1)
        #expect(configOut.contains("Checking bad.yml\n  FAILED:\nbad.yml:5:"))
    }

    @Test(.enabled(if: binary != nil, "needs .build/debug/vigil (swift build)"))
    func badUsageAndBadConfigExitTwo() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("bad.yml", "nope: 1\n")
        let (usage, _, usageErr) = try await run(["run", "--frobnicate"], cwd: dir.path)
        #expect(usage == 2)
        #expect(usageErr.contains("unknown flag \"--frobnicate\""))
        let (code, _, err) = try await run(["run", "--config", "bad.yml", "--listen", "127.0.0.1:0"], cwd: dir.path)
        #expect(code == 2)
        #expect(err.contains("bad.yml:1:1: field nope not found in config"))
        let (dataCode, _, _) = try await run(["query", "up", "--data", "/tmp"], cwd: dir.path)
        #expect(dataCode == 2)
        let (helpCode, helpOut, _) = try await run(["query", "--help"], cwd: dir.path)
        #expect(helpCode == 0)
        #expect(helpOut.hasPrefix("usage: vigil query"))
    }
}
