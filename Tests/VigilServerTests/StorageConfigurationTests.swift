import Testing
import VigilCore
import VigilStorage
@testable import VigilServer

struct StorageConfigurationTests {
    private func parse(_ text: String) throws(ServerError) -> VigilConfiguration {
        try VigilConfiguration.parse(text: text, file: "vigil.yml")
    }

    @Test func durableStoreKeysTakeEffect() throws {
        let c = try parse("""
            storage:
              retention: 30d
              retention_size: 512MB
              wal_sync: always
              out_of_order_window: 5m
              downsample:
                - {resolution: 1h, retention: 2y}
                - {resolution: 5m, retention: 60d}
            """)
        let o = c.storage.tsdbOptions
        #expect(o.retention == 30 * 86_400_000)
        #expect(o.retentionSize == 512 << 20)
        #expect(o.walSync == .always)
        #expect(o.outOfOrderWindow == 300_000)
        #expect(o.downsample == [DownsampleLevel(resolution: 300_000, retention: 60 * 86_400_000),
                                 DownsampleLevel(resolution: 3_600_000, retention: 2 * 365 * 86_400_000)])
        #expect(c.warnings.isEmpty)
    }

    @Test func defaultsAreFifteenDaysOneSecondGroupCommitAndRollups() throws {
        let o = try parse("").storage.tsdbOptions
        #expect(o.retention == 15 * 86_400_000)
        #expect(o.walSync == .interval(1000))
        #expect(o.retentionSize == 0)
        #expect(o.downsample == DownsampleLevel.defaults)
    }

    @Test func prometheusAliasesWork() throws {
        let c = try parse("storage:\n  tsdb:\n    retention:\n      time: 2d\n      size: 1GB\n")
        #expect(c.storage.retention == 2 * 86_400_000)
        #expect(c.storage.retentionSize == 1 << 30)
    }

    @Test(arguments: [
        ("storage:\n  retention_size: lots\n", "vigil.yml:2:19: storage.retention_size: not a valid size"),
        ("storage:\n  wal_sync: sometimes\n", "vigil.yml:2:13: storage.wal_sync: not a valid duration"),
        ("storage:\n  downsample:\n    - {resolution: 5m}\n", "vigil.yml:3:7: storage.downsample: each level needs"),
        ("storage:\n  retention_size: 1GB\n  tsdb:\n    retention:\n      size: 2GB\n",
         "vigil.yml:5:7: storage: storage.tsdb.retention.size and storage.retention_size set the same thing"),
    ])
    func badValuesNameTheirPosition(text: String, prefix: String) {
        do {
            _ = try parse(text)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains(prefix), "\(error)")
        }
    }
}
