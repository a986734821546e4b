import Foundation
import Testing
import VigilCore
import VigilQuery
import VigilTesting

@testable import VigilRules

private func errors(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
    do {
        _ = try RuleFileLoader.parse(text: text, file: "r.yml")
        Issue.record("expected errors", sourceLocation: sourceLocation)
        return []
    } catch {
        return error.errors.map(\.description)
    }
}

@Suite struct RuleFileLoaderTests {
    @Test func loadsRecordingAndAlertingRules() throws {
        let text = """
            groups:
            - name: g
              interval: 30s
              limit: 10
              labels:
                team: infra
              rules:
              - record: job:up:sum
                expr: sum by (job) (up)
              - alert: Down
                expr: up == 0
                for: 5m
                keep_firing_for: 2m
                labels:
                  severity: page
                annotations:
                  summary: "{{ $labels.instance }} down"
            """
        let f = try RuleFileLoader.parse(text: text, file: "r.yml")
        #expect(f.warnings.isEmpty)
        let g = try #require(f.groups.first)
        #expect(g.name == "g" && g.file == "r.yml" && g.interval == 30_000 && g.limit == 10)
        guard case .recording(let rec) = g.rules[0], case .alerting(let alert) = g.rules[1] else {
            Issue.record("wrong rule kinds")
            return
        }
        #expect(rec.name == "job:up:sum")
        #expect(rec.query == "sum by (job) (up)")
        #expect(rec.labels == ["team": "infra"])
        #expect(alert.holdDuration == 300_000 && alert.keepFiringFor == 120_000)
        #expect(alert.rawLabels == ["severity": "page", "team": "infra"])
        #expect(alert.rawAnnotations == ["summary": "{{ $labels.instance }} down"])
    }

    // Messages follow promtool 2.42's wording (run on this machine), with file:line:column added.
    @Test func unknownKeyIsAnErrorAtItsPosition() {
        #expect(errors("groups:\n- name: g\n  rules:\n  - alert: X\n    expr: up == 0\n    foo: 1\n")
            == ["r.yml:6:5: field foo not found in type rulefmt.RuleNode"])
        #expect(errors("groups:\n- name: g\n  evaluation: 1m\n  rules: []\n")
            == ["r.yml:3:3: field evaluation not found in type rulefmt.RuleGroup"])
    }

    @Test func badDurationIsAnErrorAtTheValue() {
        #expect(errors("groups:\n- name: g\n  rules:\n  - alert: X\n    expr: up == 0\n    for: 5x\n")
            == ["r.yml:6:10: for: not a valid duration string: \"5x\""])
    }

    @Test func badPromQLIsReportedAtTheErrorInsideTheExpression() {
        // promtool: `5:11: … could not parse expression: 1:10: parse error: unclosed left parenthesis`;
        // the expression starts at column 11, so the error is at column 11 + 10 - 1.
        let e = errors("groups:\n- name: g\n  rules:\n  - alert: X\n    expr: sum(up ==\n")
        #expect(e.count == 1)
        #expect(e.first?.hasPrefix("r.yml:5:20: group \"g\", rule 1, \"X\": could not parse expression: 1:10: ")
            == true, "\(e)")
        // In a block scalar the error line counts from the line after `|`.
        let b = errors("groups:\n- name: g\n  rules:\n  - alert: X\n    expr: |\n      up\n        == )\n")
        #expect(b.first?.hasPrefix("r.yml:7:") == true, "\(b)")
    }

    @Test func duplicateGroupNamesAreReportedAtTheSecond() {
        let e = errors("groups:\n- name: g\n  rules: []\n- name: g\n  rules: []\n")
        #expect(e == ["r.yml:4:3: groupname: \"g\" is repeated in the same file"])
    }

    @Test func namesAreChecked() {
        let e = errors("""
            groups:
            - name: g
              rules:
              - record: "bad name"
                expr: up
                labels:
                  "1x": y
            """)
        #expect(e == [
            "r.yml:4:13: group \"g\", rule 1, \"bad name\": invalid recording rule name: bad name",
            "r.yml:7:7: group \"g\", rule 1, \"bad name\": invalid label name: 1x",
        ])
    }

    // promtool 2.42 on this machine: `for:` without a value is 0s; `__name__` is not a valid rule label.
    @Test func emptyValuesAreZeroAndNameLabelIsRejected() throws {
        let f = try RuleFileLoader.parse(text: "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    for:\n",
                                         file: "r.yml")
        guard case .alerting(let a)? = f.groups.first?.rules.first else {
            Issue.record("no alerting rule")
            return
        }
        #expect(a.holdDuration == 0)
        #expect(errors("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    labels:\n      __name__: x\n")
            == ["r.yml:7:7: group \"g\", rule 1, \"A\": invalid label name: __name__"])
        #expect(try RuleFileLoader.parse(text: "", file: "r.yml").groups.isEmpty)
    }

    @Test func templateErrorsAreReportedAtLoad() {
        let e = errors("""
            groups:
            - name: g
              rules:
              - alert: X
                expr: up
                annotations:
                  a: "{{ $labels.x | nofunc }}"
                  b: "{{ if }}"
            """)
        #expect(e == [
            "r.yml:7:10: group \"g\", rule 1, \"X\": annotation \"a\": template: __alert_X:1: "
                + "function \"nofunc\" not defined",
            "r.yml:8:10: group \"g\", rule 1, \"X\": annotation \"b\": template: __alert_X:1: missing value for if",
        ])
    }

    @Test func ruleShapeErrors() {
        let e = errors("""
            groups:
            - name: g
              rules:
              - record: a
                alert: b
                expr: up
              - expr: up
              - alert: c
              - record: d
                expr: up
                for: 1m
            """)
        #expect(e.count == 4, "\(e)")
        #expect(e.contains { $0.contains("only one of 'record' and 'alert' must be set") })
        #expect(e.contains { $0.contains("one of 'record' or 'alert' must be set") })
        #expect(e.contains { $0.contains("field 'expr' must be set in rule") })
        #expect(e.contains { $0.contains("invalid field 'for' in recording rule") })
    }

    @Test(.enabled(if: SharedFixtures.available, "needs ../shared"))
    func caseC07WarnsAboutValueInLabels() throws {
        let path = try #require(SharedFixtures.path("cases/C07/rules.yml")).path
        let f = try RuleFileLoader.load(path: path)
        #expect(f.warnings.count == 1)
        let w = try #require(f.warnings.first)
        #expect(w.mark == SourceMark(line: 10, column: 22))
        #expect(w.message.contains("BizErrorsHigh") && w.message.contains("current_value")
            && w.message.contains("$value"))
        #expect(f.groups.first?.rules.count == 2)
    }

    @Test func hostPackLoads() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("rules/host.yml").path
        let f = try RuleFileLoader.load(path: path)
        #expect(f.warnings.isEmpty)
        let names = f.groups.flatMap(\.rules).map(\.name)
        #expect(names.contains("TargetDown") && names.contains("HostFilesystemAlmostFull")
            && names.contains("HostFilesystemFillingUp") && names.contains("HostHighLoad")
            && names.contains("HostMemoryLow"))
        for case .alerting(let a) in f.groups.flatMap(\.rules) {
            let ann = a.rawAnnotations
            #expect(a.rawLabels.get("severity") != nil, "\(a.name)")
            #expect(ann.get("summary") != nil && ann.get("description") != nil && ann.get("runbook") != nil,
                    "\(a.name)")
        }
    }

    // promtool 2.42 on this machine lists the same two duplicates (X without labels, job:up:sum with a=b).
    @Test func checkerListsDuplicateRules() throws {
        let text = "groups:\n- name: g\n  rules:\n  - record: job:up:sum\n    expr: sum(up)\n    labels:\n      a: b\n"
            + "  - record: job:up:sum\n    expr: sum(up)\n    labels:\n      a: b\n  - alert: X\n    expr: up\n"
            + "  - alert: X\n    expr: up\n  - alert: X\n    expr: up\n"
        let f = try RuleFileLoader.parse(text: text, file: "dup.yml")
        let d = RuleChecker.duplicates(f.groups)
        #expect(d.map(\.name) == ["X", "job:up:sum"])
        #expect(d.map(\.labels) == [[:], ["a": "b"]])
    }

    @Test func checkerPrintsPromtoolLikeOutput() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-rules-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let good = dir.appendingPathComponent("good.yml").path
        let bad = dir.appendingPathComponent("bad.yml").path
        try "groups:\n- name: g\n  rules:\n  - record: a\n    expr: up\n".write(toFile: good, atomically: true,
                                                                              encoding: .utf8)
        try "groups:\n- name: g\n  rules:\n  - alert: X\n    expr: up\n    for: 5x\n".write(
            toFile: bad, atomically: true, encoding: .utf8)
        let ok = RuleChecker.check(files: [good])
        #expect(ok.ok && ok.output == "Checking \(good)\n  SUCCESS: 1 rules found\n\n")
        let failed = RuleChecker.check(files: [good, bad])
        #expect(!failed.ok)
        #expect(failed.output.hasSuffix(
            "Checking \(bad)\n  FAILED:\n\(bad):6:10: for: not a valid duration string: \"5x\"\n\n"))
    }
}

@Suite struct RuleFilePatternTests {
    @Test func globsExpandRelativeToTheConfigDirectory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-glob-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir + "/rules", withIntermediateDirectories: true)
        for n in ["b.yml", "a.yml", "c.txt"] {
            FileManager.default.createFile(atPath: dir + "/rules/" + n, contents: Data())
        }
        #expect(RuleFileLoader.expand(patterns: ["rules/*.yml", "missing/*.yml"], relativeTo: dir)
            == [dir + "/rules/a.yml", dir + "/rules/b.yml"])
        #expect(RuleFileLoader.expand(patterns: [dir + "/rules/c.txt"], relativeTo: "/elsewhere")
            == [dir + "/rules/c.txt"])
    }
}
