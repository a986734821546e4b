import Foundation
import Testing
@testable import VigilServer

struct EmbeddedResourcesTests {
    static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func hostRulePackIsRulesHostYMLByteForByte() throws {
        let source = try Data(contentsOf: Self.repoRoot.appendingPathComponent("rules/host.yml"))
        let embedded = try #require(EmbeddedResources.rulePack("host"))
        #expect(Array(embedded.utf8) == Array(source))
    }

    @Test func defaultConfigIsTheEmbeddedFile() throws {
        let source = try String(contentsOf: Self.repoRoot.appendingPathComponent(
            "Sources/VigilServer/Embedded/default.yml"), encoding: .utf8)
        #expect(EmbeddedResources.defaultConfigTemplate == source)
    }

    @Test func unknownPackIsNil() {
        #expect(EmbeddedResources.rulePack("gpu") == nil)
    }
}
