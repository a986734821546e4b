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

/// `label_replace` templates expand as Go's `regexp.Expand` does.
@Suite struct EngineLabelReplaceTests {
    @Test func templatesExpandNumberedAndNamedGroups() throws {
        var runner = PromQLTestRunner()
        let script = #"""
        load 1m
          m{src="ab-12"} 1

        eval instant at 0 label_replace(m, "dst", "$2:${1}x", "src", "([a-z]+)-([0-9]+)")
          m{src="ab-12", dst="12:abx"} 1

        eval instant at 0 label_replace(m, "dst", "${word}/$num/$$", "src", "(?P<word>[a-z]+)-(?P<num>[0-9]+)")
          m{src="ab-12", dst="ab/12/$"} 1

        eval instant at 0 label_replace(m, "dst", "$1x", "src", "([a-z]+)-.*")
          m{src="ab-12"} 1
        """#
        for o in runner.run(try PromQLTestScript.parse(script, file: "inline")) {
            if let f = o.failure { Issue.record("line \(o.line) \(o.query): \(f)") }
        }
    }
}

/// Prometheus 3 removes `__name__` at the end of the query, whatever other labels a series has.
@Suite struct EngineNameRemovalTests {
    @Test func nameIsDroppedBesideUpperCaseLabelNames() throws {
        var runner = PromQLTestRunner()
        let script = """
        load 1m
          m{Zone="a"} 1

        eval instant at 0 m * 2
          {Zone="a"} 2
        """
        for o in runner.run(try PromQLTestScript.parse(script, file: "inline")) {
            if let f = o.failure { Issue.record("line \(o.line) \(o.query): \(f)") }
        }
    }
}
