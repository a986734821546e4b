import Foundation
import VigilCore

/// The fallback when NVML cannot be loaded: `nvidia-smi --query-gpu=… --format=csv,noheader,nounits` each cycle.
///
/// Fields NVML gives but `nvidia-smi --query-gpu` does not (PCIe and NVLink throughput, remapped rows, Xid events,
/// process count) are missing in this mode; `[N/A]` and `[Not Supported]` values leave their series out.
final class NvidiaSMISource {
    /// The executable that is run.
    let executable: String
    private let hostname: String
    private let job: String
    private let instance: String
    private let timeout: Double
    private let logger: Logger
    /// The throttle-reason field: drivers before 535 know only the old name.
    private var reasonsField = "clocks_event_reasons.active"

    /// Identity fields, then the readings with their metric names and a scale factor.
    private static let identity = ["index", "uuid", "name", "pci.bus_id"]
    private static let readings: [(field: String, metric: String, scale: Double)] = [
        ("utilization.gpu", GPUMetricName.gpuUtil, 1),
        ("utilization.memory", GPUMetricName.memCopyUtil, 1),
        ("memory.total", GPUMetricName.fbTotal, 1),
        ("memory.used", GPUMetricName.fbUsed, 1),
        ("memory.free", GPUMetricName.fbFree, 1),
        ("temperature.gpu", GPUMetricName.gpuTemp, 1),
        ("power.draw", GPUMetricName.powerUsage, 1),
        ("power.limit", GPUMetricName.powerLimit, 1),
        ("enforced.power.limit", GPUMetricName.enforcedPowerLimit, 1),
        ("clocks.sm", GPUMetricName.smClock, 1),
        ("clocks.mem", GPUMetricName.memClock, 1),
        ("", GPUMetricName.clocksEventReasons, 1),
        ("ecc.errors.corrected.volatile.total", GPUMetricName.eccSBEVolatile, 1),
        ("ecc.errors.uncorrected.volatile.total", GPUMetricName.eccDBEVolatile, 1),
        ("ecc.errors.corrected.aggregate.total", GPUMetricName.eccSBEAggregate, 1),
        ("ecc.errors.uncorrected.aggregate.total", GPUMetricName.eccDBEAggregate, 1),
        ("retired_pages.single_bit_ecc.count", GPUMetricName.retiredSBE, 1),
        ("retired_pages.double_bit.count", GPUMetricName.retiredDBE, 1),
        ("retired_pages.pending", GPUMetricName.retiredPending, 1),
    ]

    /// Finds `nvidia-smi` (a path, or a name searched on `PATH`) and checks it answers; nil when it is not there.
    init?(command: String, hostname: String, job: String, instance: String, timeout: Double, logger: Logger) {
        guard !command.isEmpty, let path = NvidiaSMISource.resolve(command) else { return nil }
        self.executable = path
        self.hostname = hostname
        self.job = job
        self.instance = instance
        self.timeout = timeout
        self.logger = logger
    }

    /// One cycle: runs the query and appends each GPU's readings; throws when the tool fails.
    func collect(into out: inout GPUSampleBuffer) throws(GPUCollectorError) {
        var text: String
        do throws(GPUCollectorError) {
            text = try query(reasons: reasonsField)
        } catch {
            // Drivers older than 535 reject the new field name; newer ones still take the old one.
            let other = reasonsField == "clocks_event_reasons.active"
                ? "clocks_throttle_reasons.active" : "clocks_event_reasons.active"
            text = try query(reasons: other)
            reasonsField = other
        }
        try NvidiaSMISource.parse(text, hostname: hostname, job: job, instance: instance, executable: executable,
                                  into: &out)
    }

    private func query(reasons: String) throws(GPUCollectorError) -> String {
        let fields = NvidiaSMISource.identity + NvidiaSMISource.readings.map { $0.field.isEmpty ? reasons : $0.field }
        return try run(["--query-gpu=" + fields.joined(separator: ","), "--format=csv,noheader,nounits"])
    }

    /// Parses the CSV lines: identity fields first, then the readings in `readings` order.
    static func parse(_ text: String, hostname: String, job: String, instance: String, executable: String,
                      into out: inout GPUSampleBuffer)
        throws(GPUCollectorError)
    {
        let width = identity.count + readings.count
        for line in text.split(whereSeparator: \.isNewline) where !line.allSatisfy(\.isWhitespace) {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == width else {
                throw .nvidiaSMIFailed(path: executable,
                                       reason: "expected \(width) fields, got \(cells.count) in line \"\(line)\"")
            }
            let labels = GPULabelSet([("gpu", cells[0]), ("UUID", cells[1]), ("pci_bus_id", cells[3]),
                                      ("device", "nvidia\(cells[0])"), ("modelName", cells[2]), ("Hostname", hostname)],
                                     job: job, instance: instance)
            for (i, r) in readings.enumerated() {
                if let v = value(cells[identity.count + i]) { out.add(r.metric, labels, v * r.scale) }
            }
        }
    }

    /// A cell as a number: decimal, `0x…` hex, `Yes`/`No`; nil for `[N/A]`, `[Not Supported]` and the like.
    static func value(_ cell: String) -> Double? {
        if cell.isEmpty || cell.hasPrefix("[") || cell == "N/A" { return nil }
        if cell == "Yes" { return 1 }
        if cell == "No" { return 0 }
        if cell.hasPrefix("0x") || cell.hasPrefix("0X") {
            return UInt64(cell.dropFirst(2), radix: 16).map { Double($0) }
        }
        return Double(cell)
    }

    private func run(_ arguments: [String]) throws(GPUCollectorError) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        do {
            try process.run()
        } catch {
            throw .nvidiaSMIFailed(path: executable, reason: "\(error)")
        }
        // Both pipes are read while the process runs, so a chatty tool never blocks on a full pipe and a hung one
        // can still be killed.
        let captured = CapturedOutput()
        let readers = DispatchGroup()
        for (i, pipe) in [stdout, stderr].enumerated() {
            let handle = pipe.fileHandleForReading
            DispatchQueue.global().async(group: readers) { captured.set(i, handle.readDataToEndOfFile()) }
        }
        if done.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            if done.wait(timeout: .now() + 1) == .timedOut { kill(process.processIdentifier, SIGKILL) }
            _ = readers.wait(timeout: .now() + 1)
            throw .nvidiaSMIFailed(path: executable, reason: "no answer within \(timeout)s")
        }
        readers.wait()
        let (output, errors) = captured.both
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors.isEmpty ? output : errors, as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            throw .nvidiaSMIFailed(path: executable,
                                   reason: "exit status \(process.terminationStatus): \"\(message.prefix(200))\"")
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func resolve(_ command: String) -> String? {
        if command.contains("/") { return access(command, X_OK) == 0 ? command : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(command)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}

/// What a child process wrote to stdout (0) and stderr (1), filled from reader threads.
private final class CapturedOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var data = [Data(), Data()]

    func set(_ index: Int, _ value: Data) { lock.withLock { data[index] = value } }
    var both: (Data, Data) { lock.withLock { (data[0], data[1]) } }
}
