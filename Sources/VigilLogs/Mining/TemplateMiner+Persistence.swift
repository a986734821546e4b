/// Saving and restoring a miner's templates (kept in the data dir so ids survive restarts).
///
/// Format, one record per line after the header line `vigil-templates 1`:
/// `cluster<TAB>size<TAB>merged-into (-1 when live)<TAB>leaf count<TAB>leaf first token<TAB>tokens`, with tokens
/// separated by one space and the variable written as the byte 0x00 (tokens never hold whitespace).
extension TemplateMiner {
    private static let magic = Array("vigil-templates 1\n".utf8)

    /// The miner's clusters in the persistence format.
    public func encoded() -> [UInt8] {
        var out = Self.magic
        for i in 0..<clusterTokens.count {
            let key = clusterKeys[i]
            out.append(contentsOf: "\(i)\t\(sizes[i])\t\(mergedInto[i])\t\(key.count)\t".utf8)
            if key.first >= 0 { out.append(contentsOf: table.bytes(key.first)) } else { out.append(0x2D) }
            out.append(0x09)
            for (k, t) in clusterTokens[i].enumerated() {
                if k > 0 { out.append(0x20) }
                out.append(contentsOf: table.bytes(t))
            }
            out.append(0x0A)
        }
        return out
    }

    /// Restores a miner from `encoded()` output.
    public init(decoding bytes: [UInt8], masking: LogMasking = .all, similarity: Double = 0.7) throws(LogsError) {
        self.init(masking: masking, similarity: similarity)
        guard bytes.starts(with: Self.magic) else { throw .badTemplateState(line: 1, reason: "missing header") }
        let lines = bytes[Self.magic.count...].split(separator: 0x0A, omittingEmptySubsequences: false)
        for (n, line) in lines.enumerated() where !line.isEmpty {
            let f = line.split(separator: 0x09, maxSplits: 5, omittingEmptySubsequences: false)
            guard f.count == 6, let idx = Int(String(decoding: f[0], as: UTF8.self)), idx == clusterTokens.count,
                let size = Int(String(decoding: f[1], as: UTF8.self)),
                let merged = Int32(String(decoding: f[2], as: UTF8.self)), merged < Int32(idx),
                let count = Int32(String(decoding: f[3], as: UTF8.self))
            else { throw .badTemplateState(line: n + 2, reason: "bad record") }
            let first: Int32 = f[4].elementsEqual([0x2D]) ? -1 : table.intern(Array(f[4]))
            let tokens = f[5].isEmpty
                ? [] : f[5].split(separator: 0x20, omittingEmptySubsequences: false).map { table.intern(Array($0)) }
            guard tokens.count == Int(count) else { throw .badTemplateState(line: n + 2, reason: "token count") }
            let key = LeafKey(count: count, first: first, second: -1)
            clusterTokens.append(tokens)
            sizes.append(size)
            mergedInto.append(merged)
            clusterKeys.append(key)
            if merged < 0 { leaves[key, default: []].append(Int32(idx)) }
        }
    }
}
