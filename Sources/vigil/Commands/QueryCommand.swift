import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import VigilServer

/// `vigil query`: asks a running server and prints the result as promtool does.
enum QueryCommand {
    static func execute(_ inv: CommandLineParser.Invocation) -> Int32 {
        if inv.flag("data") != nil {
            Console.error("vigil query: --data is not supported until the durable store; use --server")
            return 2
        }
        let request: QueryRequest
        do {
            request = try QueryRequest(inv, now: Date().timeIntervalSince1970)
        } catch {
            Console.error("vigil query: \(error.message)")
            return 2
        }
        guard let url = URL(string: request.url) else {
            Console.error("vigil query: invalid server URL \"\(request.url)\"")
            return 2
        }
        let (body, failure) = get(url)
        guard let body else {
            Console.error("query error: \(failure ?? "no response")")
            return 1
        }
        if request.json {
            Console.out(String(decoding: body, as: UTF8.self))
            return 0
        }
        do {
            Console.out(try QueryOutput.format(json: body))
            return 0
        } catch {
            Console.error("query error: \(error.message)")
            return 1
        }
    }

    private static func get(_ url: URL) -> ([UInt8]?, String?) {
        let done = DispatchSemaphore(value: 0)
        final class Box: @unchecked Sendable {
            var body: [UInt8]?
            var error: String?
        }
        let box = Box()
        // POST the parameters as a form, as promtool does, so long expressions fit (GET URLs are limited).
        var req = URLRequest(url: url)
        if var parts = URLComponents(url: url, resolvingAgainstBaseURL: false), let query = parts.percentEncodedQuery {
            parts.percentEncodedQuery = nil
            req = URLRequest(url: parts.url ?? url)
            req.httpMethod = "POST"
            req.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            req.httpBody = Data(query.utf8)
        }
        req.timeoutInterval = 130
        URLSession.shared.dataTask(with: req) { data, _, error in
            if let error { box.error = error.localizedDescription } else { box.body = data.map { Array($0) } ?? [] }
            done.signal()
        }.resume()
        done.wait()
        return (box.body, box.error)
    }
}
