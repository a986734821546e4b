import Foundation
import VigilCore

/// One address of a scrape job, with its labels and URL.
public struct ScrapeTarget: Sendable, Hashable {
    /// The job name (`scrapePool` in the API).
    public var job: String
    /// Labels before relabelling: `__address__`, `__scheme__`, `__metrics_path__`, `job`, group labels….
    public var discoveredLabels: Labels
    /// The labels every scraped series gets: `job`, `instance` and the group labels (no `__` names).
    public var labels: Labels
    /// The full scrape URL with query parameters.
    public var url: String

    /// Builds the target for `address` in `group` of `config`, as Prometheus does without relabel rules.
    public init(address: String, group: TargetGroup, config: ScrapeConfig) {
        job = config.jobName
        var d: [Label] = [
            Label("__address__", address),
            Label("__scheme__", config.scheme),
            Label("__metrics_path__", config.metricsPath),
            Label("__scrape_interval__", PromDuration.format(config.scrapeInterval)),
            Label("__scrape_timeout__", PromDuration.format(config.scrapeTimeout)),
            Label(LabelName.job, config.jobName),
        ]
        for (name, values) in config.params.sorted(by: { $0.key < $1.key }) {
            if let first = values.first { d.append(Label("__param_" + name, first)) }
        }
        d.append(contentsOf: group.labels.pairs)
        discoveredLabels = Labels(d)

        var final = discoveredLabels
        if final.get(LabelName.instance) == nil { final.set(LabelName.instance, final["__address__"]) }
        labels = Labels(sortedUnchecked: final.pairs.filter { !$0.name.hasPrefix("__") })

        var params = config.params
        for p in discoveredLabels.pairs where p.name.hasPrefix("__param_") {
            let name = String(p.name.dropFirst(8))
            var values = params[name] ?? []
            if values.isEmpty { values = [p.value] } else { values[0] = p.value }
            params[name] = values
        }
        url = ScrapeTarget.buildURL(
            scheme: discoveredLabels["__scheme__"], address: discoveredLabels["__address__"],
            path: discoveredLabels["__metrics_path__"], params: params)
    }

    static func buildURL(scheme: String, address: String, path: String, params: [String: [String]]) -> String {
        var url = scheme + "://" + address + (path.hasPrefix("/") ? path : "/" + path)
        let query = params.keys.sorted().flatMap { k in params[k]!.map { (k, $0) } }
        if !query.isEmpty {
            url += (url.contains("?") ? "&" : "?")
                + query.map { escapeQuery($0.0) + "=" + escapeQuery($0.1) }.joined(separator: "&")
        }
        return url
    }

    /// Go's `url.QueryEscape`: unreserved bytes stay, space becomes `+`, everything else `%XX`.
    private static func escapeQuery(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(UnicodeScalar(b))
            case UInt8(ascii: " "):
                out += "+"
            default:
                out += "%" + String(b >> 4, radix: 16, uppercase: true) + String(b & 15, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// The URL with a loopback host replaced by this machine's name, as Prometheus's `globalUrl`.
    public var globalURL: String {
        guard let comps = URLComponents(string: url), let host = comps.host else { return url }
        guard ["localhost", "127.0.0.1", "::1", "[::1]"].contains(host) else { return url }
        var c = comps
        c.host = ProcessInfo.processInfo.hostName
        return c.string ?? url
    }
}
