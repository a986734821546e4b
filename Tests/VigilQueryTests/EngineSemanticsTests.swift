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

/// The `data` object of Prometheus's query API.
@Suite struct QueryValueJSONTests {
    @Test func vectorMatrixScalarAndStringRenderAsPrometheusDoes() {
        let v = QueryValue.vector([VectorElement(labels: ["__name__": "up", "job": "a"], t: 1_435_781_451_781, v: 1)])
        #expect(v.json == #"{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"a"},"#
            + #""value":[1435781451.781,"1"]}]}"#)
        let points = [Sample(t: 0, v: .nan), Sample(t: 15_000, v: -.infinity)]
        let m = QueryValue.matrix([Series(labels: ["job": "a"], samples: points)])
        #expect(m.json == #"{"resultType":"matrix","result":[{"metric":{"job":"a"},"#
            + #""values":[[0,"NaN"],[15,"-Inf"]]}]}"#)
        #expect(QueryValue.scalar(t: 60_000, v: 1.5).json == #"{"resultType":"scalar","result":[60,"1.5"]}"#)
        #expect(QueryValue.string(t: 1_500, v: "a\"b").json == #"{"resultType":"string","result":[1.5,"a\"b"]}"#)
        #expect(QueryValue.vector([]).json == #"{"resultType":"vector","result":[]}"#)
    }
}

/// Matchers that match the empty string select series without the label, as in Prometheus.
@Suite struct EngineSelectorTests {
    @Test func emptyMatchingMatchersSelectSeriesWithoutTheLabel() throws {
        var runner = PromQLTestRunner()
        let script = """
        load 1m
          m{a="x"} 1
          m{a="y", b="1"} 2
          n 3

        eval instant at 0 m{b=""}
          m{a="x"} 1

        eval instant at 0 m{b!=""}
          m{a="y", b="1"} 2

        eval instant at 0 m{b=~".*"}
          m{a="x"} 1
          m{a="y", b="1"} 2

        eval instant at 0 m{b!~".+"}
          m{a="x"} 1

        eval instant at 0 {__name__=~"m|n", a!="y"}
          m{a="x"} 1
          n 3

        eval instant at 0 m{a=~"x|"}
          m{a="x"} 1

        eval instant at 0 {a=~"X"}
        """
        for o in runner.run(try PromQLTestScript.parse(script, file: "inline")) {
            if let f = o.failure { Issue.record("line \(o.line) \(o.query): \(f)") }
        }
    }
}
