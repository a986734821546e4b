/// The text formats a scrape target may answer in.
public enum ExpositionFormat: String, Sendable, Equatable {
    /// Prometheus text format 0.0.4 (also announced as 1.0.0 by newer client libraries).
    case prometheusText = "text/plain"
    /// OpenMetrics 1.0 text.
    case openMetrics = "application/openmetrics-text"

    /// The `Accept` header Prometheus 3 sends by default (`scrape_protocols` OpenMetricsText1.0.0,
    /// OpenMetricsText0.0.1, PrometheusText1.0.0, PrometheusText0.0.4, weights counting down from 0.6).
    public static let acceptHeader =
        "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
        + "application/openmetrics-text;version=0.0.1;q=0.5,"
        + "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,"
        + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2"

    /// The format a `Content-Type` header names, or nil when it names none that Vigil parses.
    public static func from(contentType: String?) -> ExpositionFormat? {
        guard let contentType else { return nil }
        let media = contentType.split(separator: ";", maxSplits: 1).first.map {
            $0.trimmingCharacters(in: " \t").lowercased()
        } ?? ""
        switch media {
        case "application/openmetrics-text": return .openMetrics
        case "text/plain": return .prometheusText
        default: return nil
        }
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: String) -> String {
        let chars = Set(set)
        var s = Substring(self)
        while let f = s.first, chars.contains(f) { s.removeFirst() }
        while let l = s.last, chars.contains(l) { s.removeLast() }
        return String(s)
    }
}
