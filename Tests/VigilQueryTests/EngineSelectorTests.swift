import Foundation
import Testing
import VigilCore
import VigilQuery
import VigilStorage

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
