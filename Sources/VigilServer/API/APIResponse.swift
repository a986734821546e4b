import VigilCore

/// The Prometheus API envelope: `{"status":"success","data":…}` or
/// `{"status":"error","errorType":…,"error":…}` with the HTTP status Prometheus uses for each error type.
public enum APIResponse {
    /// Prometheus's `errorType` values and their HTTP status codes.
    public enum ErrorType: String, Sendable {
        case badData = "bad_data"
        case execution
        case timeout
        case canceled
        case `internal`
        case notFound = "not_found"
        case notAcceptable = "not_acceptable"
        case unavailable

        /// The HTTP status Prometheus answers with.
        public var httpStatus: Int {
            switch self {
            case .badData: 400
            case .execution: 422
            case .timeout, .unavailable: 503
            case .canceled: 499
            case .internal: 500
            case .notFound: 404
            case .notAcceptable: 406
            }
        }
    }

    /// A success envelope around already rendered `data` JSON.
    public static func success(_ data: String, warnings: [String] = [], infos: [String] = []) -> HTTPResponse {
        var out = "{\"status\":\"success\",\"data\":" + data
        if !warnings.isEmpty { out += ",\"warnings\":[" + warnings.map(JSON.quote).joined(separator: ",") + "]" }
        if !infos.isEmpty { out += ",\"infos\":[" + infos.map(JSON.quote).joined(separator: ",") + "]" }
        return .json(out + "}")
    }

    /// An error envelope with the matching HTTP status.
    public static func error(_ type: ErrorType, _ message: String) -> HTTPResponse {
        .json("{\"status\":\"error\",\"errorType\":\(JSON.quote(type.rawValue)),\"error\":\(JSON.quote(message))}",
              status: type.httpStatus)
    }

    /// A JSON array of strings (`[]` when empty, never `null`).
    public static func stringArray(_ values: [String]) -> String {
        "[" + values.map(JSON.quote).joined(separator: ",") + "]"
    }
}
