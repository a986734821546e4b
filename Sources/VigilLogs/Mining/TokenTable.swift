/// Interns masked tokens into dense ids, storing their bytes in one arena.
///
/// Id 0 is always the lone variable token `<*>`. For each token the table keeps whether it holds a variable
/// and its *shape* (the sequence of strong delimiters), which decides partial matches and merges.
struct TokenTable {
    private(set) var arena: [UInt8] = []
    private(set) var starts: [Int32] = []
    private(set) var ends: [Int32] = []
    private(set) var hasVariable: [Bool] = []
    /// True when the token holds a variable or a digit (such tokens do not key a leaf, as in Drain).
    private(set) var isVariableLike: [Bool] = []
    /// The id of the token's shape, or -1 when it has no strong delimiter.
    private(set) var shape: [Int32] = []
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var shapes: [[UInt8]: Int32] = [:]

    init() {
        slots = Array(repeating: -1, count: 1024)
        let v = [logVariableByte]
        _ = v.withUnsafeBufferPointer { intern($0) }
    }

    var count: Int { starts.count }

    /// The variable token's id.
    static let variable: Int32 = 0

    /// The bytes of token `id`.
    func bytes(_ id: Int32) -> ArraySlice<UInt8> {
        arena[Int(starts[Int(id)])..<Int(ends[Int(id)])]
    }

    @inline(__always) static func hash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for c in b {
            h ^= UInt64(c)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h ^ (h >> 29)
    }

    /// The id of `b`, adding it when new.
    /// - Complexity: O(n) in the token's length, amortised.
    mutating func intern(_ b: UnsafeBufferPointer<UInt8>) -> Int32 {
        let h = Self.hash(b)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let id = slots[i]
            if id < 0 { break }
            if hashes[Int(id)] == h && equals(id, b) { return id }
            i = (i + 1) & mask
        }
        let id = Int32(starts.count)
        starts.append(Int32(arena.count))
        arena.append(contentsOf: b)
        ends.append(Int32(arena.count))
        hashes.append(h)
        hasVariable.append(b.contains(logVariableByte))
        isVariableLike.append(b.contains { $0 == logVariableByte || ($0 >= 0x30 && $0 <= 0x39) })
        shape.append(shapeID(b))
        slots[i] = id
        if starts.count * 2 > slots.count { grow() }
        return id
    }

    /// The id of `bytes`, adding it when new.
    mutating func intern(_ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBufferPointer { intern($0) }
    }

    private func equals(_ id: Int32, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let s = Int(starts[Int(id)])
        let e = Int(ends[Int(id)])
        guard e - s == b.count else { return false }
        return arena.withUnsafeBufferPointer { a in
            for k in 0..<b.count where a[s + k] != b[k] { return false }
            return true
        }
    }

    private mutating func grow() {
        var bigger = [Int32](repeating: -1, count: slots.count * 2)
        let mask = bigger.count - 1
        for id in 0..<starts.count {
            var i = Int(truncatingIfNeeded: hashes[id]) & mask
            while bigger[i] >= 0 { i = (i + 1) & mask }
            bigger[i] = Int32(id)
        }
        slots = bigger
    }

    private mutating func shapeID(_ b: UnsafeBufferPointer<UInt8>) -> Int32 {
        var delimiters: [UInt8] = []
        for c in b where LogTokenizer.isStrong(c) { delimiters.append(c) }
        if delimiters.isEmpty { return -1 }
        if let id = shapes[delimiters] { return id }
        let id = Int32(shapes.count)
        shapes[delimiters] = id
        return id
    }

    /// True when two different tokens share a delimiter shape, so their merge keeps structure.
    @inline(__always) func partiallyMatches(_ a: Int32, _ b: Int32) -> Bool {
        let s = shape[Int(a)]
        return s >= 0 && s == shape[Int(b)]
    }

    /// The generalisation of two tokens: field-wise when their shapes agree, else the variable.
    mutating func merge(_ a: Int32, _ b: Int32) -> Int32 {
        if a == b { return a }
        guard partiallyMatches(a, b) else { return Self.variable }
        let x = Array(bytes(a))
        let y = Array(bytes(b))
        var out: [UInt8] = []
        var i = 0
        var j = 0
        while true {
            var ie = i
            while ie < x.count && !LogTokenizer.isStrong(x[ie]) { ie += 1 }
            var je = j
            while je < y.count && !LogTokenizer.isStrong(y[je]) { je += 1 }
            if x[i..<ie].elementsEqual(y[j..<je]) {
                out.append(contentsOf: x[i..<ie])
            } else {
                out.append(logVariableByte)
            }
            if ie >= x.count || je >= y.count { break }
            out.append(x[ie])
            i = ie + 1
            j = je + 1
        }
        LogTokenizer.collapseVariables(&out, from: 0)
        return intern(out)
    }
}

extension TokenTable {
    /// The id of `b` when already interned, else nil (matching never adds tokens).
    func lookup(_ b: UnsafeBufferPointer<UInt8>) -> Int32? {
        let h = Self.hash(b)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let id = slots[i]
            if id < 0 { return nil }
            if hashes[Int(id)] == h && equalsBytes(id, b) { return id }
            i = (i + 1) & mask
        }
    }

    private func equalsBytes(_ id: Int32, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let s = Int(starts[Int(id)])
        let e = Int(ends[Int(id)])
        guard e - s == b.count else { return false }
        return arena.withUnsafeBufferPointer { a in
            for k in 0..<b.count where a[s + k] != b[k] { return false }
            return true
        }
    }
}
