import Glibc

/// `node_timex_*` from `adjtimex(2)`, with node_exporter's units and scaling.
///
/// Glibc's `sys/timex.h` is not part of Swift's Glibc module, so `adjtimex` is looked up with `dlsym` and
/// `struct timex` is read at its offsets for 64-bit Linux (x86_64 and aarch64 share the layout).
final class TimexCollector: HostFamilyCollector {
    let name = "timex"

    /// The fields of `struct timex` that node_exporter reports, and `adjtimex`'s return value.
    struct Reading: Equatable {
        var state: Int32 = 0
        var offset: Int64 = 0, freq: Int64 = 0, maxerror: Int64 = 0, esterror: Int64 = 0
        var status: Int32 = 0
        var constant: Int64 = 0, tick: Int64 = 0, ppsfreq: Int64 = 0, jitter: Int64 = 0
        var shift: Int32 = 0
        var stabil: Int64 = 0, jitcnt: Int64 = 0, calcnt: Int64 = 0, errcnt: Int64 = 0, stbcnt: Int64 = 0
        var tai: Int32 = 0
    }

    private typealias AdjtimexFunction = @convention(c) (UnsafeMutableRawPointer) -> Int32
    private let adjtimex: AdjtimexFunction?

    /// `TIME_ERROR`: the clock is not synchronised.
    static let timeError: Int32 = 5
    /// `STA_NANO`: offset and jitter are in nanoseconds rather than microseconds.
    static let staNano: Int32 = 0x2000
    /// Scaled parts per million (`adjtimex(2)` NOTES), as node_exporter's `ppm16frac`.
    static let ppm16frac = 1000000.0 * 65536.0

    init() {
        if MemoryLayout<Int>.size == 8, let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "adjtimex") {
            adjtimex = unsafeBitCast(symbol, to: AdjtimexFunction.self)
        } else {
            adjtimex = nil
        }
    }

    func collect(_ context: inout HostCollectContext) throws(HostCollectorError) {
        let reading = try read()
        for (name, value) in TimexCollector.samples(reading) { context.out.add(name, value) }
    }

    /// Calls `adjtimex` with `modes` 0 (read only).
    func read() throws(HostCollectorError) -> Reading {
        guard let adjtimex else { throw .missing(path: "adjtimex") }
        let size = 256  // sizeof(struct timex) is 208 on 64-bit Linux
        let buf = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        defer { buf.deallocate() }
        buf.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        let state = adjtimex(buf)
        if state < 0 {
            let code = errno
            if code == EPERM { throw .missing(path: "adjtimex") }
            throw .syscall(name: "adjtimex", errno: code)
        }
        func long(_ offset: Int) -> Int64 { buf.load(fromByteOffset: offset, as: Int64.self) }
        func int(_ offset: Int) -> Int32 { buf.load(fromByteOffset: offset, as: Int32.self) }
        return Reading(
            state: state, offset: long(8), freq: long(16), maxerror: long(24), esterror: long(32), status: int(40),
            constant: long(48), tick: long(88), ppsfreq: long(96), jitter: long(104), shift: int(112),
            stabil: long(120), jitcnt: long(128), calcnt: long(136), errcnt: long(144), stbcnt: long(152),
            tai: int(160))
    }

    /// node_exporter's timex metrics for one reading.
    static func samples(_ r: Reading) -> [(String, Double)] {
        let divisor = (r.status & staNano) != 0 ? 1_000_000_000.0 : 1_000_000.0
        let micro = 1_000_000.0
        return [
            ("node_timex_sync_status", r.state == timeError ? 0 : 1),
            ("node_timex_offset_seconds", Double(r.offset) / divisor),
            ("node_timex_frequency_adjustment_ratio", 1 + Double(r.freq) / ppm16frac),
            ("node_timex_maxerror_seconds", Double(r.maxerror) / micro),
            ("node_timex_estimated_error_seconds", Double(r.esterror) / micro),
            ("node_timex_status", Double(r.status)),
            ("node_timex_loop_time_constant", Double(r.constant)),
            ("node_timex_tick_seconds", Double(r.tick) / micro),
            ("node_timex_pps_frequency_hertz", Double(r.ppsfreq) / ppm16frac),
            ("node_timex_pps_jitter_seconds", Double(r.jitter) / divisor),
            ("node_timex_pps_shift_seconds", Double(r.shift)),
            ("node_timex_pps_stability_hertz", Double(r.stabil) / ppm16frac),
            ("node_timex_pps_jitter_total", Double(r.jitcnt)),
            ("node_timex_pps_calibration_total", Double(r.calcnt)),
            ("node_timex_pps_error_total", Double(r.errcnt)),
            ("node_timex_pps_stability_exceeded_total", Double(r.stbcnt)),
            ("node_timex_tai_offset_seconds", Double(r.tai)),
        ]
    }
}
