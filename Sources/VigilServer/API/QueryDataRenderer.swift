import VigilCore
import VigilQuery

/// Renders a `QueryValue` as the `data` object of a query response
/// (`{"resultType":"vector","result":[…]}`), with sample values as strings and times in seconds.
enum QueryDataRenderer {
    static func render(_ value: QueryValue) -> String {
        var out = "{\"resultType\":\"\(value.type.rawValue)\",\"result\":"
        switch value {
        case .scalar(let t, let v):
            out += point(t, JSON.promValue(v))
        case .string(let t, let s):
            out += "[" + JSON.seconds(t) + "," + JSON.quote(s) + "]"
        case .vector(let elements):
            out += "["
            for (i, e) in elements.enumerated() {
                if i > 0 { out += "," }
                out += "{\"metric\":" + JSON.object(e.labels) + ",\"value\":" + point(e.t, JSON.promValue(e.v)) + "}"
            }
            out += "]"
        case .matrix(let series):
            out += "["
            for (i, s) in series.enumerated() {
                if i > 0 { out += "," }
                out += "{\"metric\":" + JSON.object(s.labels) + ",\"values\":["
                for (j, p) in s.samples.enumerated() {
                    if j > 0 { out += "," }
                    out += point(p.t, JSON.promValue(p.v))
                }
                out += "]}"
            }
            out += "]"
        }
        return out + "}"
    }

    private static func point(_ t: Int64, _ v: String) -> String {
        "[" + JSON.seconds(t) + ",\"" + v + "\"]"
    }
}
