import Foundation
import Testing
import VigilCore
import VigilTesting
@testable import VigilNotify

/// Every Alertmanager configuration of the shared corpus: those Alertmanager rejects for the parts Vigil checks
/// fail with a position, all others load (receiver kinds Vigil lacks only warn).
struct CorpusSweepTests {
    static let rejected: Set<String> = [
        "cli-testdata/conf.bad.yml",
        "config-testdata/conf.nil-match_re-route.yml",
        "config-testdata/conf.nil-source_match_re-inhibition.yml",
        "config-testdata/conf.nil-target_match_re-inhibition.yml",
        "config-testdata/conf.opsgenie-default-apikey-old-team.yml",
    ]

    static func files() -> [String] {
        guard let dir = SharedFixtures.path("corpus/alertmanager-config"),
              let e = FileManager.default.enumerator(atPath: dir.path) else { return [] }
        var out: [String] = []
        while let f = e.nextObject() as? String {
            if f.hasSuffix(".yml") && !f.hasPrefix("amtool-config-testdata") && !f.hasPrefix("route-match") {
                out.append(f)
            }
        }
        return out.sorted()
    }

    @Test(.enabled(if: SharedFixtures.available, "needs ../shared"), arguments: files())
    func corpusFileLoadsOrFailsWithPosition(_ file: String) throws {
        let path = try #require(SharedFixtures.path("corpus/alertmanager-config/\(file)")).path
        if Self.rejected.contains(file) {
            #expect {
                try NotifyConfiguration.load(file: path)
            } throws: { error in
                (error as? ConfigError)?.mark != nil && (error as? ConfigError)?.file == path
            }
        } else {
            let (config, _) = try NotifyConfiguration.load(file: path)
            #expect(config.receiver(named: config.route.options.receiver) != nil)
        }
    }
}
