import VigilCore

extension QueryValue {
    /// The `data` object of Prometheus's `/api/v1/query` and `/api/v1/query_range` responses.
    ///
    /// `{"resultType":"vector","result":[{"metric":{…},"value":[1435781451.781,"1"]}]}`; matrices use `values`,
    /// scalars and strings a bare `[time,"value"]` pair.
    public var json: String {
        var out = "{\"resultType\":\"\(type.rawValue)\",\"result\":"
        switch self {
        case .scalar(let t, let v):
            out += "[" + JSON.seconds(t) + "," + JSON.quote(JSON.promValue(v)) + "]"
        case .string(let t, let s):
            out += "[" + JSON.seconds(t) + "," + JSON.quote(s) + "]"
        case .vector(let elements):
            out += "["
            for (i, e) in elements.enumerated() {
                if i > 0 { out += "," }
                out += "{\"metric\":" + JSON.object(e.labels) + ",\"value\":["
                out += JSON.seconds(e.t) + "," + JSON.quote(JSON.promValue(e.v)) + "]}"
            }
            out += "]"
        case .matrix(let series):
            out += "["
            for (i, s) in series.enumerated() {
                if i > 0 { out += "," }
                out += "{\"metric\":" + JSON.object(s.labels) + ",\"values\":["
                for (j, p) in s.samples.enumerated() {
                    if j > 0 { out += "," }
                    out += "[" + JSON.seconds(p.t) + "," + JSON.quote(JSON.promValue(p.v)) + "]"
                }
                out += "]}"
            }
            out += "]"
        }
        return out + "}"
    }
}
