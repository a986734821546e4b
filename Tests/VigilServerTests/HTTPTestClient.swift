import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A blocking HTTP client for tests, over URLSession.
struct HTTPTestClient: Sendable {
    struct Reply: @unchecked Sendable {
        var status: Int
        var headers: [String: String]
        var body: String

        /// The body parsed as a JSON object.
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] }
    }

    let base: String

    func get(_ path: String) async -> Reply { await send("GET", path) }

    func post(_ path: String, form: String) async -> Reply {
        await send("POST", path, body: form, type: "application/x-www-form-urlencoded")
    }

    /// Sends on a GCD thread so that waiting never blocks Swift Testing's cooperative threads.
    func send(_ method: String, _ path: String, body: String? = nil, type: String? = nil) async -> Reply {
        await offCooperativePool { blockingSend(method, path, body: body, type: type) }
    }

    private func blockingSend(_ method: String, _ path: String, body: String?, type: String?) -> Reply {
        var req = URLRequest(url: URL(string: base + path)!)
        req.httpMethod = method
        if let body { req.httpBody = Data(body.utf8) }
        if let type { req.setValue(type, forHTTPHeaderField: "Content-Type") }
        final class Box: @unchecked Sendable { var reply = Reply(status: 0, headers: [:], body: "") }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: req) { data, response, _ in
            if let http = response as? HTTPURLResponse {
                var headers: [String: String] = [:]
                for (k, v) in http.allHeaderFields { headers["\(k)".lowercased()] = "\(v)" }
                box.reply = Reply(status: http.statusCode, headers: headers,
                                  body: String(decoding: data ?? Data(), as: UTF8.self))
            }
            done.signal()
        }.resume()
        done.wait()
        return box.reply
    }
}

/// Runs blocking work on a GCD thread and awaits its result.
func offCooperativePool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { c in DispatchQueue.global().async { c.resume(returning: body()) } }
}
