import VigilCollect
import VigilCore
import VigilStorage

/// `POST /api/v1/import/prometheus`: Prometheus text with optional millisecond timestamps (VictoriaMetrics's
/// import format); answers 204 only after the samples are in the WAL.
enum ImportAPI {
    static func prometheus(_ request: HTTPRequest, storage: any Storage, now: Int64 = Timestamp.nowMillis())
        -> HTTPResponse
    {
        if let encoding = request.header("Content-Encoding"), !encoding.isEmpty, encoding.lowercased() != "identity" {
            return .text("unsupported Content-Encoding \"\(encoding)\": send the body uncompressed\n", status: 415)
        }
        var body = request.body
        if let last = body.last, last != 10 { body.append(10) }
        let parsed: ExpositionResult
        do {
            parsed = try ExpositionParser.parse(body, format: .prometheusText)
        } catch {
            return .text("cannot parse import body: \(error)\n", status: 400)
        }
        let batch = parsed.samples.map { LabeledSample($0.labels, t: $0.timestamp ?? now, v: $0.value) }
        do {
            let result = try storage.append(batch)
            guard result.rejected == 0 else {
                return .text("\(result.rejected) of \(batch.count) samples rejected (out of order: "
                             + "\(result.outOfOrder), duplicate: \(result.duplicate), too old: \(result.tooOld))\n",
                             status: 400)
            }
            return HTTPResponse(status: 204)
        } catch {
            return .text("cannot store samples: \(error)\n", status: 503)
        }
    }
}
