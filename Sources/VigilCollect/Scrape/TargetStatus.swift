import VigilCore

/// A target's health as the targets API reports it.
public enum TargetHealth: String, Sendable, Equatable {
    case up, down, unknown
}

/// A snapshot of one active target for `/api/v1/targets`.
public struct TargetStatus: Sendable, Equatable {
    /// Labels before relabelling (`__address__`, `__scheme__`, …).
    public var discoveredLabels: Labels
    /// The labels its series get.
    public var labels: Labels
    /// The job name.
    public var scrapePool: String
    /// The URL scraped.
    public var scrapeURL: String
    /// The URL with a loopback host replaced by the host name.
    public var globalURL: String
    /// The last scrape's error, or "".
    public var lastError: String
    /// When the last scrape started, in milliseconds; nil before the first.
    public var lastScrape: Int64?
    /// How long the last scrape took, in seconds.
    public var lastScrapeDuration: Double
    /// up, down or unknown (not scraped yet).
    public var health: TargetHealth
    /// The scrape interval in milliseconds.
    public var scrapeInterval: Int64
    /// The scrape timeout in milliseconds.
    public var scrapeTimeout: Int64

    /// Makes a snapshot.
    public init(
        discoveredLabels: Labels, labels: Labels, scrapePool: String, scrapeURL: String, globalURL: String,
        lastError: String = "", lastScrape: Int64? = nil, lastScrapeDuration: Double = 0,
        health: TargetHealth = .unknown, scrapeInterval: Int64, scrapeTimeout: Int64
    ) {
        self.discoveredLabels = discoveredLabels
        self.labels = labels
        self.scrapePool = scrapePool
        self.scrapeURL = scrapeURL
        self.globalURL = globalURL
        self.lastError = lastError
        self.lastScrape = lastScrape
        self.lastScrapeDuration = lastScrapeDuration
        self.health = health
        self.scrapeInterval = scrapeInterval
        self.scrapeTimeout = scrapeTimeout
    }
}

/// Which targets `/api/v1/targets?state=` asks for.
public enum TargetState: String, Sendable {
    case active, dropped, any

    /// Parses the `state` parameter; nil or "" means any, an unknown value is nil.
    public init?(parameter: String?) {
        guard let parameter, !parameter.isEmpty else {
            self = .any
            return
        }
        self.init(rawValue: parameter)
    }
}

/// Renders the `data` object of Prometheus's `/api/v1/targets`.
public enum TargetsAPI {
    /// `{"activeTargets":[…],"droppedTargets":[],"droppedTargetCounts":{…}}` for `targets` (Vigil drops none).
    ///
    /// Targets are ordered by pool, then labels; `pools` lists every configured job (for `droppedTargetCounts`).
    public static func json(_ targets: [TargetStatus], pools: [String], state: TargetState = .any) -> String {
        let showActive = state != .dropped
        let showDropped = state != .active
        var out = "{\"activeTargets\":["
        if showActive {
            let sorted = targets.sorted {
                $0.scrapePool != $1.scrapePool ? $0.scrapePool < $1.scrapePool : $0.labels < $1.labels
            }
            out += sorted.map(targetJSON).joined(separator: ",")
        }
        out += "],\"droppedTargets\":[],\"droppedTargetCounts\":"
        if showDropped {
            let names = Set(pools).union(targets.map(\.scrapePool)).sorted()
            out += "{" + names.map { JSON.quote($0) + ":0" }.joined(separator: ",") + "}"
        } else {
            out += "null"
        }
        return out + "}"
    }

    /// A float as Go's encoding/json writes it: plain decimal, exponent form below 1e-6 or from 1e21.
    static func jsonNumber(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let a = abs(v)
        if a != 0 && (a < 1e-6 || a >= 1e21) {
            var s = GoFloat.formatExponent(v)
            if let r = s.range(of: "e-0") { s.replaceSubrange(r, with: "e-") }
            if let r = s.range(of: "e+0") { s.replaceSubrange(r, with: "e+") }
            return s
        }
        return GoFloat.format(v)
    }

    static func targetJSON(_ t: TargetStatus) -> String {
        let lastScrape = t.lastScrape.map(Timestamp.rfc3339) ?? "0001-01-01T00:00:00Z"
        let duration = jsonNumber(t.lastScrapeDuration)
        return "{\"discoveredLabels\":" + JSON.object(t.discoveredLabels)
            + ",\"labels\":" + JSON.object(t.labels)
            + ",\"scrapePool\":" + JSON.quote(t.scrapePool)
            + ",\"scrapeUrl\":" + JSON.quote(t.scrapeURL)
            + ",\"globalUrl\":" + JSON.quote(t.globalURL)
            + ",\"lastError\":" + JSON.quote(t.lastError)
            + ",\"lastScrape\":" + JSON.quote(lastScrape)
            + ",\"lastScrapeDuration\":" + duration
            + ",\"health\":" + JSON.quote(t.health.rawValue)
            + ",\"scrapeInterval\":" + JSON.quote(PromDuration.format(t.scrapeInterval))
            + ",\"scrapeTimeout\":" + JSON.quote(PromDuration.format(t.scrapeTimeout)) + "}"
    }
}
