/// A label set, kept sorted by name with unique names and no empty values.
///
/// Empty values are dropped on construction because Prometheus treats an empty label value as an absent label.
public struct Labels: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The labels, sorted by name.
    public private(set) var pairs: [Label]

    /// An empty label set.
    public init() { pairs = [] }

    /// Builds a set from labels in any order; a later duplicate name wins, empty values are dropped.
    public init(_ labels: [Label]) {
        var sorted = labels.filter { !$0.value.isEmpty }
        sorted.sort { $0.name < $1.name }
        var out: [Label] = []
        out.reserveCapacity(sorted.count)
        for label in sorted {
            if let last = out.last, last.name == label.name {
                out[out.count - 1] = label
            } else {
                out.append(label)
            }
        }
        pairs = out
    }

    /// Builds a set from a dictionary.
    public init(_ dict: [String: String]) {
        self.init(dict.map { Label($0.key, $0.value) })
    }

    /// Wraps labels that are already sorted, unique and non-empty.
    public init(sortedUnchecked pairs: [Label]) { self.pairs = pairs }

    public var isEmpty: Bool { pairs.isEmpty }
    public var count: Int { pairs.count }

    /// The value of `name`, or "" when absent.
    public subscript(name: String) -> String {
        get { get(name) ?? "" }
        set { set(name, newValue) }
    }

    /// The value of `name`, or nil when absent.
    public func get(_ name: String) -> String? {
        var lo = 0
        var hi = pairs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let n = pairs[mid].name
            if n == name { return pairs[mid].value }
            if n < name { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }

    /// Sets `name` to `value`; an empty value removes the label.
    public mutating func set(_ name: String, _ value: String) {
        var lo = 0
        var hi = pairs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if pairs[mid].name < name { lo = mid + 1 } else { hi = mid }
        }
        if lo < pairs.count && pairs[lo].name == name {
            if value.isEmpty { pairs.remove(at: lo) } else { pairs[lo].value = value }
        } else if !value.isEmpty {
            pairs.insert(Label(name, value), at: lo)
        }
    }

    /// Removes `name` if present.
    public mutating func remove(_ name: String) { set(name, "") }

    /// The metric name (`__name__`), or "".
    public var metricName: String { self.get(LabelName.metricName) ?? "" }

    /// A copy without `__name__`.
    public func droppingMetricName() -> Labels {
        Labels(sortedUnchecked: pairs.filter { $0.name != LabelName.metricName })
    }

    /// A copy keeping only `names`.
    public func keeping(_ names: Set<String>) -> Labels {
        Labels(sortedUnchecked: pairs.filter { names.contains($0.name) })
    }

    /// A copy without `names`.
    public func removing(_ names: Set<String>) -> Labels {
        Labels(sortedUnchecked: pairs.filter { !names.contains($0.name) })
    }

    /// The labels as a dictionary.
    public var dictionary: [String: String] {
        var d: [String: String] = [:]
        for p in pairs { d[p.name] = p.value }
        return d
    }

    /// Prometheus's text form: `name{a="b", c="d"}` with the metric name outside the braces.
    public var description: String {
        var out = ""
        let name = metricName
        out += name
        let rest = pairs.filter { $0.name != LabelName.metricName }
        if rest.isEmpty && !name.isEmpty { return out }
        out += "{"
        out += rest.map { "\($0.name)=\"\(Labels.escape($0.value))\"" }.joined(separator: ", ")
        out += "}"
        return out
    }

    /// Escapes `\`, `"` and newline as the text exposition format and PromQL strings do.
    public static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for ch in value.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    public static func < (lhs: Labels, rhs: Labels) -> Bool {
        let n = min(lhs.pairs.count, rhs.pairs.count)
        for i in 0..<n {
            let a = lhs.pairs[i]
            let b = rhs.pairs[i]
            if a.name != b.name { return a.name < b.name }
            if a.value != b.value { return a.value < b.value }
        }
        return lhs.pairs.count < rhs.pairs.count
    }
}

extension Labels: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements.map { Label($0.0, $0.1) })
    }
}

extension Labels {
    /// A stable 64-bit FNV-1a hash of the label set, as used for fingerprints.
    public var fingerprint: UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for p in pairs {
            for b in p.name.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            h = (h ^ 0xff) &* 0x100_0000_01b3
            for b in p.value.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            h = (h ^ 0xff) &* 0x100_0000_01b3
        }
        return h
    }
}
