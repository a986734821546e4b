import Testing
import VigilCore
@testable import VigilCollect

/// `collectors.gpu` parsing.
struct GPUCollectorConfigurationTests {
    private func parse(_ yaml: String, defaultInterval: Int64 = 15_000) throws(ConfigError)
        -> GPUCollector.Configuration
    {
        let root = try YAMLParser.parse(yaml, file: "vigil.yml")
        return try GPUCollector.Configuration.parse(root["collectors"]?["gpu"], reader: YAMLReader(file: "vigil.yml"),
                                                    defaultInterval: defaultInterval)
    }

    @Test func absentSectionGivesDefaults() throws {
        let c = try parse("global: {}\n", defaultInterval: 30_000)
        #expect(c.enabled)
        #expect(c.interval == 30_000)
        #expect(c.job == "gpu")
        #expect(c.instance == nil && c.hostname == nil)
        #expect(c.nvmlLibrary == "libnvidia-ml.so.1")
        #expect(c.nvidiaSMI == "nvidia-smi")
        #expect(c.nvidiaSMITimeout == 10)
    }

    @Test func readsEveryKey() throws {
        let c = try parse("""
            collectors:
              gpu:
                enabled: false
                interval: 5s
                job: dcgm
                instance: gpu-node-1
                hostname: node-a
                nvml_library: /usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1
                nvidia_smi: ""
                nvidia_smi_timeout: 3s
            """)
        #expect(!c.enabled)
        #expect(c.interval == 5_000)
        #expect(c.job == "dcgm")
        #expect(c.instance == "gpu-node-1")
        #expect(c.hostname == "node-a")
        #expect(c.nvmlLibrary == "/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1")
        #expect(c.nvidiaSMI == "")
        #expect(c.nvidiaSMITimeout == 3)
    }

    @Test func nullSectionGivesDefaults() throws {
        let c = try parse("collectors:\n  gpu:\n")
        #expect(c == GPUCollector.Configuration())
    }

    @Test(arguments: [
        ("collectors:\n  gpu:\n    nvml: x\n", "vigil.yml:3:5"),
        ("collectors:\n  gpu:\n    interval: 0s\n", "must be positive"),
        ("collectors:\n  gpu:\n    job: \"\"\n", "collectors.gpu.job: must not be empty"),
        ("collectors:\n  gpu:\n    enabled: maybe\n", "vigil.yml:3:14"),
    ])
    func badValuesAreErrorsWithPosition(yaml: String, message: String) {
        do {
            _ = try parse(yaml)
            Issue.record("no error for \(yaml)")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }
}
