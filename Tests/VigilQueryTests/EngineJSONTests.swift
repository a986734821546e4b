import Foundation
import Testing
import VigilCore
import VigilQuery
import VigilStorage

/// The `data` object of Prometheus's query API.
@Suite struct EngineJSONTests {
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
