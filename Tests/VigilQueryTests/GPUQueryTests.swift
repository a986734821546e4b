import Foundation
import Testing
import VigilCollect
import VigilCore
import VigilQuery
import VigilStorage

/// The GPU collector (against the fake NVML of `Tests/VigilCollectTests/Fixtures/FakeNVML`) feeding a store, queried
/// with PromQL: NVIDIA's DCGM dashboard expressions and case C20's Xid questions.
@Suite struct GPUQueryTests {
    static let testsRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()  // VigilQueryTests
        url.deleteLastPathComponent()  // Tests
        return url.path
    }()

    static let sharedRoot: String? = {
        let shared = URL(fileURLWithPath: testsRoot).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared").path
        return FileManager.default.fileExists(atPath: shared + "/corpus") ? shared : nil
    }()

    /// The fake NVML built into a fresh directory; its path.
    static func buildFakeNVML() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-gpuq-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let out = dir + "/libnvidia-ml.so.1"
        let cc = Process()
        cc.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        cc.arguments = ["cc", "-shared", "-fPIC", "-o", out,
                        testsRoot + "/VigilCollectTests/Fixtures/FakeNVML/fake_nvml.c"]
        try cc.run()
        cc.waitUntilExit()
        try #require(cc.terminationStatus == 0)
        return out
    }

    static func collector(_ library: String) -> GPUCollector {
        var c = GPUCollector.Configuration()
        c.nvmlLibrary = library
        c.nvidiaSMI = ""
        c.instance = "gpu-node:9400"
        c.hostname = "node-a"
        return GPUCollector(configuration: c, logger: .disabled)
    }

    private func vector(_ engine: QueryEngine, _ q: String, at t: Int64) throws -> [VectorElement] {
        guard case .vector(let els) = try engine.instantQuery(q, at: t) else {
            Issue.record("\(q): not a vector")
            return []
        }
        return els
    }

    @Test(.enabled(if: sharedRoot != nil, "needs ../shared/corpus/ai-metrics"))
    func dashboardExpressionsReturnData() throws {
        let collector = GPUQueryTests.collector(try GPUQueryTests.buildFakeNVML())
        let store = MemoryStorage(retention: Int64.max / 4)
        for t in stride(from: Int64(0), through: 300_000, by: 15_000) { try store.append(collector.collect(at: t)) }
        let engine = QueryEngine(storage: store)

        let text = try String(contentsOfFile: GPUQueryTests.sharedRoot! + "/corpus/ai-metrics/dashboard_queries.csv",
                              encoding: .utf8)
        var checked = 0
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("dcgm-exporter/") {
            // dashboard,panel,"expr" with "" for a quote inside the expression.
            guard let open = line.firstIndex(of: "\"") else { continue }
            let expr = String(line[line.index(after: open)..<line.index(before: line.endIndex)])
                .replacingOccurrences(of: "\"\"", with: "\"")
                .replacingOccurrences(of: "$instance", with: "gpu-node:9400")
                .replacingOccurrences(of: "$gpu", with: "0|1")
            if expr.contains("DCGM_FI_PROF_") || expr.hasPrefix("label_values(") { continue }
            let els = try vector(engine, expr, at: 300_000)
            #expect(!els.isEmpty, "\(expr) returned nothing")
            checked += 1
        }
        #expect(checked == 7)  // 8 panels, one of them DCGM_FI_PROF_PIPE_TENSOR_ACTIVE
        #expect(try vector(engine, "sum(DCGM_FI_DEV_POWER_USAGE{instance=~\"gpu-node:9400\", gpu=~\"0|1\"})",
                           at: 300_000).map(\.v) == [562.5])
    }

    /// C20: two Xid 31 events (12:00:41, 12:04:12), cycles every minute from 12:00 to 12:30.
    @Test func repeatedXidIsVisibleToAWindowedCountC20() throws {
        let library = try GPUQueryTests.buildFakeNVML()
        let collector = GPUQueryTests.collector(library)
        let store = MemoryStorage(retention: Int64.max / 4)
        let handle = try #require(dlopen(library, RTLD_NOW | RTLD_LOCAL))
        defer { dlclose(handle) }
        typealias Inject = @convention(c) (UInt32, UInt64) -> Void
        let inject = unsafeBitCast(try #require(dlsym(handle, "fake_nvml_inject_xid")), to: Inject.self)
        let minute: Int64 = 60_000
        for m in Int64(0)...30 {
            if m == 1 || m == 5 { inject(0, 31) }  // happened during the minute before
            try store.append(collector.collect(at: m * minute))
        }
        let engine = QueryEngine(storage: store)
        let count = "increase(vigil_gpu_xid_events_total{gpu=\"0\", xid=\"31\"}[10m])"
        #expect(try vector(engine, count, at: 5 * minute).map(\.v) == [2])
        #expect(try vector(engine, count, at: 30 * minute).map(\.v) == [0])
        // The DCGM gauge alone (labelled err_code, as dcgm-exporter and C20's scrapes do): the err_code="31" series
        // never changes, so the repeat is invisible, and "> 0" still holds long after recovery (the trap).
        #expect(try vector(engine, "changes(DCGM_FI_DEV_XID_ERRORS{gpu=\"0\", err_code=\"31\"}[10m])",
                           at: 5 * minute).map(\.v) == [0])
        #expect(try vector(engine, "DCGM_FI_DEV_XID_ERRORS{gpu=\"0\"} > 0", at: 30 * minute).map(\.v) == [31])
    }
}
