import VigilCore

/// A failure recognised in one log line.
public struct FailureRecognition: Sendable, Hashable {
    /// What failed.
    public var kind: FailureKind
    /// How sure the recogniser is (exact-signature rules give 1).
    public var confidence: Double
    /// Extracted fields: `gpu`, `xid`, `pci_bus_id`, `pid`, `process`, `job`, `rank`, `bytes_requested`, `path`.
    public var fields: [String: String]
    /// A plain-language one-line summary.
    public var summary: String
}

/// Recognises failure kinds in single lines: exact-signature rules (RE2, confidence 1) first, then a naive
/// Bayes classifier over TF-IDF features trained on `FailureCorpus` for lines that look like trouble
/// (confidence = its posterior, reported from `learnedThreshold` up, and only with at least two known features).
public struct FailureClassifier: Sendable {
    struct Rule: Sendable {
        var kind: FailureKind
        var regex: RE2
        /// Field names for capture groups 1…n (empty names skip a group).
        var groups: [String]
    }

    private let rules: [Rule]
    private let prefilter: RE2
    private let jobRegex: RE2
    private let rankRegex: RE2
    private let troubleRegex: RE2
    private let learned: NaiveBayesClassifier
    /// The posterior from which a learned (non-rule) recognition is reported.
    public var learnedThreshold = 0.9

    /// Creates the classifier with the built-in catalogue.
    public init() {
        // The patterns are constants covered by the tests.
        func r(_ kind: FailureKind, _ pattern: String, _ groups: [String] = []) -> Rule {
            Rule(kind: kind, regex: try! RE2(pattern), groups: groups)
        }
        rules = [
            r(.gpuXid,
              #"NVRM: Xid \(PCI:([0-9a-fA-F:.]+)\): (\d+),"# + #"(?: pid=(\d+|'?<unknown>'?),)?(?: name=([^,\s]+),)?"#,
              ["pci_bus_id", "xid", "pid", "process"]),
            r(.gpuECC, #"(?i)uncorrectable ECC error|cudaErrorECCUncorrectable|Remapped Rows.*Pending\s*:\s*Yes"#),
            r(.cudaOOM,
              #"(?:CUDA out of memory|OutOfMemoryError|CUDA error: out of memory|CUBLAS_STATUS_ALLOC_FAILED)"#
                + #"(?:.*?Tried to allocate ([0-9.]+) ?([KMGT]i?B))?(?:.*?GPU (\d+))?"#,
              ["amount", "unit", "gpu"]),
            r(.ncclTimeout,
              #"(?:\[Rank (\d+)\] )?(?:Watchdog caught collective operation timeout|NCCL (?:error|WARN)|"#
                + #"DistBackendError|ChildFailedError|Heartbeat monitor timed out)"#
                + #"(?:.*?OpType=(\w+))?(?:.*?Timeout\(ms\)=(\d+))?"#,
              ["rank", "op", "timeout_ms"]),
            r(.nonFiniteLoss,
              #"(?i)(?:loss is (nan|inf)|'loss': (nan|inf)|\bloss[=: ]+(nan|inf)\b|returned nan values)"#),
            r(.oomKill, #"(?:Out of memory|Memory cgroup out of memory): Kill(?:ed)? process (\d+) \(([^)]+)\)"#,
              ["pid", "process"]),
            r(.segfault,
              #"(?:(\S+)\[(\d+)\]: segfault at|Segmentation fault|SIGSEGV|Fatal Python error: Segmentation fault|"#
                + #"Bus error \(core dumped\))"#,
              ["process", "pid"]),
            r(.checkpointWriteFailed, #"PytorchStreamWriter failed writing|(?i)failed to (?:save|write) checkpoint"#),
            r(.diskFull,
              #"(?:Errno 28\] )?(?:No space left on device|Disk quota exceeded)(?:: '([^']+)')?|ENOSPC|Errno 28"#,
              ["path"]),
            r(.networkUnreachable,
              #"(?i)network is unreachable|no route to host|ENETUNREACH|EHOSTUNREACH|connection timed out"#),
            r(.permissionDenied, #"(?i)permission denied|EACCES|Errno 13|operation not permitted"#),
            r(.preemption,
              #"(?i)preempt(?:ed|ion)|spot instance.*(?:interrupt|terminat)|received SIGTERM|node is being drained"#),
        ]
        prefilter = try! RE2(
            #"(?i)xid|ecc|out of memory|outofmemory|cublas|nccl|watchdog|distbackend|childfailed|heartbeat|nan|inf|"#
                + #"oom|kill|segfault|segmentation|sigsegv|bus error|space left|enospc|errno|quota|streamwriter|"#
                + #"checkpoint|unreachable|route to host|timed out|permission|eacces|not permitted|preempt|spot|"#
                + #"sigterm|drain"#)
        jobRegex = try! RE2(#"\bjob(?:_id|id|Id)?[=: ]+([\w.-]+)"#)
        rankRegex = try! RE2(#"\b[Rr]ank[=: \[]*(\d+)"#)
        troubleRegex = try! RE2(
            #"(?i)error|fail|fatal|exception|killed|denied|forbidden|timed? ?out|unreachable|refused|crash|abort|"#
                + #"panic|overflow|nan\b|inf\b|preempt|evict|interrupt|full|exceeded|xid|ecc|oom"#)
        learned = NaiveBayesClassifier(examples: FailureCorpus.examples)
    }

    /// The failure a line shows, or nil.
    public func classify(_ line: String) -> FailureRecognition? {
        if prefilter.partialMatch(line), let r = classifyByRules(line) { return r }
        guard troubleRegex.partialMatch(line) else { return nil }
        let (label, p) = learned.classify(line)
        guard label != FailureCorpus.none, p >= learnedThreshold, let kind = FailureKind(rawValue: label) else {
            return nil
        }
        var fields: [String: String] = [:]
        if let j = jobRegex.firstMatch(in: line)?.groups[1] { fields["job"] = String(j) }
        if let r = rankRegex.firstMatch(in: line)?.groups[1] { fields["rank"] = String(r) }
        // A learned recognition never claims the certainty of an exact signature.
        return FailureRecognition(
            kind: kind, confidence: min(p, 0.99), fields: fields, summary: summary(kind, fields))
    }

    /// Trains the learned layer alone on `examples` and returns its label function (for evaluation).
    public static func trainLearned(on examples: [(label: String, line: String)]) -> @Sendable (String) -> String {
        let model = NaiveBayesClassifier(examples: examples)
        return { model.classify($0, minimumFeatures: 1).label }
    }

    func classifyByRules(_ line: String) -> FailureRecognition? {
        for rule in rules {
            guard let m = rule.regex.firstMatch(in: line) else { continue }
            var fields: [String: String] = [:]
            for (i, name) in rule.groups.enumerated() where !name.isEmpty && i + 1 < m.groups.count {
                if let v = m.groups[i + 1] { fields[name] = String(v) }
            }
            if let amount = fields.removeValue(forKey: "amount"), let unit = fields.removeValue(forKey: "unit"),
                let bytes = Self.bytes(amount, unit)
            {
                fields["bytes_requested"] = String(bytes)
            }
            if fields["job"] == nil, let j = jobRegex.firstMatch(in: line)?.groups[1] { fields["job"] = String(j) }
            if fields["rank"] == nil, let r = rankRegex.firstMatch(in: line)?.groups[1] { fields["rank"] = String(r) }
            return FailureRecognition(
                kind: rule.kind, confidence: 1, fields: fields, summary: summary(rule.kind, fields))
        }
        return nil
    }

    static func bytes(_ amount: String, _ unit: String) -> Int64? {
        guard let v = Double(amount) else { return nil }
        let scale: Double
        switch unit {
        case "KiB": scale = 1024
        case "MiB": scale = 1024 * 1024
        case "GiB": scale = 1024 * 1024 * 1024
        case "TiB": scale = 1024 * 1024 * 1024 * 1024
        case "KB": scale = 1e3
        case "MB": scale = 1e6
        case "GB": scale = 1e9
        case "TB": scale = 1e12
        default: return nil
        }
        return Int64((v * scale).rounded())
    }

    /// The plain-language summary of `count` occurrences, the first at `since` (Unix ms; shown as UTC HH:MM).
    public func summary(_ kind: FailureKind, _ f: [String: String], count: Int, since: Int64?) -> String {
        var s = summary(kind, f)
        if count > 1 { s += ", \(count) times" }
        if let t = since {
            let minutes = (t / 60_000) % 1440
            let hh = minutes / 60
            let mm = minutes % 60
            s += (count > 1 ? " since " : " at ") + (hh < 10 ? "0" : "") + "\(hh):" + (mm < 10 ? "0" : "") + "\(mm)"
        }
        return s
    }

    func summary(_ kind: FailureKind, _ f: [String: String]) -> String {
        let on = f["host"].map { " on \($0)" } ?? ""
        if kind == .gpuXid {
            guard f["xid"] != nil else { return "GPU\(on) reported an Xid error" }
            let code = Int(f["xid"] ?? "") ?? -1
            let meaning = FailureKind.xidMeaning(code).map { ", \($0)" } ?? ""
            return "GPU at PCI \(f["pci_bus_id"] ?? "?")\(on) reported Xid \(code)\(meaning)"
        }
        return baseSummary(kind, f) + on
    }

    private func baseSummary(_ kind: FailureKind, _ f: [String: String]) -> String {
        switch kind {
        case .gpuXid: return "GPU reported an Xid error"
        case .gpuECC: return "GPU reported an uncorrectable ECC error"
        case .cudaOOM:
            let gpu = f["gpu"].map { "GPU \($0)" } ?? "a GPU"
            let req = f["bytes_requested"].map { " allocating \($0) bytes" } ?? ""
            return "CUDA ran out of memory on \(gpu)\(req)"
        case .ncclTimeout:
            let rank = f["rank"].map { " on rank \($0)" } ?? ""
            return "NCCL collective failed or timed out\(rank)"
        case .nonFiniteLoss: return "training loss became NaN or Inf"
        case .oomKill: return "kernel OOM killer killed \(f["process"] ?? "a process") (pid \(f["pid"] ?? "?"))"
        case .segfault: return "\(f["process"] ?? "a process") crashed with a segmentation fault"
        case .diskFull: return "no space left on device" + (f["path"].map { " writing \($0)" } ?? "")
        case .networkUnreachable: return "network or host unreachable"
        case .permissionDenied: return "permission denied"
        case .checkpointWriteFailed: return "checkpoint write failed"
        case .preemption: return "job or node was preempted"
        }
    }
}
