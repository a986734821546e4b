/// A bounded rolling window kept both in arrival order (a ring) and sorted, for rolling quantiles.
///
/// Each push finds positions by binary search (O(log n)) and shifts at most `capacity` Float32 values in place;
/// with the small windows used here that shift is a short memmove and nothing is allocated after `init`.
public struct SortedWindow: Sendable, Codable {
    private var ring: [Float]
    private var sorted: [Float]
    private var head = 0
    /// The number of values held (at most `capacity`).
    public private(set) var count = 0
    /// The most values held.
    public let capacity: Int

    /// An empty window holding at most `capacity` values (at least 4).
    public init(capacity: Int) {
        self.capacity = max(4, capacity)
        ring = [Float](repeating: 0, count: self.capacity)
        sorted = [Float](repeating: 0, count: self.capacity)
    }

    /// Appends `value`, evicting the oldest value when full.
    public mutating func push(_ value: Double) {
        let v = Float(value)
        if count == capacity {
            let old = ring[head]
            ring[head] = v
            head = (head + 1) % capacity
            replace(old, with: v)
        } else {
            ring[(head + count) % capacity] = v
            insert(v)
            count += 1
        }
    }

    /// Drops every value.
    public mutating func removeAll() {
        head = 0
        count = 0
    }

    /// The `q` quantile (0...1) with linear interpolation; NaN when empty.
    public func quantile(_ q: Double) -> Double {
        if count == 0 { return .nan }
        let pos = q * Double(count - 1)
        let lo = Int(pos)
        let hi = min(lo + 1, count - 1)
        let frac = pos - Double(lo)
        return Double(sorted[lo]) * (1 - frac) + Double(sorted[hi]) * frac
    }

    /// The most recent value, `back` steps ago (0 = newest).
    public func recent(_ back: Int) -> Double {
        Double(ring[(head + count - 1 - back + capacity) % capacity])
    }

    private func lowerBound(_ v: Float, _ n: Int) -> Int {
        var lo = 0
        var hi = n
        while lo < hi {
            let mid = (lo + hi) >> 1
            if sorted[mid] < v { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    private mutating func insert(_ v: Float) {
        let at = lowerBound(v, count)
        var i = count
        while i > at { sorted[i] = sorted[i - 1]; i -= 1 }
        sorted[at] = v
    }

    private mutating func replace(_ old: Float, with v: Float) {
        var at = lowerBound(old, count)
        if at >= count || sorted[at] != old { at = min(at, count - 1) }
        // Slide the hole at `at` toward where `v` belongs, keeping the array sorted.
        while at > 0 && sorted[at - 1] > v { sorted[at] = sorted[at - 1]; at -= 1 }
        while at < count - 1 && sorted[at + 1] < v { sorted[at] = sorted[at + 1]; at += 1 }
        sorted[at] = v
    }
}
