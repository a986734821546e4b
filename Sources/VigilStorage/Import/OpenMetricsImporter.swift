import Foundation
import VigilCollect
import VigilCore

/// What an import wrote.
public struct ImportReport: Sendable, Equatable {
    public var series = 0
    public var samples = 0
    public var blocks = 0
    /// Samples dropped because the same series had another value at the same time.
    public var duplicates = 0
}

/// Backfills OpenMetrics text (the input of `promtool tsdb create-blocks-from openmetrics`) into blocks.
///
/// The file is parsed in slices cut at line boundaries, so memory grows with the samples, not the text; samples
/// need explicit timestamps. Blocks are aligned to `blockSpan` and marked `origin: import`.
public enum OpenMetricsImporter {
    /// Imports `path` into the data directory `dataDirectory`; `progress` gets the fraction of bytes parsed.
    public static func importFile(_ path: String, dataDirectory: String, blockSpan: Int64 = 24 * 3_600_000,
                                  logger: Logger, progress: (Double) -> Void = { _ in })
        throws(StorageError) -> ImportReport
    {
        let raw = try Block.mapFile(path)
        defer { if let base = raw.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), raw.count) } }
        var series: [Labels: [Sample]] = [:]
        try parseSlices(raw.bindMemory(to: UInt8.self), file: path) { samples throws(StorageError) in
            for s in samples {
                guard let t = s.timestamp else {
                    throw StorageError.corrupt("\(path): sample of \(s.labels) has no timestamp")
                }
                series[s.labels, default: []].append(Sample(t: t, v: s.value))
            }
        } progress: { progress($0) }
        var report = ImportReport()
        var byRange: [Int64: [BlockWriter.SeriesChunks]] = [:]
        for (labels, var samples) in series {
            samples.sort { $0.t < $1.t }
            var clean: [Sample] = []
            clean.reserveCapacity(samples.count)
            for s in samples {
                if let last = clean.last, last.t == s.t {
                    if last.v.bitPattern != s.v.bitPattern { report.duplicates += 1 }
                    continue
                }
                clean.append(s)
            }
            report.series += 1
            report.samples += clean.count
            var start = 0
            while start < clean.count {
                let range = HeadSeries.rangeIndex(clean[start].t, blockSpan)
                var end = start
                while end < clean.count && HeadSeries.rangeIndex(clean[end].t, blockSpan) == range { end += 1 }
                byRange[range, default: []].append(
                    BlockWriter.SeriesChunks(labels: labels, chunks: TSDB.encode(Array(clean[start..<end]))))
                start = end
            }
        }
        let blocksDir = dataDirectory + "/blocks"
        try WAL.makeDirectory(blocksDir)
        for range in byRange.keys.sorted() {
            let meta = BlockMeta(minTime: range * blockSpan, maxTime: (range + 1) * blockSpan, origin: "import")
            let path = try BlockWriter.write(byRange[range]!, meta: meta, directory: blocksDir)
            logger.info("imported block written", ["block": path])
            report.blocks += 1
        }
        return report
    }

    /// Feeds the parser slices of about `sliceSize` bytes that end at a line break; each slice after the first is
    /// prefixed with the metadata lines of the family it starts in, and every slice but the last gets `# EOF`.
    static func parseSlices(_ buf: UnsafeBufferPointer<UInt8>, file: String, sliceSize: Int = 8 << 20,
                            _ handle: ([ParsedSample]) throws(StorageError) -> Void,
                            progress: (Double) -> Void) throws(StorageError) {
        var start = 0
        var lineOffset = 0
        var familyHeader: [UInt8] = []
        let eof = Array("# EOF\n".utf8)
        while start < buf.count {
            var end = min(start + sliceSize, buf.count)
            while end < buf.count && buf[end - 1] != 10 { end += 1 }
            let slice = UnsafeBufferPointer(rebasing: buf[start..<end])
            var text = familyHeader
            text.append(contentsOf: slice)
            let sliceHasEOF = end == buf.count
            if !sliceHasEOF { text.append(contentsOf: eof) }
            let headerLines = familyHeader.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
            do {
                let result = try ExpositionParser.parse(text, format: .openMetrics)
                try handle(result.samples)
            } catch let e as ExpositionError {
                let line = lineOffset + e.line - headerLines
                throw StorageError.corrupt("\(file):\(line):\(e.column): \(e.message)")
            } catch let e as StorageError {
                throw e
            } catch {
                throw StorageError.corrupt("\(file): \(error)")
            }
            familyHeader = lastFamilyHeader(slice, previous: familyHeader)
            lineOffset += slice.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
            start = end
            progress(Double(end) / Double(max(buf.count, 1)))
        }
    }

    /// The `# TYPE`/`# UNIT`/`# HELP` lines of the last family that `slice` opens, or `previous` when it opens none.
    static func lastFamilyHeader(_ slice: UnsafeBufferPointer<UInt8>, previous: [UInt8]) -> [UInt8] {
        var header: [UInt8] = []
        var family: [UInt8]? = nil
        var i = 0
        var found = false
        var lines: [(Int, Int)] = []
        while i < slice.count {
            var j = i
            while j < slice.count && slice[j] != 10 { j += 1 }
            lines.append((i, j))
            i = j + 1
        }
        for (a, b) in lines.reversed() where b - a > 7 && slice[a] == 35 {
            let line = Array(slice[a..<b])
            let words = line.split(separator: 32, maxSplits: 3)
            guard words.count >= 3, ["TYPE", "UNIT", "HELP"].contains(String(decoding: words[1], as: UTF8.self)) else {
                continue
            }
            let name = Array(words[2])
            if family == nil { family = name }
            if family! != name { break }
            header.insert(contentsOf: line + [10], at: 0)
            found = true
        }
        return found ? header : previous
    }
}
