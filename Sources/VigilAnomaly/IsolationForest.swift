#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An isolation forest (Liu, Ting and Zhou 2008) over vectors of related series, e.g. all metrics of one host at one
/// instant. Scores are 2^(-E[h(x)] / c(n)) in (0, 1]: about 0.5 for ordinary points, near 1 for isolated ones.
public struct IsolationForest: Sendable {
    private struct Node: Sendable {
        var feature: Int32
        var split: Double
        var left: Int32
        var right: Int32
        var size: Int32
    }

    private var trees: [[Node]] = []
    private var sampleSize = 0
    /// Number of trees.
    public let treeCount: Int
    /// Rows drawn per tree.
    public let maxSamples: Int
    /// The seed that makes training reproducible.
    public let seed: UInt64

    /// An untrained forest.
    public init(trees: Int = 100, maxSamples: Int = 256, seed: UInt64 = 42) {
        treeCount = max(1, trees)
        self.maxSamples = max(2, maxSamples)
        self.seed = seed
    }

    /// Trains on `rows` (all of the same width; non-finite entries are treated as 0).
    public mutating func fit(_ rows: [[Double]]) {
        trees = []
        guard let width = rows.first?.count, width > 0, rows.count >= 2 else { return }
        var rng = SplitMix64(seed: seed)
        sampleSize = min(maxSamples, rows.count)
        let depthLimit = Int(ceil(log2(Double(sampleSize))))
        for _ in 0..<treeCount {
            var index = Array(0..<rows.count)
            index.shuffle(using: &rng)
            var nodes: [Node] = []
            build(rows, Array(index.prefix(sampleSize)), width: width, depth: 0, limit: depthLimit, nodes: &nodes,
                  rng: &rng)
            trees.append(nodes)
        }
    }

    @discardableResult
    private func build(_ rows: [[Double]], _ members: [Int], width: Int, depth: Int, limit: Int, nodes: inout [Node],
                       rng: inout SplitMix64) -> Int32 {
        let id = Int32(nodes.count)
        nodes.append(Node(feature: -1, split: 0, left: -1, right: -1, size: Int32(members.count)))
        if members.count <= 1 || depth >= limit { return id }
        // Pick a feature that varies among the members, then a uniform split inside its range.
        for _ in 0..<width {
            let f = Int(rng.next() % UInt64(width))
            var lo = Double.infinity
            var hi = -Double.infinity
            for m in members {
                let v = IsolationForest.clean(rows[m][f])
                lo = min(lo, v)
                hi = max(hi, v)
            }
            if hi <= lo { continue }
            let split = lo + (hi - lo) * (Double(rng.next() >> 11) / Double(1 << 53))
            let left = members.filter { IsolationForest.clean(rows[$0][f]) < split }
            let right = members.filter { IsolationForest.clean(rows[$0][f]) >= split }
            let l = build(rows, left, width: width, depth: depth + 1, limit: limit, nodes: &nodes, rng: &rng)
            let r = build(rows, right, width: width, depth: depth + 1, limit: limit, nodes: &nodes, rng: &rng)
            nodes[Int(id)] = Node(feature: Int32(f), split: split, left: l, right: r, size: Int32(members.count))
            return id
        }
        return id
    }

    private static func clean(_ v: Double) -> Double { v.isFinite ? v : 0 }

    /// The expected path length of an unsuccessful search in a binary search tree of `n` nodes.
    static func averagePath(_ n: Int) -> Double {
        if n <= 1 { return 0 }
        if n == 2 { return 1 }
        let harmonic = log(Double(n - 1)) + 0.5772156649
        return 2 * harmonic - 2 * Double(n - 1) / Double(n)
    }

    /// The anomaly score of `row` in (0, 1]; 0.5 before training.
    public func score(_ row: [Double]) -> Double {
        guard !trees.isEmpty else { return 0.5 }
        var total = 0.0
        for nodes in trees {
            var i = 0
            var depth = 0.0
            while nodes[i].feature >= 0 {
                let n = nodes[i]
                i = Int(IsolationForest.clean(row[Int(n.feature)]) < n.split ? n.left : n.right)
                depth += 1
            }
            total += depth + IsolationForest.averagePath(Int(nodes[i].size))
        }
        let mean = total / Double(trees.count)
        return pow(2, -mean / IsolationForest.averagePath(sampleSize))
    }
}
