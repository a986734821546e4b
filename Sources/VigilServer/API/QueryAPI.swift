import Foundation
import VigilCore
import VigilQuery
import VigilStorage

/// `/api/v1/query` and `/api/v1/query_range`: Prometheus's parameter parsing, errors and envelope.
struct QueryAPI: Sendable {
    let backend: any APIBackend

    func instant(_ request: HTTPRequest) -> HTTPResponse {
        let at: Int64
        let engine: QueryEngine
        do {
            at = try APIParameters.time(request, "time", default: Timestamp.nowMillis())
            engine = try queryEngine(request)
        } catch {
            return APIResponse.error(.badData, error.message)
        }
        let expr: Expr
        switch parse(request) {
        case .success(let e): expr = e
        case .failure(let response): return response
        }
        do {
            let value = try engine.instant(expr, at: at)
            return APIResponse.success(value.json)
        } catch {
            return APIResponse.error(errorType(error.kind), error.message)
        }
    }

    func range(_ request: HTTPRequest) -> HTTPResponse {
        let range: APIParameters.Range
        let engine: QueryEngine
        do {
            range = try APIParameters.range(request)
            engine = try queryEngine(request)
        } catch {
            return APIResponse.error(.badData, error.message)
        }
        let expr: Expr
        switch parse(request) {
        case .success(let e): expr = e
        case .failure(let response): return response
        }
        if expr.type != .scalar && expr.type != .vector {
            return APIResponse.error(.badData, "invalid parameter \"query\": invalid expression type "
                + "\"\(typeName(expr.type))\" for range query, must be Scalar or instant Vector")
        }
        do {
            let value = try engine.range(expr, start: range.start, end: range.end, step: range.step)
            return APIResponse.success(value.json)
        } catch {
            return APIResponse.error(errorType(error.kind), error.message)
        }
    }

    /// `/api/v1/format_query`: the expression in Prometheus's canonical form.
    func format(_ request: HTTPRequest) -> HTTPResponse {
        switch parse(request) {
        case .success(let e): APIResponse.success(JSON.quote(e.description))
        case .failure(let response): response
        }
    }

    private enum Parsed {
        case success(Expr)
        case failure(HTTPResponse)
    }

    private func parse(_ request: HTTPRequest) -> Parsed {
        let text = request.parameter("query") ?? ""
        if text.allSatisfy(\.isWhitespace) {
            let message = "invalid parameter \"query\": 1:1: parse error: no expression found in input"
            return .failure(APIResponse.error(.badData, message))
        }
        do {
            return .success(try QueryEngine.parse(text))
        } catch {
            return .failure(APIResponse.error(.badData, "invalid parameter \"query\": \(error.description)"))
        }
    }

    /// The engine for this request: `timeout` can only shorten the configured limit, `lookback_delta` replaces
    /// the configured lookback, as in Prometheus; `max_source_resolution` (`raw`, `0s`, `5m`, `1h`, `auto`, as
    /// Thanos takes it) chooses which rollups the store may read.
    private func queryEngine(_ request: HTTPRequest) throws(APIParameters.Invalid) -> QueryEngine {
        let engine = backend.queryEngine()
        var options = engine.options
        if let text = request.parameter("timeout"), !text.isEmpty {
            let ms: Int64
            do { ms = try APIParameters.duration(text) } catch {
                throw APIParameters.Invalid("invalid parameter \"timeout\": \(error.message)")
            }
            options.timeout = min(options.timeout, Double(ms) / 1000)
        }
        if let text = request.parameter("lookback_delta"), !text.isEmpty {
            do { options.lookbackDelta = try APIParameters.duration(text) } catch {
                throw APIParameters.Invalid("error parsing lookback delta duration: \(error.message)")
            }
        }
        var storage = engine.storage
        if let text = request.parameter("max_source_resolution"), !text.isEmpty, text != "auto",
            let tsdb = storage as? TSDB
        {
            let resolution: Int64
            if text == "raw" {
                resolution = 0
            } else {
                do { resolution = try APIParameters.duration(text) } catch {
                    throw APIParameters.Invalid("invalid parameter \"max_source_resolution\": \(error.message)")
                }
            }
            storage = HintedStorage(base: tsdb, hints: SelectHints(maxSourceResolution: resolution))
        }
        if options.timeout == engine.options.timeout && options.lookbackDelta == engine.options.lookbackDelta
            && storage === engine.storage
        {
            return engine
        }
        return QueryEngine(storage: storage, options: options)
    }

    private func errorType(_ kind: QueryError.Kind) -> APIResponse.ErrorType {
        switch kind {
        case .badData: .badData
        case .execution: .execution
        case .timeout: .timeout
        case .canceled: .canceled
        case .internal: .internal
        }
    }

    private func typeName(_ type: ValueType) -> String {
        switch type {
        case .scalar: "scalar"
        case .vector: "vector"
        case .matrix: "range vector"
        case .string: "string"
        }
    }
}
