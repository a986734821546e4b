import Foundation
import Testing
import VigilCore
@testable import VigilNotify

/// Routes alerts through matcher strings in Alertmanager's syntax and compares the receivers with what Debian's
/// `amtool config routes test` says for the same configuration.
struct AmtoolRoutingPeerTests {
    static let amtool = "/usr/bin/amtool"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: amtool) }

    static let config = #"""
        route:
          receiver: default
          routes:
            - {matchers: ['msg="a, b"'], receiver: comma, continue: true}
            - {matchers: ['{env=~"prod|stage", team!="ops"}'], receiver: braces, continue: true}
            - {matchers: ['q="say \"hi\""'], receiver: escaped, continue: true}
            - {matchers: ['path=~\d+'], receiver: bare, continue: true}
            - {matchers: ['  sev  !=  critical  '], receiver: spaced, continue: true}
            - matchers: [dc=eu]
              receiver: parent
              routes:
                - {matchers: ['rack=~"r[0-9]"'], receiver: child}
        receivers:
          - {name: default}
          - {name: comma}
          - {name: braces}
          - {name: escaped}
          - {name: bare}
          - {name: spaced}
          - {name: parent}
          - {name: child}
        """#

    /// Label sets as amtool takes them (each `name=value` is parsed as a matcher, so quotes are escaped).
    static let cases: [[String]] = [
        [#"msg="a, b""#, "sev=critical"],
        ["env=prod", "sev=critical"],
        ["env=prod", "team=ops", "sev=critical"],
        [#"q="say \"hi\"""#, "sev=critical"],
        ["path=123", "sev=critical"],
        ["path=x"],
        ["dc=eu", "sev=critical"],
        ["dc=eu", "rack=r7", "sev=critical"],
        ["dc=eu", "rack=r77"],
    ]

    /// Runs amtool on a global queue (not a Swift concurrency thread) and returns its trimmed output.
    private static func run(_ args: [String]) async throws -> String {
        try await withCheckedThrowingContinuation { cont in
            DispatchQueue.global().async {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: amtool)
                p.arguments = args
                let out = Pipe()
                p.standardOutput = out
                p.standardError = FileHandle.nullDevice
                do {
                    try p.run()
                } catch {
                    cont.resume(throwing: error)
                    return
                }
                let data = out.fileHandleForReading.readDataToEndOfFile()
                p.waitUntilExit()
                cont.resume(returning: String(decoding: data, as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
    }

    @Test(.enabled(if: available, "needs Debian's prometheus-alertmanager (amtool)"), arguments: cases)
    func receiversMatchAmtool(_ args: [String]) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-amtool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("am.yml")
        try Self.config.write(to: file, atomically: true, encoding: .utf8)

        let theirs = try await Self.run(["config", "routes", "test", "--config.file=\(file.path)"] + args)

        var labels = Labels()
        for arg in args {
            let m = try MatcherParser.parseOne(arg)
            labels.set(m.name, m.value)
        }
        let (config, _) = try NotifyConfiguration.load(file: file.path)
        let ours = config.route.match(labels).map(\.options.receiver).joined(separator: ",")
        #expect(ours == theirs)
    }
}
