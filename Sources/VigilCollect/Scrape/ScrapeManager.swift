import Foundation
import VigilCore

/// Runs one scrape loop per target of every scrape config, keeps them in step with config reloads and file_sd
/// changes, and reports their status for the targets API.
public final class ScrapeManager: @unchecked Sendable {
    private let appender: any SampleAppender
    private let logger: Logger
    private let clock: @Sendable () -> Int64
    private let fileSDPollInterval: Int64
    private let client = ScrapeHTTPClient()

    private let lock = NSLock()
    private var jobs: [String: Job] = [:]
    private var loops: [LoopKey: ScrapeLoop] = [:]
    private var stopping: [ScrapeLoop] = []
    private var stopped = false

    /// One job: its config, the groups each source gave and the file watchers.
    private struct Job {
        var config: ScrapeConfig
        var fileGroups: [[TargetGroup]]
        var watchers: [FileSDWatcher]
    }

    /// A target's identity within the manager.
    private struct LoopKey: Hashable {
        var job: String
        var url: String
        var labels: Labels
    }

    /// Makes a manager that appends to `appender`; `fileSDPollInterval` (ms) is how often file_sd files are checked.
    public init(appender: any SampleAppender, logger: Logger, fileSDPollInterval: Int64 = 5_000,
                clock: @escaping @Sendable () -> Int64 = { Timestamp.nowMillis() }) {
        self.appender = appender
        self.logger = logger
        self.fileSDPollInterval = fileSDPollInterval
        self.clock = clock
    }

    /// Applies a new set of scrape configs: loops of unchanged targets keep running, removed targets stop and get
    /// stale markers, changed configs restart their targets' loops.
    public func apply(configs: [ScrapeConfig]) {
        var newJobs: [String: Job] = [:]
        var retired: [FileSDWatcher] = []
        let old = lock.withLock { jobs }
        for config in configs where newJobs[config.jobName] == nil {
            if let existing = old[config.jobName], existing.config.fileSDConfigs == config.fileSDConfigs {
                var job = existing
                job.config = config
                newJobs[config.jobName] = job
                continue
            }
            if let existing = old[config.jobName] { retired += existing.watchers }
            newJobs[config.jobName] = makeJob(config)
        }
        for (name, job) in old where newJobs[name] == nil { retired += job.watchers }
        for w in retired { w.stop() }
        lock.withLock {
            guard !stopped else { return }
            // A watcher may have reported new groups since `old` was read: keep the latest for reused jobs.
            for (name, job) in newJobs where old[name]?.watchers.first === job.watchers.first {
                if let current = jobs[name] { newJobs[name]?.fileGroups = current.fileGroups }
            }
            jobs = newJobs
            syncLocked()
        }
        logger.info("scrape configs applied", ["scrape.jobs": "\(newJobs.count)"])
    }

    private func makeJob(_ config: ScrapeConfig) -> Job {
        var job = Job(config: config, fileGroups: [], watchers: [])
        for (index, sd) in config.fileSDConfigs.enumerated() {
            let name = config.jobName
            let watcher = FileSDWatcher(
                config: sd, logger: logger.with("scrape.job", name), pollInterval: fileSDPollInterval
            ) { [weak self] groups in
                self?.fileGroupsChanged(job: name, index: index, groups: groups)
            }
            job.fileGroups.append(watcher.start())
            job.watchers.append(watcher)
        }
        return job
    }

    private func fileGroupsChanged(job name: String, index: Int, groups: [TargetGroup]) {
        lock.withLock {
            guard !stopped, var job = jobs[name], index < job.fileGroups.count, job.fileGroups[index] != groups
            else { return }
            job.fileGroups[index] = groups
            jobs[name] = job
            syncLocked()
        }
        logger.info("file_sd targets changed", ["scrape.job": name, "file_sd.groups": "\(groups.count)"])
    }

    /// Starts, keeps, restarts or stops loops so they match `jobs`. Caller holds `lock`.
    private func syncLocked() {
        stopping.removeAll { $0.isFinished }
        var desired: [LoopKey: (ScrapeTarget, ScrapeConfig)] = [:]
        for job in jobs.values {
            for group in job.config.staticConfigs + job.fileGroups.flatMap({ $0 }) {
                for address in group.targets {
                    let target = ScrapeTarget(address: address, group: group, config: job.config)
                    let key = LoopKey(job: target.job, url: target.url, labels: target.labels)
                    if desired[key] == nil { desired[key] = (target, job.config) }
                }
            }
        }
        for (key, loop) in loops where desired[key] == nil {
            loop.stop(stale: true)
            stopping.append(loop)
            loops[key] = nil
        }
        for (key, (target, config)) in desired {
            var inherited: Set<Labels> = []
            if let existing = loops[key] {
                if existing.config == config && existing.target == target { continue }
                existing.stop(stale: false)
                stopping.append(existing)
                inherited = existing.seenSeries
            }
            let loop = ScrapeLoop(target: target, config: config, appender: appender, client: client,
                                  logger: logger, clock: clock)
            loops[key] = loop
            loop.start(inheriting: inherited)
        }
    }

    /// Stops every loop and watcher; each target's series get stale markers as its loop exits.
    public func stop() {
        let (all, watchers) = lock.withLock { () -> ([ScrapeLoop], [FileSDWatcher]) in
            stopped = true
            let all = Array(loops.values)
            loops = [:]
            stopping += all
            let w = jobs.values.flatMap(\.watchers)
            jobs = [:]
            return (all, w)
        }
        for w in watchers { w.stop() }
        for loop in all { loop.stop(stale: true) }
    }

    /// Stops everything and waits until every loop has exited and written its stale markers.
    public func stopAndWait() async {
        stop()
        let pending = lock.withLock { () -> [ScrapeLoop] in
            let p = stopping
            stopping = []
            return p
        }
        for loop in pending { await loop.wait() }
    }

    /// Snapshots of the active targets.
    public func targets() -> [TargetStatus] {
        let all = lock.withLock { Array(loops.values) }
        return all.map { $0.status() }
    }

    /// The metadata of every target's last scrape, each distinct (family, type, help, unit) once.
    public func metadata() -> [MetricMetadata] {
        let all = lock.withLock { Array(loops.values) }
        var seen: Set<MetadataKey> = []
        var out: [MetricMetadata] = []
        for loop in all.sorted(by: { $0.target.url < $1.target.url }) {
            for m in loop.metadata where seen.insert(MetadataKey(m)).inserted { out.append(m) }
        }
        return out
    }

    private struct MetadataKey: Hashable {
        var family, type, help, unit: String
        init(_ m: MetricMetadata) {
            family = m.family
            type = m.type.rawValue
            help = m.help
            unit = m.unit
        }
    }

    /// The configured job names, sorted.
    public var jobNames: [String] { lock.withLock { jobs.keys.sorted() } }

    /// The `data` object of `/api/v1/targets` for `state`.
    public func targetsJSON(state: TargetState = .any) -> String {
        TargetsAPI.json(targets(), pools: jobNames, state: state)
    }
}
