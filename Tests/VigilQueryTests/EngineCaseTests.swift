import Foundation
import Testing
import VigilCore
import VigilQuery
import VigilStorage
import VigilTesting

/// Cases C01, C02, C04 and C05 of `shared/cases`, with values from their `expected.md` (hand calculations).
@Suite struct EngineCaseTests {
    private func value(_ v: QueryValue) throws -> Double {
        guard case .vector(let els) = v, els.count == 1 else { throw CaseError(description: "not one element: \(v)") }
        return els[0].v
    }

    struct CaseError: Error, CustomStringConvertible { var description: String }

    @Test func increaseExtrapolatesToTheWindowEdgesC01() throws {
        let store = try E.storage(step: 15_000, [(["__name__": "http_requests_total", "job": "api"], [0, 1, 2, 2, 3])])
        let engine = QueryEngine(storage: store)
        let inc = try value(engine.instant(E.call("increase", [.matrix], E.range("http_requests_total", 60_000)),
                                           at: 60_000))
        #expect(inc == 2.6666666666666665)
        let rate = try value(engine.instant(E.call("rate", [.matrix], E.range("http_requests_total", 60_000)),
                                            at: 60_000))
        // expected.md gives 8/3/60; Prometheus computes 2 * ((4/3) / 60), which differs in the last bit.
        #expect(abs(rate - 0.044444444444444446) < 1e-15)
        let diff = Expr.binary(BinaryExpr(op: .sub, lhs: E.vec("http_requests_total"),
                                          rhs: E.vec("http_requests_total", offset: 60_000),
                                          matching: VectorMatching(cardinality: .oneToOne, on: false, labels: [])))
        let d = try engine.instant(diff, at: 60_000)
        guard case .vector(let els) = d else { Issue.record("not a vector"); return }
        #expect(els.count == 1 && els[0].v == 3 && els[0].labels == ["job": "api"])
    }

    @Test func counterStartIsLimitedToHalfAnIntervalBeforeZeroPointC02() throws {
        let store = try E.storage(step: 60_000, [(["__name__": "jobs_done_total"], [nil, nil, nil, 40, 100, 160])])
        let engine = QueryEngine(storage: store)
        #expect(try value(engine.instant(E.call("increase", [.matrix], E.range("jobs_done_total", 300_000)),
                                         at: 300_000)) == 150)
        #expect(try value(engine.instant(E.call("rate", [.matrix], E.range("jobs_done_total", 300_000)),
                                         at: 300_000)) == 0.5)
    }

    @Test(arguments: [
        ("zero", 0.5, Double.nan), ("norm", 0.5, 0.5), ("norm", 0.05, 0.02), ("norm", 0.9, 1),
        ("norm", 1.5, .infinity), ("norm", -0.1, -.infinity), ("onlyinf", 0.5, .nan), ("noinf", 0.5, .nan),
    ])
    func histogramQuantileEdgeCasesC04(_ c: String, _ q: Double, _ want: Double) throws {
        let rows: [(String, String, Double)] = [
            ("zero", "0.1", 0), ("zero", "0.5", 0), ("zero", "+Inf", 0),
            ("norm", "0.1", 10), ("norm", "0.5", 20), ("norm", "1", 30), ("norm", "+Inf", 40),
            ("onlyinf", "+Inf", 5), ("noinf", "0.1", 3), ("noinf", "1", 7),
        ]
        let store = try E.storage(step: 60_000, rows.map {
            (["__name__": "lat_bucket", "case": $0.0, "le": $0.1], [$0.2])
        })
        let engine = QueryEngine(storage: store)
        let e = E.call("histogram_quantile", [.scalar, .vector], .number(q), E.vec("lat_bucket", ["case": c]))
        let result = try engine.instant(e, at: 0)
        guard case .vector(let els) = result, els.count == 1 else { Issue.record("got \(result)"); return }
        #expect(els[0].labels == ["case": c])
        // The hand value 0.02 is 0.1 * 2 / 10; Prometheus's interpolation yields 0.020000000000000004.
        #expect(els[0].v == want || abs(els[0].v - want) < 1e-15 || (els[0].v.isNaN && want.isNaN), "got \(els[0].v)")
    }

    @Test func histogramQuantileMergesEqualBucketBoundsC05() throws {
        let a: [(String, Double)] = [("0.5", 5), ("1", 8), ("+Inf", 10)]
        let b: [(String, Double)] = [("0.5", 1), ("1.0", 6), ("+Inf", 10)]
        var rows: [(Labels, [Double?])] = []
        for (instance, buckets) in [("a", a), ("b", b)] {
            for (le, v) in buckets {
                rows.append((["__name__": "req_seconds_bucket", "job": "svc", "instance": instance, "le": le], [v]))
            }
        }
        let engine = QueryEngine(storage: try E.storage(step: 60_000, rows))
        let summed = E.sum(by: ["le"], E.vec("req_seconds_bucket", ["job": "svc"]))
        guard case .vector(let sums) = try engine.instant(summed, at: 0) else { Issue.record("not a vector"); return }
        let byLe = Dictionary(uniqueKeysWithValues: sums.map { ($0.labels["le"], $0.v) })
        #expect(byLe == ["0.5": 6, "1": 8, "1.0": 6, "+Inf": 20])
        let q = E.call("histogram_quantile", [.scalar, .vector], .number(0.5), summed)
        #expect(try value(engine.instant(q, at: 0)) == 0.75)
    }
}
