import VigilCore

/// The HTTP request `vigil query` sends, built from its flags with promtool's defaults for range queries.
public struct QueryRequest: Sendable, Equatable {
    /// The full URL with the query string.
    public var url: String
    /// True for `--format json`.
    public var json: Bool

    /// The default server.
    public static let defaultServer = "http://127.0.0.1:9470"

    /// Builds the request; `now` is Unix seconds.
    public init(_ inv: CommandLineParser.Invocation, now: Double) throws(CommandLineParser.UsageError) {
        let help = VigilCommands.query.help
        let format = inv.flag("format") ?? "text"
        guard format == "text" || format == "json" else {
            throw CommandLineParser.UsageError(message: "invalid --format \"\(format)\"", help: help)
        }
        json = format == "json"
        var server = inv.flag("server") ?? Self.defaultServer
        while server.hasSuffix("/") { server.removeLast() }
        let expr = inv.positionals.first ?? ""
        var params: [(String, String)] = [("query", expr)]
        if inv.flag("range") == "true" {
            if inv.flag("time") != nil {
                throw CommandLineParser.UsageError(message: "--time is for instant queries; use --start/--end",
                                                   help: help)
            }
            let end = try Self.seconds(inv.flag("end"), "end", default: now)
            let start = try Self.seconds(inv.flag("start"), "start", default: end - 300)
            var step: String
            if let s = inv.flag("step") {
                step = s
            } else {
                step = String(Int(max(((end - start) / 250).rounded(.down), 1)))
            }
            if step.isEmpty { step = "1" }
            params += [("start", Self.text(inv.flag("start"), start)), ("end", Self.text(inv.flag("end"), end)),
                       ("step", step)]
            url = server + "/api/v1/query_range?" + Self.encode(params)
        } else {
            for name in ["start", "end", "step"] where inv.flag(name) != nil {
                throw CommandLineParser.UsageError(message: "--\(name) needs --range", help: help)
            }
            if let t = inv.flag("time") { params.append(("time", t)) }
            url = server + "/api/v1/query?" + Self.encode(params)
        }
    }

    private static func seconds(_ text: String?, _ name: String, default value: Double)
        throws(CommandLineParser.UsageError) -> Double
    {
        guard let text else { return value }
        do { return Double(try APIParameters.time(text)) / 1000 } catch {
            throw CommandLineParser.UsageError(message: "invalid --\(name): \(error.message)",
                                               help: VigilCommands.query.help)
        }
    }

    private static func text(_ given: String?, _ value: Double) -> String {
        given ?? JSON.seconds(Int64((value * 1000).rounded()))
    }

    private static func encode(_ params: [(String, String)]) -> String {
        params.map { FormDecoding.escape($0.0) + "=" + FormDecoding.escape($0.1) }.joined(separator: "&")
    }
}
