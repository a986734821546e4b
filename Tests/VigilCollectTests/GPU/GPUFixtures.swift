import Foundation
import Testing
import VigilCore
@testable import VigilCollect

/// Builds the fake NVML (`Fixtures/FakeNVML/fake_nvml.c`) into a temporary directory and wires collectors to it.
enum GPUFixtures {
    static let testsRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()  // GPU
        url.deleteLastPathComponent()  // VigilCollectTests
        return url.path
    }()

    static let fakeSource = testsRoot + "/Fixtures/FakeNVML/fake_nvml.c"

    /// `../shared` next to the repository (the worktree), nil when absent.
    static let sharedRoot: String? = {
        var url = URL(fileURLWithPath: testsRoot)
        url.deleteLastPathComponent()  // Tests
        url.deleteLastPathComponent()  // repository
        let shared = url.deletingLastPathComponent().appendingPathComponent("shared").path
        return FileManager.default.fileExists(atPath: shared + "/corpus") ? shared : nil
    }()

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("vigil-gpu-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Compiles the fake NVML with `defines` into its own directory (so each test has its own state); the path.
    static func buildFakeNVML(_ defines: [String] = []) throws -> String {
        let dir = try temporaryDirectory()
        let out = dir + "/libnvidia-ml.so.1"
        let cc = Process()
        cc.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        cc.arguments = ["cc", "-shared", "-fPIC", "-O1", "-o", out, fakeSource] + defines.map { "-D" + $0 }
        try cc.run()
        cc.waitUntilExit()
        try #require(cc.terminationStatus == 0, "cc failed on \(fakeSource)")
        return out
    }

    /// A configuration for the fake at `library`, with fixed `instance`/`Hostname` and no `nvidia-smi` fallback.
    static func configuration(library: String) -> GPUCollector.Configuration {
        var c = GPUCollector.Configuration()
        c.nvmlLibrary = library
        c.nvidiaSMI = ""
        c.instance = "test-host"
        c.hostname = "test-host"
        return c
    }

    /// Calls one of the fake's test hooks through its own `dlopen` handle (the same instance the collector uses).
    static func injectXid(library: String, gpu: UInt32, xid: UInt64) throws {
        let handle = try #require(dlopen(library, RTLD_NOW | RTLD_LOCAL))
        defer { dlclose(handle) }
        typealias Inject = @convention(c) (UInt32, UInt64) -> Void
        let sym = try #require(dlsym(handle, "fake_nvml_inject_xid"))
        unsafeBitCast(sym, to: Inject.self)(gpu, xid)
    }

    /// Makes every call about GPU `gpu` answer `NVML_ERROR_GPU_IS_LOST` (or answer again).
    static func setLost(library: String, gpu: UInt32, _ lost: Bool) throws {
        let handle = try #require(dlopen(library, RTLD_NOW | RTLD_LOCAL))
        defer { dlclose(handle) }
        typealias SetLost = @convention(c) (UInt32, Int32) -> Void
        let sym = try #require(dlsym(handle, "fake_nvml_set_lost"))
        unsafeBitCast(sym, to: SetLost.self)(gpu, lost ? 1 : 0)
    }

    /// The fake's identity labels of GPU `i` (see fake_nvml.c), with `job` and `instance`.
    static func labels(gpu i: Int, _ extra: [String: String] = [:]) -> [String: String] {
        var l = [
            "gpu": String(i),
            "UUID": String(format: "GPU-abcd%04x-1111-2222-3333-44445555%04x", i, i),
            "pci_bus_id": String(format: "00000000:%02X:00.0", 7 + 8 * i),
            "device": "nvidia\(i)",
            "modelName": "NVIDIA A100-SXM4-80GB",
            "Hostname": "test-host",
            "DCGM_FI_DRIVER_VERSION": "550.54.15",
            "job": "gpu",
            "instance": "test-host",
        ]
        for (k, v) in extra { l[k] = v }
        return l
    }
}

/// A cycle's samples keyed by their full label set.
struct GPUSamples {
    let samples: [LabeledSample]
    let byLabels: [Labels: Double]

    init(_ samples: [LabeledSample]) {
        self.samples = samples
        var m: [Labels: Double] = [:]
        for s in samples { m[s.labels] = s.v }
        byLabels = m
    }

    /// The value of the series `name` with exactly `labels`.
    func value(_ name: String, _ labels: [String: String]) -> Double? {
        var l = labels
        l["__name__"] = name
        return byLabels[Labels(l)]
    }

    /// The samples named `name`.
    func named(_ name: String) -> [LabeledSample] { samples.filter { $0.labels.metricName == name } }

    var names: Set<String> { Set(samples.map(\.labels.metricName)) }
}

/// Records appended batches.
final class GPURecordingAppender: SampleAppender, @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [[LabeledSample]] = []

    func append(_ batch: [LabeledSample]) throws -> AppendResult {
        lock.withLock { stored.append(batch) }
        return AppendResult(accepted: batch.count)
    }

    var batches: [[LabeledSample]] { lock.withLock { stored } }
}
