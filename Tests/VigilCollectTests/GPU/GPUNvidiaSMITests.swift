import Foundation
import Testing
import VigilCore
@testable import VigilCollect

/// The `nvidia-smi` fallback, against a script that answers like an older driver (it rejects the
/// `clocks_event_reasons.active` field, as drivers before 535 do).
struct GPUNvidiaSMITests {
    static let output = """
        0, GPU-aaa, NVIDIA A10G, 00000000:00:1E.0, 37, 12, 23028, 1024, 21504, 48, 61.29, 300.00, 300.00, 1710, \
        6250, 0x0000000000000004, 0, 0, 0, 0, 0, 0, No
        1, GPU-bbb, NVIDIA A10G, 00000000:00:1F.0, [N/A], [Not Supported], 23028, 20000, 3028, 85, [N/A], 300.00, \
        150.00, 900, 6250, 0x0000000000000060, 3, 1, 10, 2, 1, 0, Yes

        """

    /// A fake `nvidia-smi` in a temporary directory; it logs its arguments to `args.log` next to it.
    static func fakeTool(body: String = output, failAlways: Bool = false) throws -> String {
        let dir = try GPUFixtures.temporaryDirectory()
        let path = dir + "/nvidia-smi"
        let fail = "echo 'NVIDIA-SMI has failed because it could not communicate with the driver'; exit 9"
        let script = """
            #!/bin/sh
            echo "$*" >> "\(dir)/args.log"
            \(failAlways ? fail : "")
            case "$*" in
              *clocks_event_reasons*) echo 'Field "clocks_event_reasons.active" is not a valid field to query.' >&2
                                      exit 2;;
            esac
            case "$*" in *--format=csv,noheader,nounits*) ;; *) exit 3;; esac
            cat <<'EOF'
            \(body)EOF

            """
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    private func configuration(tool: String) throws -> GPUCollector.Configuration {
        var c = GPUFixtures.configuration(library: try GPUFixtures.temporaryDirectory() + "/libnvidia-ml.so.1")
        c.nvidiaSMI = tool
        return c
    }

    @Test func fallsBackToNvidiaSMIWhenNVMLIsMissing() throws {
        let tool = try GPUNvidiaSMITests.fakeTool()
        let sink = MemoryLogSink()
        let collector = GPUCollector(configuration: try configuration(tool: tool),
                                     logger: Logger(level: .info, sink: sink))
        let c = GPUSamples(collector.collect(at: 7))
        #expect(collector.sourceKind == .nvidiaSMI)
        #expect(c.value("vigil_gpu_collector_up", [:]) == 1)
        func l(_ i: Int) -> [String: String] {
            ["gpu": String(i), "UUID": i == 0 ? "GPU-aaa" : "GPU-bbb", "modelName": "NVIDIA A10G",
             "pci_bus_id": i == 0 ? "00000000:00:1E.0" : "00000000:00:1F.0", "device": "nvidia\(i)",
             "Hostname": "test-host", "job": "gpu", "instance": "test-host"]
        }
        let expected: [(String, Int, Double?)] = [
            ("DCGM_FI_DEV_GPU_UTIL", 0, 37), ("DCGM_FI_DEV_GPU_UTIL", 1, nil),
            ("DCGM_FI_DEV_MEM_COPY_UTIL", 0, 12), ("DCGM_FI_DEV_MEM_COPY_UTIL", 1, nil),
            ("DCGM_FI_DEV_FB_TOTAL", 0, 23028), ("DCGM_FI_DEV_FB_TOTAL", 1, 23028),
            ("DCGM_FI_DEV_FB_USED", 0, 1024), ("DCGM_FI_DEV_FB_USED", 1, 20000),
            ("DCGM_FI_DEV_FB_FREE", 0, 21504), ("DCGM_FI_DEV_FB_FREE", 1, 3028),
            ("DCGM_FI_DEV_GPU_TEMP", 0, 48), ("DCGM_FI_DEV_GPU_TEMP", 1, 85),
            ("DCGM_FI_DEV_POWER_USAGE", 0, 61.29), ("DCGM_FI_DEV_POWER_USAGE", 1, nil),
            ("DCGM_FI_DEV_POWER_MGMT_LIMIT", 0, 300), ("DCGM_FI_DEV_POWER_MGMT_LIMIT", 1, 300),
            ("DCGM_FI_DEV_ENFORCED_POWER_LIMIT", 0, 300), ("DCGM_FI_DEV_ENFORCED_POWER_LIMIT", 1, 150),
            ("DCGM_FI_DEV_SM_CLOCK", 0, 1710), ("DCGM_FI_DEV_SM_CLOCK", 1, 900),
            ("DCGM_FI_DEV_MEM_CLOCK", 0, 6250), ("DCGM_FI_DEV_MEM_CLOCK", 1, 6250),
            ("DCGM_FI_DEV_CLOCKS_EVENT_REASONS", 0, 4), ("DCGM_FI_DEV_CLOCKS_EVENT_REASONS", 1, 0x60),
            ("DCGM_FI_DEV_ECC_SBE_VOL_TOTAL", 0, 0), ("DCGM_FI_DEV_ECC_SBE_VOL_TOTAL", 1, 3),
            ("DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", 0, 0), ("DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", 1, 1),
            ("DCGM_FI_DEV_ECC_SBE_AGG_TOTAL", 0, 0), ("DCGM_FI_DEV_ECC_SBE_AGG_TOTAL", 1, 10),
            ("DCGM_FI_DEV_ECC_DBE_AGG_TOTAL", 0, 0), ("DCGM_FI_DEV_ECC_DBE_AGG_TOTAL", 1, 2),
            ("DCGM_FI_DEV_RETIRED_SBE", 0, 0), ("DCGM_FI_DEV_RETIRED_SBE", 1, 1),
            ("DCGM_FI_DEV_RETIRED_DBE", 0, 0), ("DCGM_FI_DEV_RETIRED_DBE", 1, 0),
            ("DCGM_FI_DEV_RETIRED_PENDING", 0, 0), ("DCGM_FI_DEV_RETIRED_PENDING", 1, 1),
        ]
        for (name, gpu, value) in expected {
            #expect(c.value(name, l(gpu)) == value, "\(name) gpu=\(gpu)")
        }
        #expect(c.samples.count == 1 + expected.filter { $0.2 != nil }.count)

        let args = try String(contentsOfFile: URL(fileURLWithPath: tool).deletingLastPathComponent().path
                                + "/args.log", encoding: .utf8).split(separator: "\n")
        #expect(args.count == 2)
        #expect(args.last?.contains("clocks_throttle_reasons.active") == true)
        #expect(args.last?.contains("--format=csv,noheader,nounits") == true)
        _ = collector.collect(at: 8)
        let again = try String(contentsOfFile: URL(fileURLWithPath: tool).deletingLastPathComponent().path
                                + "/args.log", encoding: .utf8).split(separator: "\n")
        #expect(again.count == 3, "the old field name is remembered")
        #expect(sink.lines.count == 1 && sink.lines[0].contains("source=nvidia-smi"), "\(sink.lines)")
    }

    @Test func failingToolReportsDownOnce() throws {
        let tool = try GPUNvidiaSMITests.fakeTool(failAlways: true)
        let sink = MemoryLogSink()
        let collector = GPUCollector(configuration: try configuration(tool: tool),
                                     logger: Logger(level: .info, sink: sink))
        #expect(collector.collect(at: 1).map(\.v) == [0])
        #expect(collector.collect(at: 2).map(\.v) == [0])
        let warnings = sink.lines.filter { $0.contains("level=warn") }
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("could not communicate with the driver") == true, "\(sink.lines)")
    }

    @Test func malformedLineIsAnError() throws {
        let tool = try GPUNvidiaSMITests.fakeTool(body: "0, GPU-aaa, 37\n")
        let collector = GPUCollector(configuration: try configuration(tool: tool), logger: .disabled)
        #expect(collector.collect(at: 1).map(\.v) == [0])
    }

    @Test(arguments: [("[N/A]", nil), ("[Not Supported]", nil), ("", nil), ("Yes", 1), ("No", 0),
                      ("0x0000000000000060", 96), ("61.29", 61.29), ("[Unknown Error]", nil)] as [(String, Double?)])
    func cellValues(cell: String, value: Double?) {
        #expect(NvidiaSMISource.value(cell) == value)
    }
}
