import Foundation
import Testing
import VigilLogs
import VigilTesting

/// Log-derived line counters.
struct LogLineCounterTests {
    @Test("counts per source, template and level; an empty level label is dropped as Prometheus does")
    func counts() {
        var c = LogLineCounter()
        let first = c.observe(source: "kern", templateID: "1", level: "error", at: 1000)
        let second = c.observe(source: "kern", templateID: "1", level: "error", at: 2000)
        #expect(first)
        #expect(!second)
        c.observe(source: "kern", templateID: "2", level: "", at: 2000)
        let s = c.samples(at: 3000)
        #expect(s.map(\.labels.description) == [
            #"vigil_log_lines_total{level="error", source="kern", template_id="1"}"#,
            #"vigil_log_lines_total{source="kern", template_id="2"}"#,
        ])
        #expect(s.map(\.v) == [2, 1])
    }
}

/// New-template and burst detection on per-template counts.
struct TemplateActivityMonitorTests {
    @Test("a new error-level template is reported once; 30 lines over a baseline of 5 burst at factor 5")
    func events() {
        var m = TemplateActivityMonitor(alpha: 0.5, factor: 5, minimumBurst: 10, warmUpIntervals: 3)
        #expect(m.observe(source: "app", templateID: "1", level: "info") == nil)
        #expect(m.observe(source: "app", templateID: "2", level: "error")
            == .newErrorTemplate(source: "app", templateID: "2"))
        #expect(m.observe(source: "app", templateID: "2", level: "error") == nil)
        // Intervals of 1 line each: the baseline of template 1 stays 1.
        #expect(m.closeInterval().isEmpty)
        for _ in 0..<3 {
            _ = m.observe(source: "app", templateID: "1", level: "info")
            #expect(m.closeInterval().isEmpty)
        }
        // 9 lines: 9 < 5 × (1 + 1) = 10, and fewer than 10 lines: no burst.
        for _ in 0..<9 { _ = m.observe(source: "app", templateID: "1", level: "info") }
        #expect(m.closeInterval().isEmpty)
        // Baseline now 0.5 × 1 + 0.5 × 9 = 5; 30 ≥ 5 × 6 = 30 bursts.
        for _ in 0..<30 { _ = m.observe(source: "app", templateID: "1", level: "info") }
        #expect(m.closeInterval() == [.burst(source: "app", templateID: "1", count: 30, baseline: 5)])
    }
}
