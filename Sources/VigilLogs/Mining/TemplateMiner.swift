/// An online, Drain-like log template miner over bytes.
///
/// Lines are normalised by `LogTokenizer` (trim, split on whitespace, mask variables), then routed by token
/// count and their first token to a leaf of clusters. A line joins the most similar cluster of its leaf
/// when at least `similarity` of its positions agree (a position whose tokens share delimiter shape, such as
/// `user=root` and `user=bob`, counts half, and more than half must agree exactly); the cluster's template
/// then generalises position by position.
/// When a template generalises into another cluster's template of the same leaf, the two merge into the
/// older one. Template ids are the 1-based creation numbers of surviving clusters, so they are stable for a
/// given input order and across `encoded()`/`init(decoding:)`.
///
/// Reference: He et al., "Drain: An Online Log Parsing Approach with Fixed Depth Tree", ICWS 2017.
public struct TemplateMiner: Sendable {
    /// The tokenizer shared by learning and matching.
    public let tokenizer: LogTokenizer
    /// The share of agreeing positions (0...1) a line needs to join a cluster.
    public let similarity: Double

    var table = TokenTable()
    var clusterTokens: [[Int32]] = []
    var sizes: [Int] = []
    /// The cluster each merged cluster went into, or -1 while it is alive.
    var mergedInto: [Int32] = []
    var leaves: [LeafKey: [Int32]] = [:]
    /// The leaf each cluster was created in.
    var clusterKeys: [LeafKey] = []
    private var scratch: [UInt8] = []
    private var lineTokens: [Int32] = []
    private let thresholdPermille: Int

    struct LeafKey: Hashable {
        var count: Int32
        var first: Int32
        var second: Int32
    }

    /// Creates an empty miner.
    public init(masking: LogMasking = .all, similarity: Double = 0.7) {
        tokenizer = LogTokenizer(masking: masking)
        self.similarity = similarity
        thresholdPermille = Int((similarity * 1000).rounded())
    }

    /// The number of live templates.
    public var templateCount: Int { mergedInto.count(where: { $0 < 0 }) }

    /// Learns one line and returns its cluster number (resolve it with `templateID(ofCluster:)` later:
    /// clusters may merge as the miner learns).
    /// - Complexity: O(n + k·t) for a line of n bytes and t tokens in a leaf of k clusters.
    @discardableResult
    public mutating func learn(_ line: UnsafeBufferPointer<UInt8>) -> Int {
        lineTokens.removeAll(keepingCapacity: true)
        tokenizer.forEachToken(line, scratch: &scratch) { lineTokens.append(table.intern($0)) }
        let key = leafKey(lineTokens)
        let candidates = leaves[key] ?? []
        guard let best = bestCluster(candidates, lineTokens, variablesMatch: false) else {
            let id = Int32(clusterTokens.count)
            clusterTokens.append(lineTokens)
            sizes.append(1)
            mergedInto.append(-1)
            clusterKeys.append(key)
            leaves[key, default: []].append(id)
            return Int(id)
        }
        sizes[Int(best)] += 1
        var changed = false
        var template = clusterTokens[Int(best)]
        for i in 0..<template.count where template[i] != lineTokens[i] {
            let merged = table.merge(template[i], lineTokens[i])
            if merged != template[i] {
                template[i] = merged
                changed = true
            }
        }
        guard changed else { return Int(best) }
        clusterTokens[Int(best)] = template
        return Int(absorbTwins(of: best, in: key))
    }

    /// Learns one line given as bytes.
    @discardableResult
    public mutating func learn(_ line: [UInt8]) -> Int {
        line.withUnsafeBufferPointer { learn($0) }
    }

    /// Learns one line given as a string.
    @discardableResult
    public mutating func learn(_ line: String) -> Int {
        var s = line
        return s.withUTF8 { learn($0) }
    }

    /// Finds the cluster a line belongs to without learning (the same normalisation as `learn`, case C15).
    public func match(_ line: String) -> LogTemplateMatch? {
        var scratch: [UInt8] = []
        var ids: [Int32] = []
        var raw: [String] = []
        let bytes = Array(line.utf8)
        bytes.withUnsafeBufferPointer { buf in
            tokenizer.forEachToken(buf, scratch: &scratch) { tok in
                ids.append(table.lookup(tok) ?? -2)
            }
        }
        for part in bytes.split(whereSeparator: LogTokenizer.isSpace) {
            raw.append(String(decoding: part, as: UTF8.self))
        }
        guard let candidates = leaves[leafKey(ids)],
            let found = bestCluster(candidates, ids, variablesMatch: true)
        else { return nil }
        let cluster = resolve(found)
        var parameters: [String] = []
        for (i, t) in clusterTokens[Int(cluster)].enumerated() where table.hasVariable[Int(t)] && i < raw.count {
            parameters.append(raw[i])
        }
        return LogTemplateMatch(templateID: String(cluster + 1), template: render(cluster), parameters: parameters)
    }

    /// The cluster a (possibly merged) cluster number now lives in.
    func resolve(_ cluster: Int32) -> Int32 {
        var c = cluster
        while mergedInto[Int(c)] >= 0 { c = mergedInto[Int(c)] }
        return c
    }

    /// The stable id of the template a cluster number belongs to now.
    public func templateID(ofCluster cluster: Int) -> String { String(resolve(Int32(cluster)) + 1) }

    /// The current template text of a cluster number (`<*>` for variables, tokens joined by one space).
    public func template(ofCluster cluster: Int) -> String { render(resolve(Int32(cluster))) }

    /// The number of lines learned into the template a cluster number belongs to.
    public func size(ofCluster cluster: Int) -> Int { sizes[Int(resolve(Int32(cluster)))] }

    /// All live templates in creation order.
    public var templates: [LogTemplate] {
        (0..<clusterTokens.count).compactMap { i in
            mergedInto[i] >= 0 ? nil : LogTemplate(id: String(i + 1), template: render(Int32(i)), count: sizes[i])
        }
    }

    func render(_ cluster: Int32) -> String {
        var out: [UInt8] = []
        for (i, t) in clusterTokens[Int(cluster)].enumerated() {
            if i > 0 { out.append(0x20) }
            for c in table.bytes(t) {
                if c == logVariableByte { out.append(contentsOf: "<*>".utf8) } else { out.append(c) }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func firstKey(_ tokens: [Int32], _ i: Int) -> Int32 {
        guard i < tokens.count else { return -1 }
        let t = tokens[i]
        if t < 0 { return -2 }
        return table.isVariableLike[Int(t)] ? TokenTable.variable : t
    }

    private func leafKey(_ tokens: [Int32]) -> LeafKey {
        // Keyed on the first token only, as drain3's default depth does: keying on the second token too
        // scores higher on Loghub but keeps `user alice …` and `user bob …` apart (case C15).
        LeafKey(count: Int32(tokens.count), first: firstKey(tokens, 0), second: -1)
    }

    /// The most similar cluster meeting the threshold (the first on ties), scored in half points.
    private func bestCluster(_ candidates: [Int32], _ tokens: [Int32], variablesMatch: Bool) -> Int32? {
        let n = tokens.count
        let need = 2 * thresholdPermille * n
        var best: Int32?
        var bestScore = -1
        for c in candidates {
            var score = 0
            var exact = 0
            clusterTokens[Int(c)].withUnsafeBufferPointer { t in
                for i in 0..<n {
                    let a = t[i]
                    let b = tokens[i]
                    if a == b || (variablesMatch && a == TokenTable.variable) {
                        score += 2
                        exact += 1
                    } else if b >= 0 && table.partiallyMatches(a, b) {
                        score += 1
                    }
                }
            }
            // Half points alone must not carry a line: more than half of its tokens must agree exactly.
            if score * 1000 >= need && (n == 0 || exact * 2 > n) && score > bestScore {
                best = c
                bestScore = score
            }
        }
        return best
    }

    /// Merges any other cluster of the leaf whose template equals `cluster`'s into the older of the two.
    private mutating func absorbTwins(of cluster: Int32, in key: LeafKey) -> Int32 {
        guard var members = leaves[key] else { return cluster }
        var survivor = cluster
        for other in members where other != survivor && clusterTokens[Int(other)] == clusterTokens[Int(survivor)] {
            let keep = min(other, survivor)
            let drop = max(other, survivor)
            sizes[Int(keep)] += sizes[Int(drop)]
            mergedInto[Int(drop)] = keep
            survivor = keep
        }
        members.removeAll { mergedInto[Int($0)] >= 0 }
        leaves[key] = members
        return survivor
    }
}

/// A live template and how many lines it holds.
public struct LogTemplate: Sendable, Hashable {
    /// The stable template id.
    public var id: String
    /// The template text with `<*>` for variables.
    public var template: String
    /// Lines learned into it.
    public var count: Int

    /// Creates a template record.
    public init(id: String, template: String, count: Int) {
        self.id = id
        self.template = template
        self.count = count
    }
}

/// The result of matching a line against learned templates.
public struct LogTemplateMatch: Sendable, Hashable {
    /// The matched template's id.
    public var templateID: String
    /// The matched template's text.
    public var template: String
    /// The line's raw tokens at the template's variable positions.
    public var parameters: [String]
}
