import Foundation
import VigilCore
import VigilQuery
import VigilStorage

/// Runs parsed `.test` scripts against a fresh `MemoryStorage` and compares results as `promqltest` does.
struct PromQLTestRunner {
    struct Outcome {
        var file: String
        var line: Int
        var query: String
        /// nil when the case passed.
        var failure: String?
    }

    /// Relative tolerance of `promqltest` (`defaultEpsilon`).
    static let epsilon = 1e-6

    var storage = MemoryStorage(retention: Int64.max / 4)

    mutating func run(_ commands: [PromQLTestCommand]) -> [Outcome] {
        var outcomes: [Outcome] = []
        for cmd in commands {
            switch cmd {
            case .clear:
                storage = MemoryStorage(retention: Int64.max / 4)
            case .load(let step, let series, _):
                // A series listed twice keeps the later value at a shared timestamp, as promqltest's storage does.
                var points: [Labels: [Int64: Double]] = [:]
                var order: [Labels] = []
                for (labels, values) in series {
                    if points[labels] == nil { order.append(labels) }
                    for (i, v) in values.enumerated() {
                        if let v { points[labels, default: [:]][Int64(i) * step] = v }
                    }
                }
                var batch: [LabeledSample] = []
                for labels in order {
                    for (t, v) in points[labels, default: [:]].sorted(by: { $0.key < $1.key }) {
                        batch.append(LabeledSample(labels, t: t, v: v))
                    }
                }
                _ = try? storage.append(batch)
            case .eval(let c):
                outcomes.append(Outcome(file: c.file, line: c.line, query: c.query, failure: check(c)))
            case .unsupported:
                break
            }
        }
        return outcomes
    }

    func check(_ c: PromQLTestCase) -> String? {
        let engine = QueryEngine(storage: storage)
        let result: QueryValue
        do {
            let expr = try QueryEngine.parse(c.query)
            switch c.kind {
            case .instant(let t): result = try engine.instant(expr, at: t)
            case .range(let s, let e, let st): result = try engine.range(expr, start: s, end: e, step: st)
            }
        } catch {
            if !c.shouldFail { return "unexpected error: \(error)" }
            let text = "\(error)"
            if let m = c.failMessage, !text.contains(m) {
                return "error \(text.debugDescription) does not contain \(m)"
            }
            if let r = c.failRegex, text.range(of: r, options: .regularExpression) == nil {
                return "error \(text.debugDescription) does not match \(r)"
            }
            return nil
        }
        if c.shouldFail { return "expected an error, got \(describe(result))" }
        return compare(c, result)
    }

    private func compare(_ c: PromQLTestCase, _ result: QueryValue) -> String? {
        switch (c.expected, result) {
        case (.string(let want), .string(_, let got)):
            return want == got ? nil : "string \(got.debugDescription) != \(want.debugDescription)"
        case (.scalar(let want), .scalar(_, let got)):
            return Self.equal(want, got) ? nil : "scalar \(got) != \(want)"
        case (.vector(let want), .vector(let got)):
            return compareVector(want, got, ordered: c.ordered)
        case (.vector(let want), .scalar(_, let got)) where want.count == 1 && want[0].0.isEmpty:
            return want[0].1.count == 1 && Self.equal(want[0].1[0] ?? .nan, got) ? nil : "scalar \(got)"
        case (.vector(let want), .matrix(let got)):
            guard case .range(let s, _, let st) = c.kind else { return "unexpected matrix" }
            return compareMatrix(want, got, start: s, step: st)
        case (.rangeVector(let s, _, let st, let want), .matrix(let got)):
            return compareMatrix(want, got, start: s, step: st)
        default:
            return "result \(describe(result)) does not match expected \(c.expected)"
        }
    }

    private func compareVector(_ want: [(Labels, [Double?])], _ got: [VectorElement], ordered: Bool) -> String? {
        if want.count != got.count {
            return "expected \(want.count) elements, got \(got.count): \(describe(.vector(got)))"
        }
        var byLabels: [Labels: (Int, Double)] = [:]
        for (i, e) in got.enumerated() { byLabels[e.labels] = (i, e.v) }
        for (i, (labels, values)) in want.enumerated() {
            guard let (pos, v) = byLabels[labels] else {
                return "missing \(labels) in \(describe(.vector(got)))"
            }
            guard values.count == 1, let w = values[0] else { return "bad expectation for \(labels)" }
            if !Self.equal(w, v) { return "\(labels): got \(v), want \(w)" }
            if ordered && pos != i { return "\(labels) at position \(pos), want \(i)" }
        }
        return nil
    }

    private func compareMatrix(_ want: [(Labels, [Double?])], _ got: [Series], start: Int64, step: Int64) -> String? {
        let wantNonEmpty = want.filter { $0.1.contains { $0 != nil } }
        if wantNonEmpty.count != got.count {
            return "expected \(wantNonEmpty.count) series, got \(got.count): \(describe(.matrix(got)))"
        }
        var byLabels: [Labels: [Sample]] = [:]
        for s in got { byLabels[s.labels] = s.samples }
        for (labels, values) in wantNonEmpty {
            guard let samples = byLabels[labels] else { return "missing \(labels) in \(describe(.matrix(got)))" }
            var expectedPoints: [Sample] = []
            for (i, v) in values.enumerated() {
                if let v { expectedPoints.append(Sample(t: start + Int64(i) * step, v: v)) }
            }
            if expectedPoints.count != samples.count {
                let got = samples.map { "\($0.v)@\($0.t)" }
                return "\(labels): got \(got), want \(expectedPoints.map { "\($0.v)@\($0.t)" })"
            }
            for (e, g) in zip(expectedPoints, samples) where e.t != g.t || !Self.equal(e.v, g.v) {
                return "\(labels): got \(g.v)@\(g.t), want \(e.v)@\(e.t)"
            }
        }
        return nil
    }

    /// `almost.Equal` with `promqltest`'s epsilon; NaN equals NaN.
    static func equal(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN && b.isNaN { return true }
        if a == b { return true }
        let minNormal = Double(bitPattern: 0x0010_0000_0000_0000)
        let absSum = abs(a) + abs(b)
        let diff = abs(a - b)
        if a == 0 || b == 0 || absSum < minNormal { return diff < epsilon * minNormal }
        return diff / min(absSum, .greatestFiniteMagnitude) < epsilon
    }

    private func describe(_ v: QueryValue) -> String {
        switch v {
        case .scalar(_, let x): return "scalar \(x)"
        case .string(_, let s): return "string \(s.debugDescription)"
        case .vector(let els): return "{" + els.map { "\($0.labels) \($0.v)" }.joined(separator: "; ") + "}"
        case .matrix(let ss):
            return "[" + ss.map { "\($0.labels) " + $0.samples.map { "\($0.v)@\($0.t)" }.joined(separator: " ") }
                .joined(separator: "; ") + "]"
        }
    }
}
