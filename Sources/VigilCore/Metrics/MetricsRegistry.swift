import Foundation

/// Vigil's own metrics (`vigil_*`), rendered in the Prometheus text format at `/metrics`.
///
/// Counters and gauges are keyed by name and label set; gauges may also be computed on each render.
public final class MetricsRegistry: @unchecked Sendable {
    public enum Kind: String, Sendable { case counter, gauge }

    private struct Family {
        var kind: Kind
        var help: String
        var values: [Labels: Double] = [:]
        var callbacks: [@Sendable () -> [(Labels, Double)]] = []
    }

    private let lock = NSLock()
    private var families: [String: Family] = [:]

    public init() {}

    /// Declares a metric family (idempotent).
    public func register(_ name: String, _ kind: Kind, help: String) {
        lock.withLock {
            if families[name] == nil { families[name] = Family(kind: kind, help: help) }
        }
    }

    /// Adds `delta` to a counter (declaring it as a counter when new).
    public func add(_ name: String, _ labels: Labels = Labels(), _ delta: Double = 1, help: String = "") {
        lock.withLock {
            if families[name] == nil { families[name] = Family(kind: .counter, help: help) }
            families[name]!.values[labels, default: 0] += delta
        }
    }

    /// Sets a gauge.
    public func set(_ name: String, _ labels: Labels = Labels(), _ value: Double, help: String = "") {
        lock.withLock {
            if families[name] == nil { families[name] = Family(kind: .gauge, help: help) }
            families[name]!.values[labels] = value
        }
    }

    /// Removes one labelled child of a family.
    public func remove(_ name: String, _ labels: Labels) {
        lock.withLock { _ = families[name]?.values.removeValue(forKey: labels) }
    }

    /// Registers a family whose samples are computed at render time.
    public func collect(_ name: String, _ kind: Kind, help: String,
                        _ body: @escaping @Sendable () -> [(Labels, Double)]) {
        lock.withLock {
            if families[name] == nil { families[name] = Family(kind: kind, help: help) }
            families[name]!.callbacks.append(body)
        }
    }

    /// The current value of one child, if present (for tests).
    public func value(_ name: String, _ labels: Labels = Labels()) -> Double? {
        lock.withLock { families[name]?.values[labels] }
    }

    /// All samples, in the Prometheus text format 0.0.4.
    public func render() -> String {
        let snapshot = lock.withLock { families }
        var out = ""
        for name in snapshot.keys.sorted() {
            let f = snapshot[name]!
            var samples = f.values.map { ($0.key, $0.value) }
            for cb in f.callbacks { samples.append(contentsOf: cb()) }
            samples.sort { $0.0 < $1.0 }
            let help = f.help.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
            out += "# HELP \(name) \(help)\n"
            out += "# TYPE \(name) \(f.kind.rawValue)\n"
            for (labels, v) in samples {
                out += name
                if !labels.isEmpty {
                    let pairs = labels.pairs.map { "\($0.name)=\"\(Labels.escape($0.value))\"" }
                    out += "{" + pairs.joined(separator: ",") + "}"
                }
                out += " " + JSON.promValue(v) + "\n"
            }
        }
        return out
    }
}
