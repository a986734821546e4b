import VigilCore
import VigilQuery
import VigilStorage

/// `/api/v1/series`, `/api/v1/labels` and `/api/v1/label/<name>/values` over the store.
struct MetadataAPI: Sendable {
    let backend: any APIBackend

    func series(_ request: HTTPRequest) -> HTTPResponse {
        let matches = request.parameterValues("match[]")
        if matches.isEmpty { return APIResponse.error(.badData, "no match[] parameter provided") }
        let bounds: (Int64, Int64)
        let sets: [[LabelMatcher]]
        let limit: Int
        do {
            bounds = try timeBounds(request)
            sets = try matcherSets(matches)
            limit = try parseLimit(request)
        } catch {
            return APIResponse.error(.badData, error.message)
        }
        var seen: Set<Labels> = []
        var all: [Labels] = []
        for set in sets {
            let found = backend.storage.series(set, mint: bounds.0, maxt: bounds.1)
            for labels in found where seen.insert(labels).inserted { all.append(labels) }
        }
        all.sort()
        var warnings: [String] = []
        if limit > 0 && all.count > limit {
            all.removeLast(all.count - limit)
            warnings.append("results truncated due to limit")
        }
        return APIResponse.success("[" + all.map(JSON.object).joined(separator: ",") + "]", warnings: warnings)
    }

    func labelNames(_ request: HTTPRequest) -> HTTPResponse {
        do {
            let bounds = try timeBounds(request)
            let sets = try matcherSets(request.parameterValues("match[]"))
            let limit = try parseLimit(request)
            var names: Set<String> = []
            for set in sets.isEmpty ? [[]] : sets {
                names.formUnion(backend.storage.labelNames(set, mint: bounds.0, maxt: bounds.1))
            }
            return truncated(names.sorted(), limit)
        } catch {
            return APIResponse.error(.badData, error.message)
        }
    }

    func labelValues(_ request: HTTPRequest) -> HTTPResponse {
        var name = request.pathParameters["name"] ?? ""
        if name.hasPrefix("U__") { name = Self.unescapeLabelName(String(name.dropFirst(3))) ?? name }
        guard Self.isValidLabelName(name) else {
            return APIResponse.error(.badData, "invalid label name: \"\(name)\"")
        }
        do {
            let bounds = try timeBounds(request)
            let sets = try matcherSets(request.parameterValues("match[]"))
            let limit = try parseLimit(request)
            var values: Set<String> = []
            for set in sets.isEmpty ? [[]] : sets {
                values.formUnion(backend.storage.labelValues(name, set, mint: bounds.0, maxt: bounds.1))
            }
            return truncated(values.sorted(), limit)
        } catch {
            return APIResponse.error(.badData, error.message)
        }
    }

    private func truncated(_ values: [String], _ limit: Int) -> HTTPResponse {
        if limit > 0 && values.count > limit {
            return APIResponse.success(APIResponse.stringArray(Array(values.prefix(limit))),
                                       warnings: ["results truncated due to limit"])
        }
        return APIResponse.success(APIResponse.stringArray(values))
    }

    private func timeBounds(_ request: HTTPRequest) throws(APIParameters.Invalid) -> (Int64, Int64) {
        let start = try APIParameters.time(request, "start", default: APIParameters.minTime)
        let end = try APIParameters.time(request, "end", default: APIParameters.maxTime)
        return (start, end)
    }

    private func parseLimit(_ request: HTTPRequest) throws(APIParameters.Invalid) -> Int {
        guard let text = request.parameter("limit"), !text.isEmpty else { return 0 }
        guard let n = Int(text), n >= 0 else {
            throw APIParameters.Invalid("invalid parameter \"limit\": cannot parse \"\(text)\" to a valid limit")
        }
        return n
    }

    /// Parses `match[]` selectors as Prometheus's `parseMatchersParam` does.
    func matcherSets(_ texts: [String]) throws(APIParameters.Invalid) -> [[LabelMatcher]] {
        var sets: [[LabelMatcher]] = []
        for text in texts {
            let expr: Expr
            do { expr = try QueryEngine.parse(text) } catch { throw APIParameters.Invalid(error.description) }
            guard case .vectorSelector(let selector) = expr else {
                throw APIParameters.Invalid("1:1: parse error: expected a metric selector, got \"\(text)\"")
            }
            sets.append(selector.matchers)
        }
        for set in sets where set.allSatisfy(\.matchesEmpty) {
            throw APIParameters.Invalid("match[] must contain at least one non-empty matcher")
        }
        return sets
    }

    /// Prometheus 3 accepts any non-empty UTF-8 label name.
    static func isValidLabelName(_ name: String) -> Bool { !name.isEmpty }

    /// Undoes Prometheus's "values escaping": `_2e_` is the code point 0x2e, `__` is `_`.
    static func unescapeLabelName(_ text: String) -> String? {
        var out = ""
        var chars = Substring(text)
        while let c = chars.first {
            chars = chars.dropFirst()
            guard c == "_" else { out.append(c); continue }
            if chars.first == "_" { out.append("_"); chars = chars.dropFirst(); continue }
            guard let end = chars.firstIndex(of: "_"), let code = UInt32(chars[..<end], radix: 16),
                  let scalar = Unicode.Scalar(code) else { return nil }
            out.unicodeScalars.append(scalar)
            chars = chars[chars.index(after: end)...]
        }
        return out
    }
}
