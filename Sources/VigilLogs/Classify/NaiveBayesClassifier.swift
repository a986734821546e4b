import Foundation

/// A multinomial naive Bayes text classifier over TF-IDF-weighted word and word-pair features.
///
/// Lines are lower-cased and cut into words of letters (digits and punctuation separate words and are dropped,
/// so ids and numbers do not matter); features are the words and adjacent word pairs. Training weights each
/// feature count by its inverse document frequency; classification returns the class posterior.
/// Reference: Rennie et al., "Tackling the Poor Assumptions of Naive Bayes Text Classifiers", ICML 2003.
struct NaiveBayesClassifier: Sendable {
    let classes: [String]
    private var logPrior: [Double]
    private var logLikelihood: [[String: Double]]
    private var logUnseen: [Double]
    private var idf: [String: Double]

    /// Trains on labelled lines with Laplace smoothing `alpha`.
    init(examples: [(label: String, line: String)], alpha: Double = 0.1) {
        let labels = Array(Set(examples.map(\.label))).sorted()
        classes = labels
        let docs = examples.map { Self.features($0.line) }
        var df: [String: Int] = [:]
        for d in docs { for f in Set(d) { df[f, default: 0] += 1 } }
        let n = Double(docs.count)
        idf = df.mapValues { log((1 + n) / (1 + Double($0))) + 1 }
        let vocabulary = Double(df.count)
        var prior: [Double] = []
        var likelihood: [[String: Double]] = []
        var unseen: [Double] = []
        for label in labels {
            var weights: [String: Double] = [:]
            var docsInClass = 0
            for (i, e) in examples.enumerated() where e.label == label {
                docsInClass += 1
                for f in docs[i] { weights[f, default: 0] += idf[f] ?? 1 }
            }
            let total = weights.values.reduce(0, +) + alpha * vocabulary
            prior.append(log(Double(docsInClass) / n))
            likelihood.append(weights.mapValues { log(($0 + alpha) / total) })
            unseen.append(log(alpha / total))
        }
        logPrior = prior
        logLikelihood = likelihood
        logUnseen = unseen
    }

    /// Words of letters, lower-cased, and adjacent pairs.
    static func features(_ line: String) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        for c in line.utf8 {
            let lower = c | 0x20
            if lower >= 0x61 && lower <= 0x7A && (c >= 0x41) {
                current.append(lower)
            } else if !current.isEmpty {
                if current.count > 1 { words.append(String(decoding: current, as: UTF8.self)) }
                current.removeAll(keepingCapacity: true)
            }
        }
        if current.count > 1 { words.append(String(decoding: current, as: UTF8.self)) }
        var out = words
        if words.count > 1 { for i in 1..<words.count { out.append(words[i - 1] + " " + words[i]) } }
        return out
    }

    /// The most probable class and its posterior probability; features never seen in training are ignored and
    /// a line with fewer than `minimumFeatures` known ones gets probability 0.
    func classify(_ line: String, minimumFeatures: Int = 2) -> (label: String, probability: Double) {
        let fs = Self.features(line).filter { idf[$0] != nil }
        guard fs.count >= minimumFeatures else { return (classes.first ?? "", 0) }
        var scores = logPrior
        for k in 0..<classes.count {
            for f in fs { scores[k] += logLikelihood[k][f] ?? logUnseen[k] }
        }
        let best = scores.indices.max { scores[$0] < scores[$1] } ?? 0
        let sum = scores.reduce(0) { $0 + exp($1 - scores[best]) }
        return (classes[best], 1 / sum)
    }
}
