import Foundation
import Testing
import VigilCore
@testable import VigilServer

struct VigilRuntimeTests {
    private func start(_ configText: String, in dir: TemporaryDirectory) throws -> (VigilRuntime, HTTPTestClient) {
        var options = RuntimeOptions()
        options.configPath = dir.write("vigil.yml", configText)
        options.dataDirectory = dir.path + "/data"
        options.listen = ListenAddress(host: "127.0.0.1", port: 0)
        options.httpThreads = 2
        let runtime = try VigilRuntime(options: options, logger: .disabled)
        try runtime.start()
        return (runtime, HTTPTestClient(base: "http://127.0.0.1:\(runtime.boundAddress.port)"))
    }

    @Test func healthReadyAndMetrics() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let (runtime, client) = try start("global: {scrape_interval: 10s}\n", in: dir)
        defer { runtime.stop() }

        #expect(await client.get("/-/healthy").body == "Vigil is Healthy.\n")
        #expect(await client.get("/-/ready").status == 200)
        let metrics = await client.get("/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(metrics.body.contains("\nvigil_config_last_reload_successful 1\n"))
        #expect(metrics.body.contains("vigil_build_info{branch="))
        #expect(metrics.body.contains("\nvigil_storage_series "))
        for name in ["process_resident_memory_bytes", "process_cpu_seconds_total", "process_start_time_seconds",
                     "process_open_fds"] {
            #expect(metrics.body.contains("\n\(name) "), "missing \(name)")
        }
    }

    @Test func failedReloadKeepsTheOldConfig() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let good = "global: {scrape_interval: 10s}\n"
        let (runtime, client) = try start(good, in: dir)
        defer { runtime.stop() }

        dir.write("vigil.yml", "global: {scrape_interval: 10s}\nbogus: 1\n")
        let failed = await client.post("/-/reload", form: "")
        #expect(failed.status == 500)
        #expect(failed.body.hasPrefix("failed to reload config: \(dir.path)/vigil.yml:2:1: field bogus not found"))
        #expect(runtime.configuration.text == good)
        #expect(runtime.metrics.value("vigil_config_last_reload_successful") == 0)
        let config = await client.get("/api/v1/status/config").json?["data"] as? [String: Any]
        #expect(config?["yaml"] as? String == good)

        dir.write("vigil.yml", "global: {scrape_interval: 20s}\n")
        #expect(await client.send("PUT", "/-/reload").status == 200)
        #expect(runtime.configuration.global.scrapeInterval == 20_000)
        #expect(runtime.metrics.value("vigil_config_last_reload_successful") == 1)
        #expect(await client.get("/-/reload").status == 405)
    }

    @Test func rulePackAndRuleFilesLoadAndABadRuleFailsTheReload() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("rules/mine.yml", "groups:\n  - name: mine\n    rules:\n      - record: two\n        expr: 1 + 1\n")
        let (runtime, client) = try start("collectors: {host: {enabled: false}}\nrule_packs: [host]\n"
            + "rule_files: [rules/*.yml]\n", in: dir)
        defer { runtime.stop() }
        let groups = (await client.get("/api/v1/rules").json?["data"] as? [String: Any])?["groups"] as? [[String: Any]]
        #expect(Set(groups?.compactMap { $0["name"] as? String } ?? []) == ["host", "mine"])
        let recordOnly = await client.get("/api/v1/rules?type=record").json?["data"] as? [String: Any]
        #expect((recordOnly?["groups"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["mine"])
        #expect(await client.get("/api/v1/rules?type=bogus").status == 400)

        dir.write("rules/mine.yml", "groups:\n  - name: mine\n    rules:\n      - record: two\n        expr: 1 +\n")
        let failed = await client.post("/-/reload", form: "")
        #expect(failed.status == 500)
        #expect(failed.body.contains("rules/mine.yml:5:"))
        let after = (await client.get("/api/v1/rules").json?["data"] as? [String: Any])?["groups"] as? [[String: Any]]
        #expect(after?.count == 2)
    }

    @Test func badConfigRefusesToStart() {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var options = RuntimeOptions()
        options.configPath = dir.write("vigil.yml", "global: {scrape_interval: nope}\n")
        options.dataDirectory = dir.path + "/data"
        #expect(throws: ServerError.self) { try VigilRuntime(options: options, logger: .disabled) }
    }

    @Test func labelEndpointsReadTheStore() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let (runtime, client) = try start("collectors: {host: {enabled: false}}\n", in: dir)
        defer { runtime.stop() }
        let now = Timestamp.nowMillis()
        _ = try runtime.storage.append([
            LabeledSample(Labels(["__name__": "up", "job": "a", "instance": "x"]), t: now, v: 1),
            LabeledSample(Labels(["__name__": "up", "job": "b", "instance": "x"]), t: now, v: 0),
        ])
        let names = await client.get("/api/v1/labels")
        #expect(names.body == "{\"status\":\"success\",\"data\":[\"__name__\",\"instance\",\"job\"]}")
        #expect(await client.get("/api/v1/label/job/values").body == "{\"status\":\"success\",\"data\":[\"a\",\"b\"]}")
        #expect(await client.get("/api/v1/label/nothing/values").body == "{\"status\":\"success\",\"data\":[]}")
        #expect(await client.get("/api/v1/label/job/values?limit=1").body
            == "{\"status\":\"success\",\"data\":[\"a\"],\"warnings\":[\"results truncated due to limit\"]}")
    }

    @Test func queriesAnswerInPrometheusShapes() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let (runtime, client) = try start("collectors: {host: {enabled: false}}\n", in: dir)
        defer { runtime.stop() }
        _ = try runtime.storage.append([
            LabeledSample(Labels(["__name__": "up", "job": "a"]), t: 10_000, v: 1),
            LabeledSample(Labels(["__name__": "up", "job": "a"]), t: 20_000, v: 0),
            LabeledSample(Labels(["__name__": "up", "job": "b"]), t: 10_000, v: 1),
        ])

        // Grafana's health check: POST form, `1+1` at an old time.
        let health = await client.post("/api/v1/query", form: "query=1%2B1&time=4")
        #expect(health.body == "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[4,\"2\"]}}")

        // 5s after the last sample: inside the default 5m lookback, outside a 2s one.
        let lookback = await client.get("/api/v1/query?query=up%7Bjob%3D%22a%22%7D&time=25&lookback_delta=2s")
        #expect(lookback.body == "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}")
        let badTimeout = await client.get("/api/v1/query?query=1&timeout=soon")
        #expect(badTimeout.json?["error"] as? String
            == "invalid parameter \"timeout\": cannot parse \"soon\" to a valid duration")

        let vector = await client.get("/api/v1/query?query=up%7Bjob%3D%22a%22%7D&time=25")
        #expect(vector.body == "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
            + "{\"metric\":{\"__name__\":\"up\",\"job\":\"a\"},\"value\":[25,\"0\"]}]}}")

        let range = await client.post("/api/v1/query_range", form: "query=up%7Bjob%3D%22a%22%7D&start=10&end=20&step=5")
        #expect(range.body == "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
            + "{\"metric\":{\"__name__\":\"up\",\"job\":\"a\"},\"values\":[[10,\"1\"],[15,\"1\"],[20,\"0\"]]}]}}")

        let series = await client.post("/api/v1/series",
                                       form: "match[]=up%7Bjob%3D%22a%22%7D&match[]=up%7Bjob%3D%22b%22%7D")
        #expect(series.body == "{\"status\":\"success\",\"data\":[{\"__name__\":\"up\",\"job\":\"a\"},"
            + "{\"__name__\":\"up\",\"job\":\"b\"}]}")
        let values = await client.get("/api/v1/label/job/values?match%5B%5D=up%7Bjob%3D%22b%22%7D")
        #expect(values.body == "{\"status\":\"success\",\"data\":[\"b\"]}")

        let empty = await client.get("/api/v1/series?match%5B%5D=%7Bjob%3D~%22.*%22%7D")
        #expect(empty.status == 400)
        #expect(empty.json?["error"] as? String
            == "1:1: parse error: vector selector must contain at least one non-empty matcher")

        let parse = await client.get("/api/v1/query?query=up%7B")
        #expect(parse.status == 400)
        #expect((parse.json?["error"] as? String)?.hasPrefix("invalid parameter \"query\": 1:") == true)

        let matrixRange = await client.get("/api/v1/query_range?query=up%5B1m%5D&start=1&end=2&step=1")
        #expect(matrixRange.json?["error"] as? String == "invalid parameter \"query\": invalid expression type "
            + "\"range vector\" for range query, must be Scalar or instant Vector")
    }

    @Test func apiEnvelopeAndErrorCodes() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let (runtime, client) = try start("", in: dir)
        defer { runtime.stop() }

        let missing = await client.get("/api/v1/query")
        #expect(missing.status == 400)
        #expect(missing.headers["content-type"] == "application/json")
        #expect(missing.body == "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":"
            + "\"invalid parameter \\\"query\\\": 1:1: parse error: no expression found in input\"}")

        let badTime = await client.post("/api/v1/query", form: "query=up&time=soon")
        #expect(badTime.status == 400)
        #expect(badTime.json?["error"] as? String
            == "invalid parameter \"time\": cannot parse \"soon\" to a valid timestamp")

        let badStep = await client.post("/api/v1/query_range", form: "query=up&start=1&end=2&step=-1")
        #expect(badStep.status == 400)
        #expect(badStep.json?["error"] as? String
            == "zero or negative query resolution step widths are not accepted. Try a positive integer")

        let noMatch = await client.get("/api/v1/series")
        #expect(noMatch.status == 400)
        #expect(noMatch.json?["error"] as? String == "no match[] parameter provided")

        let wrongMethod = await client.send("DELETE", "/api/v1/query")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.headers["allow"] == "GET, POST, HEAD")

        #expect(await client.get("/api/v1/nope").status == 404)
        #expect(await client.get("/api/v1/query_exemplars").body == "{\"status\":\"success\",\"data\":[]}")
        #expect(await client.post("/api/v1/format_query", form: "query=sum(rate(x%5B5m%5D))by(job)").body
            == "{\"status\":\"success\",\"data\":\"sum by (job) (rate(x[5m]))\"}")
        #expect(await client.get("/api/v1/metadata").body == "{\"status\":\"success\",\"data\":{}}")
        let build = await client.get("/api/v1/status/buildinfo").json?["data"] as? [String: Any]
        #expect(build?["version"] as? String == BuildInfo.version)
        #expect(build?["features"] == nil)
        #expect(Set(build?.keys.map { $0 } ?? [])
            == ["version", "revision", "branch", "buildUser", "buildDate", "goVersion"])
        #expect(await client.get("/api/v1/targets").json?["status"] as? String == "success")
        #expect(await client.get("/api/v1/rules").json?["status"] as? String == "success")
        #expect(await client.get("/api/v1/alerts").json?["status"] as? String == "success")
        let flags = await client.get("/api/v1/status/flags").json?["data"] as? [String: String]
        #expect(flags != nil)
    }
}
