import VigilCore

/// Renders the `data` object of Prometheus's `/api/v1/metadata`.
public enum MetadataAPI {
    /// `{"<metric>":[{"type":"counter","help":"…","unit":""},…],…}`, keys sorted as Go's encoder sorts them.
    ///
    /// `metric` keeps one family; `limit` caps the number of families and `limitPerMetric` the entries of each
    /// (nil or a negative value: no cap), as the Prometheus parameters do.
    public static func json(_ entries: [MetricMetadata], metric: String? = nil, limit: Int? = nil,
                            limitPerMetric: Int? = nil) -> String {
        var byName: [String: [MetricMetadata]] = [:]
        for e in entries where metric == nil || metric == "" || e.family == metric {
            byName[e.family, default: []].append(e)
        }
        var names = byName.keys.sorted()
        if let limit, limit >= 0, names.count > limit { names = Array(names.prefix(limit)) }
        let objects = names.map { name -> String in
            var list = byName[name]!
            if let limitPerMetric, limitPerMetric > 0, list.count > limitPerMetric {
                list = Array(list.prefix(limitPerMetric))
            }
            let items = list.map {
                "{\"type\":" + JSON.quote($0.type.rawValue) + ",\"help\":" + JSON.quote($0.help) + ",\"unit\":"
                    + JSON.quote($0.unit) + "}"
            }
            return JSON.quote(name) + ":[" + items.joined(separator: ",") + "]"
        }
        return "{" + objects.joined(separator: ",") + "}"
    }
}
