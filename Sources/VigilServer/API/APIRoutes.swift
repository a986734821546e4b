import VigilCore
import VigilQuery

/// Builds the router of every endpoint Vigil serves.
public enum APIRoutes {
    /// The router over `backend`.
    public static func makeRouter(backend: any APIBackend) -> Router {
        var b = Router.Builder()
        let query = QueryAPI(backend: backend)
        let meta = MetadataAPI(backend: backend)
        let both = ["GET", "POST"]

        b.add("/-/healthy", ["GET"]) { _ in .text("Vigil is Healthy.\n") }
        b.add("/-/ready", ["GET"]) { _ in
            guard backend.isReady else { return .text("Service Unavailable\n", status: 503) }
            if let problem = backend.readinessProblem {
                return .text("Service Unavailable: \(problem)\n", status: 503)
            }
            return .text("Vigil is Ready.\n")
        }
        b.add("/-/reload", ["POST", "PUT"]) { _ in
            do {
                try backend.reload()
                return .text("")
            } catch {
                return .text("failed to reload config: \(error)\n", status: 500)
            }
        }
        b.add("/metrics", ["GET"]) { _ in
            HTTPResponse(contentType: "text/plain; version=0.0.4; charset=utf-8",
                         body: Array(backend.metricsText().utf8))
        }
        b.add("/", ["GET"]) { _ in
            .text("Vigil \(BuildInfo.version)\n\n/metrics\n/api/v1/query?query=up\n/api/v1/targets\n/api/v1/rules\n"
                + "/api/v1/alerts\n")
        }

        b.add("/api/v1/import/prometheus", ["POST", "PUT"]) { r in ImportAPI.prometheus(r, storage: backend.storage) }
        b.add("/api/v1/query", both, query.instant)
        b.add("/api/v1/query_range", both, query.range)
        b.add("/api/v1/series", both, meta.series)
        b.add("/api/v1/labels", both, meta.labelNames)
        b.add("/api/v1/label/:name/values", ["GET"], meta.labelValues)
        b.add("/api/v1/query_exemplars", both) { r in
            // No exemplars are stored yet, but a bad query is still an error, as in Prometheus.
            if let q = r.parameter("query") {
                do throws(ParseError) { _ = try QueryEngine.parse(q) } catch {
                    return APIResponse.error(.badData, error.description)
                }
            }
            return APIResponse.success("[]")
        }
        b.add("/api/v1/format_query", both, query.format)
        b.add("/api/v1/alertmanagers", ["GET"]) { _ in
            APIResponse.success("{\"activeAlertmanagers\":[],\"droppedAlertmanagers\":[]}")
        }
        b.add("/api/v1/metadata", ["GET"]) { r in
            var limit: Int?
            if let text = r.parameter("limit"), !text.isEmpty {
                guard let n = Int(text) else { return APIResponse.error(.badData, "limit must be a number") }
                limit = n
            }
            return APIResponse.success(backend.metadataData(metric: r.parameter("metric"), limit: limit))
        }
        b.add("/api/v1/targets", ["GET"]) { r in
            APIResponse.success(backend.targetsData(state: r.parameter("state")))
        }
        b.add("/api/v1/rules", ["GET"]) { r in
            do throws(APIParameters.Invalid) { return APIResponse.success(try backend.rulesData(r)) } catch {
                return APIResponse.error(.badData, error.message)
            }
        }
        b.add("/api/v1/alerts", ["GET"]) { _ in APIResponse.success(backend.alertsData()) }
        b.add("/api/v1/status/buildinfo", ["GET"]) { _ in APIResponse.success(buildInfoData) }
        b.add("/api/v1/status/config", ["GET"]) { _ in
            APIResponse.success("{\"yaml\":" + JSON.quote(backend.configText()) + "}")
        }
        b.add("/api/v1/status/flags", ["GET"]) { _ in
            APIResponse.success("{" + backend.flags().map { JSON.quote($0.0) + ":" + JSON.quote($0.1) }
                .joined(separator: ",") + "}")
        }
        return b.build()
    }

    /// `/api/v1/status/buildinfo` without a `features` key (Grafana would take a non-empty one for Mimir).
    static var buildInfoData: String {
        "{\"version\":\(JSON.quote(BuildInfo.version)),\"revision\":\(JSON.quote(BuildInfo.revision)),"
            + "\"branch\":\(JSON.quote(BuildInfo.branch)),\"buildUser\":\"\",\"buildDate\":\"\","
            + "\"goVersion\":\(JSON.quote(BuildInfo.swiftVersion))}"
    }
}
