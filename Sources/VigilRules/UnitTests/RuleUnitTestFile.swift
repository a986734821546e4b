import VigilCore

/// A promtool rule unit-test file (`promtool test rules`): rule files, an evaluation interval and test groups.
struct RuleUnitTestFile {
    struct ExpectedAlert {
        var labels: Labels
        var annotations: Labels
    }

    struct AlertTest {
        var evalTime: Int64
        var alertname: String
        var expected: [ExpectedAlert]
    }

    struct ExpectedSample {
        var labels: String
        var value: Double
    }

    struct ExprTest {
        var expr: String
        var evalTime: Int64
        var expected: [ExpectedSample]
    }

    struct TestGroup {
        var name = ""
        var interval: Int64?
        var externalLabels = Labels()
        var externalURL = ""
        var inputSeries: [(series: String, values: String)] = []
        var alertTests: [AlertTest] = []
        var exprTests: [ExprTest] = []
    }

    var ruleFiles: [String] = []
    var evaluationInterval: Int64 = 60_000
    var groupEvalOrder: [String] = []
    var tests: [TestGroup] = []

    static func parse(text: String, file: String) throws(ConfigError) -> RuleUnitTestFile {
        let r = YAMLReader(file: file)
        let root = try YAMLParser.parse(text, file: file)
        var out = RuleUnitTestFile()
        let allowed: Set<String> = ["rule_files", "evaluation_interval", "group_eval_order", "tests", "fuzzy_compare"]
        for e in try r.mapping(root, "type main.unitTestFile", allowed: allowed) where !e.value.isNull {
            switch e.key {
            case "rule_files": out.ruleFiles = try r.strings(e.value, "rule_files")
            case "evaluation_interval": out.evaluationInterval = try r.duration(e.value, "evaluation_interval")
            case "group_eval_order": out.groupEvalOrder = try r.strings(e.value, "group_eval_order")
            case "tests":
                for n in try r.sequence(e.value, "tests") { out.tests.append(try testGroup(n, r)) }
            default: break
            }
        }
        return out
    }

    private static func testGroup(_ node: YAMLNode, _ r: YAMLReader) throws(ConfigError) -> TestGroup {
        var g = TestGroup()
        let allowed: Set<String> = ["interval", "input_series", "alert_rule_test", "promql_expr_test",
                                    "external_labels", "external_url", "name"]
        for e in try r.mapping(node, "type main.testGroup", allowed: allowed) where !e.value.isNull {
            switch e.key {
            case "name": g.name = try r.string(e.value, "name")
            case "interval": g.interval = try r.duration(e.value, "interval")
            case "external_labels": g.externalLabels = Labels(try r.stringMap(e.value, "external_labels"))
            case "external_url": g.externalURL = try r.string(e.value, "external_url")
            case "input_series":
                for s in try r.sequence(e.value, "input_series") {
                    let m = try r.mapping(s, "type main.series", allowed: ["series", "values"])
                    let series = try m.first { $0.key == "series" }.map { (x) throws(ConfigError) in
                        try r.string(x.value, "series")
                    } ?? ""
                    let values = try m.first { $0.key == "values" }.map { (x) throws(ConfigError) in
                        try r.string(x.value, "values")
                    } ?? ""
                    g.inputSeries.append((series, values))
                }
            case "alert_rule_test":
                for t in try r.sequence(e.value, "alert_rule_test") { g.alertTests.append(try alertTest(t, r)) }
            default:
                for t in try r.sequence(e.value, "promql_expr_test") { g.exprTests.append(try exprTest(t, r)) }
            }
        }
        return g
    }

    private static func alertTest(_ node: YAMLNode, _ r: YAMLReader) throws(ConfigError) -> AlertTest {
        var t = AlertTest(evalTime: 0, alertname: "", expected: [])
        for e in try r.mapping(node, "type main.alertTestCase", allowed: ["eval_time", "alertname", "exp_alerts"])
        where !e.value.isNull {
            switch e.key {
            case "eval_time": t.evalTime = try r.duration(e.value, "eval_time")
            case "alertname": t.alertname = try r.string(e.value, "alertname")
            default:
                for a in try r.sequence(e.value, "exp_alerts") {
                    var exp = ExpectedAlert(labels: Labels(), annotations: Labels())
                    for f in try r.mapping(a, "type main.alert", allowed: ["exp_labels", "exp_annotations"]) {
                        let map = Labels(try r.stringMap(f.value, f.key))
                        if f.key == "exp_labels" { exp.labels = map } else { exp.annotations = map }
                    }
                    t.expected.append(exp)
                }
            }
        }
        return t
    }

    private static func exprTest(_ node: YAMLNode, _ r: YAMLReader) throws(ConfigError) -> ExprTest {
        var t = ExprTest(expr: "", evalTime: 0, expected: [])
        for e in try r.mapping(node, "type main.promqlTestCase", allowed: ["expr", "eval_time", "exp_samples"])
        where !e.value.isNull {
            switch e.key {
            case "expr": t.expr = try r.string(e.value, "expr")
            case "eval_time": t.evalTime = try r.duration(e.value, "eval_time")
            default:
                for s in try r.sequence(e.value, "exp_samples") {
                    var exp = ExpectedSample(labels: "", value: 0)
                    for f in try r.mapping(s, "type main.sample", allowed: ["labels", "value", "histogram"]) {
                        if f.key == "labels" { exp.labels = try r.string(f.value, "labels") }
                        if f.key == "value" { exp.value = try r.double(f.value, "value") }
                    }
                    t.expected.append(exp)
                }
            }
        }
        return t
    }
}
