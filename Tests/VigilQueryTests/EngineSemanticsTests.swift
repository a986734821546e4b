import Foundation
import Testing
import VigilCore
import VigilQuery
import VigilStorage

/// Selector, `@`, offset and subquery semantics from the Prometheus 3 documentation, with hand-computed values.
@Suite struct EngineSemanticsTests {
    private func run(_ script: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        var runner = PromQLTestRunner()
        for o in runner.run(try PromQLTestScript.parse(script, file: "inline")) {
            if let f = o.failure { Issue.record("line \(o.line) \(o.query): \(f)", sourceLocation: sourceLocation) }
        }
    }

    @Test func lookbackIsLeftOpenAndStaleMarkersEndSeries() throws {
        try run("""
        load 1m
          m{a="1"} 1 2 _ _ _ _ _ 8
          s 1 stale 3

        eval instant at 1m m
          m{a="1"} 2

        eval instant at 5m59s m
          m{a="1"} 2

        eval instant at 6m m

        eval instant at 1m30s s

        eval instant at 2m s
          s 3

        eval range from 0 to 3m step 1m m
          m{a="1"} 1 2 2 2

        eval instant at 1m count_over_time(m[1m])
          {a="1"} 1
        """)
    }

    @Test func offsetAndAtModifiersShiftTheEvaluationTime() throws {
        try run("""
        load 1m
          m 1 2 3

        eval instant at 0 m offset -1m
          m 2

        eval instant at 10m m @ 60
          m 2

        eval instant at 10m m @ 60 offset 1m
          m 1

        eval range from 0 to 2m step 1m m @ end()
          m 3 3 3

        eval range from 0 to 2m step 1m m @ start()
          m 1 1 1

        eval instant at 10m rate(m[2m] @ 120)
          {} 0.016666666666666666
        """)
    }

    @Test func subqueryStepsAreAlignedToAbsoluteMultiplesOfTheStep() throws {
        try run("""
        load 1m
          c 0+1x10

        eval instant at 5m sum_over_time(c[3m:1m])
          {} 12

        eval instant at 5m30s sum_over_time(c[3m:1m])
          {} 12

        eval instant at 5m count_over_time(c[3m:1m] offset 1m)
          {} 3

        eval instant at 5m max_over_time(c[3m:1m] @ 120)
          {} 2

        eval instant at 5m count_over_time(c[5m:2m])
          {} 2

        eval instant at 5m count_over_time(c[3m:])
          {} 3

        eval range from 4m to 6m step 1m sum_over_time(c[2m:1m])
          {} 7 9 11
        """)
    }

    @Test func tooManySamplesIsAnExecutionError() throws {
        let store = try E.storage(step: 60_000, [(["__name__": "c"], (0...10).map { Double($0) })])
        var options = EngineOptions()
        options.maxSamples = 5
        let engine = QueryEngine(storage: store, options: options)
        let error = #expect(throws: QueryError.self) {
            _ = try engine.instant(E.range("c", 600_000), at: 600_000)
        }
        #expect(error?.kind == .execution)
        #expect(error?.message.contains("query processing would load too many samples into memory") == true)
    }

    @Test func subqueriesWithMoreStepsThanTheSampleLimitFail() throws {
        let store = try E.storage(step: 60_000, [(["__name__": "c"], [1])])
        var options = EngineOptions()
        options.maxSamples = 1000
        let engine = QueryEngine(storage: store, options: options)
        let sub = Expr.subquery(SubqueryExpr(expr: E.vec("c"), range: 86_400_000, step: 1))
        let error = #expect(throws: QueryError.self) {
            _ = try engine.instant(E.call("count_over_time", [.matrix], sub), at: 0)
        }
        #expect(error?.kind == .execution)
    }

    @Test func queriesPastTheTimeoutFail() throws {
        let store = try E.storage(step: 60_000, [(["__name__": "c"], [1])])
        var options = EngineOptions()
        options.timeout = 0
        let engine = QueryEngine(storage: store, options: options)
        let error = #expect(throws: QueryError.self) {
            _ = try engine.range(E.vec("c"), start: 0, end: 60_000, step: 1)
        }
        #expect(error?.kind == .timeout)
    }
}
