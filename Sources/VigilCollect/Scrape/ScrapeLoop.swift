import Foundation
import VigilCore

/// Scrapes one target at its interval until stopped, appending samples, report series and stale markers.
final class ScrapeLoop: @unchecked Sendable {
    let target: ScrapeTarget
    let config: ScrapeConfig
    private let appender: any SampleAppender
    private let client: ScrapeHTTPClient
    private let logger: Logger
    private let clock: @Sendable () -> Int64

    private let lock = NSLock()
    private var state = ScrapeState()
    /// Series of earlier scrapes by their bytes; only the loop's own (sequential) scrapes touch it.
    private let seriesCache = ExpositionCache()
    private var task: Task<Void, Never>?

    /// What the loop remembers between scrapes; guarded by `lock`.
    struct ScrapeState {
        var health = TargetHealth.unknown
        var lastError = ""
        var lastScrape: Int64?
        var lastDuration = 0.0
        /// Series of the previous scrape that carried no explicit timestamp: the candidates for stale markers.
        var seen: Set<Labels> = []
        var reported = false
        var staleOnStop = true
        var finished = false
        /// HELP/TYPE/UNIT of the last successful scrape, for `/api/v1/metadata`.
        var metadata: [MetricMetadata] = []
    }

    init(target: ScrapeTarget, config: ScrapeConfig, appender: any SampleAppender, client: ScrapeHTTPClient,
         logger: Logger, clock: @escaping @Sendable () -> Int64) {
        self.target = target
        self.config = config
        self.appender = appender
        self.client = client
        self.logger = logger.with("scrape.job", target.job).with("scrape.target", target.url)
        self.clock = clock
    }

    /// Starts scraping after a per-target offset that spreads targets over the interval.
    func start(inheriting seen: Set<Labels> = []) {
        lock.withLock { state.seen = seen }
        let interval = config.scrapeInterval
        let offset = Int64(truncatingIfNeeded: target.labels.fingerprint.magnitude % UInt64(interval))
        let now = clock()
        var first = now - now % interval + offset
        if first < now { first += interval }
        let delay = first - now
        let t = Task.detached { [self] in
            await run(initialDelay: delay)
        }
        lock.withLock { task = t }
    }

    /// Stops the loop; with `stale` the loop's series get stale markers once the last scrape has finished.
    func stop(stale: Bool) {
        let t = lock.withLock { () -> Task<Void, Never>? in
            state.staleOnStop = stale
            return task
        }
        t?.cancel()
    }

    /// Waits until the loop has exited (and written its stale markers).
    func wait() async {
        let t = lock.withLock { task }
        await t?.value
    }

    /// The metadata of the last successful scrape.
    var metadata: [MetricMetadata] { lock.withLock { state.metadata } }

    /// True once the loop has exited.
    var isFinished: Bool { lock.withLock { state.finished } }

    /// The series of the last scrape, for a replacement loop to continue staleness tracking.
    var seenSeries: Set<Labels> { lock.withLock { state.seen } }

    /// A snapshot for the targets API.
    func status() -> TargetStatus {
        let s = lock.withLock { state }
        return TargetStatus(
            discoveredLabels: target.discoveredLabels, labels: target.labels, scrapePool: target.job,
            scrapeURL: target.url, globalURL: target.globalURL, lastError: s.lastError, lastScrape: s.lastScrape,
            lastScrapeDuration: s.lastDuration, health: s.health, scrapeInterval: config.scrapeInterval,
            scrapeTimeout: config.scrapeTimeout)
    }

    private func run(initialDelay: Int64) async {
        var next = clock() + initialDelay
        while !Task.isCancelled {
            let wait = next - clock()
            if wait > 0 {
                do { try await Task.sleep(nanoseconds: UInt64(wait) * 1_000_000) } catch { break }
            }
            if Task.isCancelled { break }
            await scrapeOnce()
            next += config.scrapeInterval
            let now = clock()
            if next <= now { next = now + config.scrapeInterval - (now - next) % config.scrapeInterval }
        }
        endOfRun()
    }

    /// One scrape: fetch, parse, build the batch and append it.
    func scrapeOnce() async {
        let start = clock()
        let started = Timestamp.monotonicSeconds()
        var outcome: Result<ExpositionResult, ScrapeFailure>
        do {
            let response = try await client.fetch(target.url, timeout: config.scrapeTimeout)
            outcome = decode(response)
        } catch {
            outcome = .failure(error)
        }
        if Task.isCancelled, case .failure = outcome { return }
        let duration = Timestamp.monotonicSeconds() - started
        let batch = lock.withLock { () -> [LabeledSample] in
            var s = state
            let b = ScrapeBatch.build(outcome: outcome, target: target, config: config, time: start,
                                      duration: duration, state: &s)
            state = s
            return b
        }
        do {
            try appender.append(batch)
        } catch {
            logger.error("append failed", ["err": "\(error)"])
        }
        if case .failure(let failure) = outcome {
            logger.debug("scrape failed", ["err": failure.description])
        }
    }

    private func decode(_ response: ScrapeResponse) -> Result<ExpositionResult, ScrapeFailure> {
        guard response.status == 200 else {
            return .failure(ScrapeFailure("server returned HTTP status \(ScrapeLoop.statusText(response.status))"))
        }
        // Prometheus 3 refuses a missing or unknown Content-Type unless `fallback_scrape_protocol` is set; Vigil
        // falls back to the 0.0.4 text format, as that setting would.
        let format = ExpositionFormat.from(contentType: response.contentType) ?? .prometheusText
        do {
            return .success(try ExpositionParser.parse(response.body, format: format, cache: seriesCache))
        } catch {
            return .failure(ScrapeFailure("parse error: \(error)"))
        }
    }

    /// Go's `resp.Status` text, such as `500 Internal Server Error`.
    static func statusText(_ code: Int) -> String {
        let names = [
            301: "Moved Permanently", 302: "Found", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
            404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable", 429: "Too Many Requests",
            500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
        ]
        return names[code].map { "\(code) \($0)" } ?? "\(code)"
    }

    /// Stale markers for every series of the last scrape and for the report series, when the target goes away.
    private func endOfRun() {
        let batch = lock.withLock { () -> [LabeledSample] in
            state.finished = true
            guard state.staleOnStop else { return [] }
            let t = clock()
            var out = state.seen.map { LabeledSample($0, t: t, v: StaleMarker.value) }
            if state.reported {
                for name in ScrapeBatch.reportNames {
                    out.append(LabeledSample(ScrapeBatch.reportLabels(name, target), t: t, v: StaleMarker.value))
                }
            }
            state.seen = []
            return out
        }
        guard !batch.isEmpty else { return }
        do {
            try appender.append(batch)
        } catch {
            logger.error("append of stale markers failed", ["err": "\(error)"])
        }
    }
}
