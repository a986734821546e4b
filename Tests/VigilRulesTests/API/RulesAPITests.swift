import Foundation
import Testing
import VigilCore
import VigilQuery

@testable import VigilRules

private let rulesYAML = """
    groups:
    - name: example
      interval: 1m
      rules:
      - alert: HighRequestLatency
        expr: job:request_latency_seconds:mean5m{job="myjob"} > 0.5
        for: 10m
        labels:
          severity: page
        annotations:
          summary: High request latency
      - record: job:http_inprogress_requests:sum
        expr: sum by (job) (http_inprogress_requests)
    """

/// Evaluation times vary from run to run; the shape test pins them to 0.
private func pinEvaluationTimes(_ s: String) -> String {
    s.replacingOccurrences(of: "\"evaluationTime\":[0-9.e+-]+", with: "\"evaluationTime\":0",
                           options: .regularExpression)
}

// The expected documents follow the example in Prometheus's docs/querying/api.md ("Rules" and "Alerts"), with
// the field order of web/api/v1/api.go's AlertingRule, RecordingRule, RuleGroup and Alert structs.
@Suite struct RulesAPITests {
    private func manager() throws -> (RuleManager, Int64) {
        let t0 = try #require(Timestamp.parseRFC3339("2018-07-04T18:27:12Z"))
        let q = FakeQuery()
        q.set(t0, [VectorElement(labels: [:], t: t0, v: 1)])
        q.set(t0 + 600_000, [VectorElement(labels: [:], t: t0, v: 1)])
        let m = try makeManager(rulesYAML, query: q,
                                appender: RecordingAppender(), sender: RecordingSender())
        m.update(groups: try RuleFileLoader.parse(text: rulesYAML, file: "/rules.yaml").groups)
        m.evaluateAll(at: t0)
        m.evaluateAll(at: t0 + 600_000)
        return (m, t0)
    }

    @Test func rulesDocumentHasPrometheusShape() throws {
        let (m, _) = try manager()
        let alert = "{\"labels\":{\"alertname\":\"HighRequestLatency\",\"severity\":\"page\"},"
            + "\"annotations\":{\"summary\":\"High request latency\"},\"state\":\"firing\","
            + "\"activeAt\":\"2018-07-04T18:27:12Z\",\"value\":\"1e+00\"}"
        let last = "\"lastEvaluation\":\"2018-07-04T18:37:12Z\""
        let expected = "{\"groups\":[{\"name\":\"example\",\"file\":\"/rules.yaml\",\"rules\":["
            + "{\"state\":\"firing\",\"name\":\"HighRequestLatency\","
            + "\"query\":\"job:request_latency_seconds:mean5m{job=\\\"myjob\\\"} > 0.5\",\"duration\":600,"
            + "\"keepFiringFor\":0,\"labels\":{\"severity\":\"page\"},"
            + "\"annotations\":{\"summary\":\"High request latency\"},\"alerts\":[\(alert)],\"health\":\"ok\","
            + "\"evaluationTime\":0,\(last),\"type\":\"alerting\"},"
            + "{\"name\":\"job:http_inprogress_requests:sum\",\"query\":\"sum by (job) (http_inprogress_requests)\","
            + "\"health\":\"ok\",\"evaluationTime\":0,\(last),\"type\":\"recording\"}],"
            + "\"interval\":60,\"limit\":0,\"evaluationTime\":0,\(last)}]}"
        #expect(pinEvaluationTimes(m.rulesJSON()) == expected)
        #expect(m.alertsJSON() == "{\"alerts\":[\(alert)]}")
        let parsed = try JSONSerialization.jsonObject(with: Data(m.rulesJSON().utf8))
        #expect(parsed is [String: Any])
    }

    @Test func filtersSelectRulesAndDropEmptyGroups() throws {
        let (m, _) = try manager()
        let records = m.rulesJSON(filter: RulesFilter(type: .record))
        #expect(records.contains("\"type\":\"recording\"") && !records.contains("\"type\":\"alerting\""))
        let alerts = m.rulesJSON(filter: RulesFilter(type: .alert, excludeAlerts: true))
        #expect(alerts.contains("\"type\":\"alerting\"") && !alerts.contains("\"alerts\""))
        #expect(m.rulesJSON(filter: RulesFilter(ruleNames: ["HighRequestLatency"])).contains("HighRequestLatency"))
        #expect(!m.rulesJSON(filter: RulesFilter(ruleNames: ["HighRequestLatency"])).contains("recording"))
        #expect(m.rulesJSON(filter: RulesFilter(groupNames: ["other"])) == "{\"groups\":[]}")
        #expect(m.rulesJSON(filter: RulesFilter(files: ["/other.yaml"])) == "{\"groups\":[]}")
        #expect(m.rulesJSON(filter: RulesFilter(files: ["/rules.yaml"])).contains("\"name\":\"example\""))
    }

    @Test func unevaluatedRulesShowUnknownHealthAndZeroTime() throws {
        let m = try makeManager(rulesYAML, query: FakeQuery(), appender: RecordingAppender(), sender: RecordingSender())
        let json = m.rulesJSON()
        #expect(json.contains("\"state\":\"inactive\""))
        #expect(json.contains("\"alerts\":[],\"health\":\"unknown\""))
        #expect(json.contains("\"lastEvaluation\":\"0001-01-01T00:00:00Z\""))
    }

    @Test(arguments: [(60.0, "60"), (0.5, "0.5"), (1.5e-7, "1.5e-7"), (0.000123, "0.000123"), (1e21, "1e+21")])
    func numbersAreWrittenAsGoJSON(_ v: Double, _ expected: String) {
        #expect(RulesJSON.number(v) == expected)
    }
}
