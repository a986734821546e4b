/// A random-forest classifier (bootstrap samples, a random feature subset per split, Gini impurity), pure Swift and
/// reproducible from a seed.
public struct RandomForestClassifier: Sendable {
    private struct Node: Sendable {
        var feature: Int32
        var threshold: Double
        var left: Int32
        var right: Int32
        var distribution: [Double]
    }

    private var trees: [[Node]] = []
    /// Number of classes (labels are 0..<classes).
    public let classes: Int
    /// Number of trees.
    public let treeCount: Int
    /// Deepest split level.
    public let maxDepth: Int
    /// The seed.
    public let seed: UInt64

    /// An untrained forest over `classes` labels.
    public init(classes: Int, trees: Int = 50, maxDepth: Int = 10, seed: UInt64 = 7) {
        self.classes = max(1, classes)
        treeCount = max(1, trees)
        self.maxDepth = maxDepth
        self.seed = seed
    }

    /// Trains on feature rows `x` with labels `y`.
    public mutating func fit(_ x: [[Double]], _ y: [Int]) {
        trees = []
        guard !x.isEmpty, x.count == y.count else { return }
        var rng = SplitMix64(seed: seed)
        let width = x[0].count
        let tries = max(1, Int(Double(width).squareRoot().rounded()))
        for _ in 0..<treeCount {
            let sample = (0..<x.count).map { _ in Int(rng.next() % UInt64(x.count)) }
            var nodes: [Node] = []
            grow(x, y, sample, depth: 0, width: width, tries: tries, nodes: &nodes, rng: &rng)
            trees.append(nodes)
        }
    }

    private func distribution(_ y: [Int], _ members: [Int]) -> [Double] {
        var d = [Double](repeating: 0, count: classes)
        for m in members { d[y[m]] += 1 }
        let n = Double(max(1, members.count))
        return d.map { $0 / n }
    }

    private static func gini(_ counts: [Double], _ n: Double) -> Double {
        if n == 0 { return 0 }
        return 1 - counts.reduce(0) { $0 + ($1 / n) * ($1 / n) }
    }

    @discardableResult
    private func grow(_ x: [[Double]], _ y: [Int], _ members: [Int], depth: Int, width: Int, tries: Int,
                      nodes: inout [Node], rng: inout SplitMix64) -> Int32 {
        let id = Int32(nodes.count)
        let dist = distribution(y, members)
        nodes.append(Node(feature: -1, threshold: 0, left: -1, right: -1, distribution: dist))
        if depth >= maxDepth || members.count < 4 || dist.contains(where: { $0 == 1 }) { return id }
        var best: (feature: Int, threshold: Double, impurity: Double)?
        for _ in 0..<tries {
            let f = Int(rng.next() % UInt64(width))
            let sorted = members.sorted { x[$0][f] < x[$1][f] }
            var leftCounts = [Double](repeating: 0, count: classes)
            var rightCounts = [Double](repeating: 0, count: classes)
            for m in sorted { rightCounts[y[m]] += 1 }
            let n = Double(sorted.count)
            for i in 0..<(sorted.count - 1) {
                leftCounts[y[sorted[i]]] += 1
                rightCounts[y[sorted[i]]] -= 1
                let a = x[sorted[i]][f]
                let b = x[sorted[i + 1]][f]
                if a == b { continue }
                let nl = Double(i + 1)
                let impurity = (nl * RandomForestClassifier.gini(leftCounts, nl)
                    + (n - nl) * RandomForestClassifier.gini(rightCounts, n - nl)) / n
                if best == nil || impurity < best!.impurity { best = (f, (a + b) / 2, impurity) }
            }
        }
        guard let split = best else { return id }
        let left = members.filter { x[$0][split.feature] < split.threshold }
        let right = members.filter { x[$0][split.feature] >= split.threshold }
        if left.isEmpty || right.isEmpty { return id }
        let l = grow(x, y, left, depth: depth + 1, width: width, tries: tries, nodes: &nodes, rng: &rng)
        let r = grow(x, y, right, depth: depth + 1, width: width, tries: tries, nodes: &nodes, rng: &rng)
        nodes[Int(id)].feature = Int32(split.feature)
        nodes[Int(id)].threshold = split.threshold
        nodes[Int(id)].left = l
        nodes[Int(id)].right = r
        return id
    }

    /// The averaged class probabilities for `row` (uniform before training).
    public func probabilities(_ row: [Double]) -> [Double] {
        guard !trees.isEmpty else { return [Double](repeating: 1 / Double(classes), count: classes) }
        var total = [Double](repeating: 0, count: classes)
        for nodes in trees {
            var i = 0
            while nodes[i].feature >= 0 {
                i = Int(row[Int(nodes[i].feature)] < nodes[i].threshold ? nodes[i].left : nodes[i].right)
            }
            for c in 0..<classes { total[c] += nodes[i].distribution[c] }
        }
        return total.map { $0 / Double(trees.count) }
    }

    /// The most probable class and its probability.
    public func predict(_ row: [Double]) -> (label: Int, probability: Double) {
        let p = probabilities(row)
        var best = 0
        for c in 1..<classes where p[c] > p[best] { best = c }
        return (best, p[best])
    }
}
