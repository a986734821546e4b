import Foundation
import VigilCore
import VigilQuery
import VigilStorage

/// `vigil test rules F…`: runs promtool rule unit-test files and reports as promtool does.
public enum RuleUnitTester {
    /// Runs each file; `ok` is false when any test fails or a file cannot be loaded (the CLI then exits 1).
    public static func run(files: [String]) -> (output: String, ok: Bool) {
        var out = ""
        var ok = true
        for f in files {
            out += "Unit Testing:  \(f)\n"
            let errors = runFile(f)
            if errors.isEmpty {
                out += "  SUCCESS\n"
            } else {
                ok = false
                out += "  FAILED:\n" + errors.map { $0 + "\n" }.joined()
            }
            out += "\n"
        }
        return (out, ok)
    }

    /// The failures of one file, worded as promtool words them.
    static func runFile(_ path: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return ["  cannot read \(path)"] }
        let file: RuleUnitTestFile
        do {
            file = try RuleUnitTestFile.parse(text: String(decoding: data, as: UTF8.self), file: path)
        } catch {
            return ["  \(error.description)"]
        }
        let dir = (path as NSString).deletingLastPathComponent
        let loaded: LoadedRuleFile
        do {
            loaded = try RuleFileLoader.load(paths: RuleFileLoader.expand(patterns: file.ruleFiles, relativeTo: dir))
        } catch {
            return error.errors.map { "  \($0.description)" }
        }
        var groups = loaded.groups
        if !file.groupEvalOrder.isEmpty {
            let rank = Dictionary(file.groupEvalOrder.enumerated().map { ($1, $0) }) { a, _ in a }
            groups.sort { (rank[$0.name] ?? Int.max) < (rank[$1.name] ?? Int.max) }
        }
        var errors: [String] = []
        for group in file.tests {
            errors += runGroup(group, groups: groups, evaluationInterval: file.evaluationInterval)
        }
        return errors
    }

    private static func runGroup(_ tg: RuleUnitTestFile.TestGroup, groups: [RuleGroup],
                                 evaluationInterval: Int64) -> [String] {
        let storage = MemoryStorage()
        let engine = QueryEngine(storage: storage)
        let interval = tg.interval ?? evaluationInterval
        var batch: [LabeledSample] = []
        for s in tg.inputSeries {
            do {
                let d = try SeriesDescription.parse(s.series + " " + s.values)
                for (i, v) in d.values.enumerated() {
                    if let v { batch.append(LabeledSample(d.labels, t: Int64(i) * interval, v: v)) }
                }
            } catch {
                return ["    series \(GoFormat.quote(s.series)): \(error.description)"]
            }
        }
        _ = try? storage.append(batch.sorted { $0.t < $1.t })

        let manager = RuleManager(
            context: .using(engine, externalLabels: tg.externalLabels, externalURL: tg.externalURL),
            appender: storage, sender: { _ in },
            options: RuleManager.Options(evaluationInterval: evaluationInterval), logger: .disabled)
        // Every group is evaluated at every tick of the file's evaluation interval, as promtool does.
        manager.update(groups: groups.map { var g = $0; g.interval = evaluationInterval; g.queryOffset = 0; return g })

        let testName = tg.name.isEmpty ? "" : "    name: \(tg.name),\n"
        var errors: [String] = []
        let alertTimes = Set(tg.alertTests.map(\.evalTime)).sorted()
        let maxt = alertTimes.last ?? 0
        var next = 0
        var ts: Int64 = 0
        while ts <= maxt {
            manager.evaluateAll(at: ts)
            while next < alertTimes.count, ts <= alertTimes[next], alertTimes[next] < ts + evaluationInterval {
                let t = alertTimes[next]
                let firing = manager.activeAlerts().filter { $0.state == .firing }
                for test in tg.alertTests where test.evalTime == t {
                    let got = firing.filter { $0.labels[LabelName.alertName] == test.alertname }
                        .map { (labels: $0.labels, annotations: $0.annotations) }.sorted { $0.labels < $1.labels }
                    let exp = test.expected.map { e -> (labels: Labels, annotations: Labels) in
                        var l = e.labels
                        l.set(LabelName.alertName, test.alertname)
                        return (l, e.annotations)
                    }.sorted { $0.labels < $1.labels }
                    let same = got.count == exp.count
                        && zip(got, exp).allSatisfy { $0.labels == $1.labels && $0.annotations == $1.annotations }
                    if !same {
                        let pad = "            "
                        errors.append(testName + "    alertname: \(test.alertname), time: \(PromDuration.format(t)), \n"
                            + "        exp:\(indent(alertsString(exp), pad)), \n"
                            + "        got:\(indent(alertsString(got), pad))")
                    }
                }
                next += 1
            }
            ts += evaluationInterval
        }

        for test in tg.exprTests {
            errors += checkExpr(test, engine: engine, testName: testName)
        }
        return errors
    }

    private static func checkExpr(_ test: RuleUnitTestFile.ExprTest, engine: QueryEngine, testName: String)
        -> [String]
    {
        let time = PromDuration.format(test.evalTime)
        var got: [(Labels, Double)] = []
        do {
            switch try engine.instantQuery(test.expr, at: test.evalTime) {
            case .vector(let v): got = v.map { ($0.labels, $0.v) }
            case .scalar(_, let v): got = [(Labels(), v)]
            default:
                return [testName + "    expr: \(GoFormat.quote(test.expr)), time: \(time), err: unsupported result"]
            }
        } catch {
            return [testName + "    expr: \(GoFormat.quote(test.expr)), time: \(time), err: \(error)"]
        }
        var exp: [(Labels, Double)] = []
        for s in test.expected {
            do {
                exp.append((try SeriesDescription.parseLabels(s.labels), s.value))
            } catch {
                return [testName + "    expr: \(GoFormat.quote(test.expr)), time: \(time), err: \(error.description)"]
            }
        }
        got.sort { $0.0 < $1.0 }
        exp.sort { $0.0 < $1.0 }
        let same = got.count == exp.count
            && zip(got, exp).allSatisfy { $0.0 == $1.0 && ($0.1 == $1.1 || ($0.1.isNaN && $1.1.isNaN)) }
        if same { return [] }
        return [testName + "    expr: \(GoFormat.quote(test.expr)), time: \(time),\n"
            + "        exp: \(samplesString(exp))\n        got: \(samplesString(got))"]
    }

    /// promtool's `labelsAndAnnotations.String()`.
    private static func alertsString(_ alerts: [(labels: Labels, annotations: Labels)]) -> String {
        if alerts.isEmpty { return "[]" }
        var s = "["
        for (i, a) in alerts.enumerated() {
            let body = "\nLabels:" + braces(a.labels) + "\nAnnotations:" + braces(a.annotations)
            s += (i == 0 ? "\n" : ",\n") + "\(i):" + indent(body, "  ")
        }
        return s + "\n]"
    }

    /// promtool's `parsedSamplesString`.
    private static func samplesString(_ samples: [(Labels, Double)]) -> String {
        if samples.isEmpty { return "nil" }
        // Values as strconv.FormatFloat(v, 'E', -1, 64).
        return samples.map { s in
            braces(s.0) + " " + GoFloat.formatExponent(s.1).replacingOccurrences(of: "e", with: "E")
        }.joined(separator: ", ")
    }

    /// Go's `labels.Labels.String()`: every label inside the braces, `__name__` included.
    private static func braces(_ l: Labels) -> String {
        "{" + l.pairs.map { "\($0.name)=\(GoFormat.quote($0.value))" }.joined(separator: ", ") + "}"
    }

    private static func indent(_ s: String, _ pad: String) -> String {
        s.replacingOccurrences(of: "\n", with: "\n" + pad)
    }
}
