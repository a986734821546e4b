import Foundation
import Testing
import VigilLogs
import VigilTesting

/// The kernel Xid counter (case C20).
struct XidEventCounterTests {
    @Test(
        "case C20: two Xid 31 events counted; a 10-minute window holds 2 at 12:05 and 0 at 12:30",
        .enabled(if: SharedFixtures.available, "needs ../shared/cases"))
    func caseC20() throws {
        let file = try #require(SharedFixtures.path("cases/C20/kern.log"), "needs ../shared")
        var counter = XidEventCounter()
        for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
            let t = try #require(LogTimestamp.parse(line, year: 2026))
            counter.observe(String(line), timestamp: t)
        }
        #expect(counter.events.count == 2)
        let at1205 = try #require(LogTimestamp.parse("Jun 03 12:05:00", year: 2026))
        let at1230 = try #require(LogTimestamp.parse("Jun 03 12:30:00", year: 2026))
        let at1215 = try #require(LogTimestamp.parse("Jun 03 12:15:00", year: 2026))
        let tenMinutes: Int64 = 600_000
        #expect(counter.count(xid: 31, window: tenMinutes, at: at1205) == 2)
        #expect(counter.count(xid: 31, window: tenMinutes, at: at1215) == 0)
        #expect(counter.count(xid: 31, window: tenMinutes, at: at1230) == 0)
        let samples = counter.samples(at: at1230)
        #expect(samples.count == 1)
        #expect(samples.first?.labels.description
            == #"vigil_log_xid_events_total{pci_bus_id="0000:3b:00", xid="31"}"#)
        #expect(samples.first?.v == 2)
    }

    @Test("timestamps: syslog without year and RFC 3339 with fraction")
    func timestamps() {
        // 2026-06-03T12:00:41Z = 1780488041 s (date -u -d 2026-06-03T12:00:41Z +%s).
        #expect(LogTimestamp.parse("Jun 03 12:00:41 node-a kernel: x", year: 2026) == 1_780_488_041_000)
        #expect(LogTimestamp.parse("2026-06-03T12:00:41.250Z INFO x", year: 0) == 1_780_488_041_250)
        #expect(LogTimestamp.parse("Jun  3 12:00:41 node-a", year: 2026) == 1_780_488_041_000)
        #expect(LogTimestamp.parse("no time here", year: 2026) == nil)
    }
}
