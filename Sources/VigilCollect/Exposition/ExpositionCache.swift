#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import VigilCore

/// Remembers the series of one target's previous scrapes by their exact bytes (`name{labels}`), so a repeated
/// series skips label parsing and String allocation, as Prometheus's scrape cache does.
///
/// Use one cache per target and one parse at a time. Entries not seen for a while are dropped.
public final class ExpositionCache: @unchecked Sendable {
    struct Entry {
        var hash: UInt64
        var start: Int
        var count: Int
        var name: String
        var labels: Labels
        var generation: UInt32
        /// The `le`/`quantile` normalisation the labels got, or nil when they hold neither label.
        var normalization: (le: Bool, quantile: Bool)?
        /// For a metadata line: its kind and text (the HELP text or the TYPE word); `.none` for a series.
        var meta: MetaKind = .none
        var text = ""
    }

    /// What a cached line is.
    enum MetaKind { case none, help, type }

    private var slots: [Int32]
    private var entries: [Entry] = []
    private var arena: [UInt8] = []
    private var generation: UInt32 = 0
    private var touched = 0

    /// Makes an empty cache.
    public init() {
        slots = Array(repeating: -1, count: 1024)
    }

    /// How many series the cache holds.
    public var count: Int { entries.count }

    /// Starts a parse: entries unused in the previous parse are dropped once they outnumber the used ones.
    func beginParse() {
        if entries.count > 256 && entries.count > 2 * touched { compact() }
        generation &+= 1
        touched = 0
    }

    /// A hash of `p[s..<e]`, eight bytes at a time.
    /// - Complexity: O(e - s).
    @inline(__always)
    static func hash(_ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(e - s)
        var k = s
        let raw = UnsafeRawPointer(p.baseAddress!)
        while k + 8 <= e {
            let w = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)
            h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 29
            k += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while k < e {
            tail |= UInt64(p[k]) << shift
            shift += 8
            k += 1
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 32)
    }

    /// The entry for the bytes `p[s..<e]` with `hash`, marking it used.
    @inline(__always)
    func lookup(_ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, hash: UInt64) -> Entry? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { return nil }
            let entry = entries[index]
            if entry.hash == hash && entry.count == e - s {
                let same = arena.withUnsafeBufferPointer { a in
                    memcmp(a.baseAddress! + entry.start, p.baseAddress! + s, e - s) == 0
                }
                if same {
                    if entry.generation != generation {
                        entries[index].generation = generation
                        touched += 1
                    }
                    return entry
                }
            }
            slot = (slot + 1) & mask
        }
    }

    /// Remembers (or replaces) the series parsed from `p[s..<e]`.
    func insert(_ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, hash: UInt64, name: String, labels: Labels,
                normalization: (le: Bool, quantile: Bool)?, meta: MetaKind = .none, text: String = "") {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 {
            let index = Int(slots[slot])
            let old = entries[index]
            if old.hash == hash && old.count == e - s {
                let same = arena.withUnsafeBufferPointer { a in
                    memcmp(a.baseAddress! + old.start, p.baseAddress! + s, e - s) == 0
                }
                if same {
                    entries[index].labels = labels
                    entries[index].name = name
                    entries[index].normalization = normalization
                    entries[index].meta = meta
                    entries[index].text = text
                    return
                }
            }
            slot = (slot + 1) & mask
        }
        let start = arena.count
        arena.append(contentsOf: UnsafeBufferPointer(rebasing: p[s..<e]))
        entries.append(Entry(hash: hash, start: start, count: e - s, name: name, labels: labels,
                             generation: generation, normalization: normalization, meta: meta, text: text))
        touched += 1
        slots[slot] = Int32(entries.count - 1)
        if entries.count * 2 > slots.count { rehash(capacity: slots.count * 2) }
    }

    private func rehash(capacity: Int) {
        slots = Array(repeating: -1, count: capacity)
        let mask = capacity - 1
        for (index, e) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: e.hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }

    /// Keeps only the entries used in the last parse.
    private func compact() {
        var kept: [Entry] = []
        var newArena: [UInt8] = []
        kept.reserveCapacity(touched)
        for var e in entries where e.generation == generation {
            let start = newArena.count
            newArena.append(contentsOf: arena[e.start..<(e.start + e.count)])
            e.start = start
            kept.append(e)
        }
        entries = kept
        arena = newArena
        var capacity = 1024
        while capacity < entries.count * 2 { capacity *= 2 }
        rehash(capacity: capacity)
    }
}
