import VigilCore

/// Prometheus's parsing of API parameters: timestamps, durations and the range limits of `query_range`.
public enum APIParameters {
    /// A parameter that failed to parse, worded as Prometheus words it.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        /// The full message, e.g. `invalid parameter "time": cannot parse "x" to a valid timestamp`.
        public var message: String
        /// Creates an error with a finished message.
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// Prometheus's smallest and largest representable times, as the API prints them.
    static let minTimeText = "-292273086-05-16T16:47:06Z"
    static let maxTimeText = "292277025-08-18T07:12:54.999999999Z"
    /// The millisecond values Prometheus uses for them.
    public static let minTime: Int64 = -9_223_309_901_257_974
    /// The largest time Prometheus accepts, in milliseconds.
    public static let maxTime: Int64 = 9_223_309_901_257_974

    /// Parses a timestamp: Unix seconds (fraction rounded to milliseconds) or RFC 3339.
    public static func time(_ text: String) throws(Invalid) -> Int64 {
        if let d = Double(text), !text.isEmpty, d.isFinite {
            let whole = d.rounded(.towardZero)
            let frac = ((d - whole) * 1000).rounded()
            if abs(whole) < 9.2e15 { return Int64(whole) * 1000 + Int64(frac) }
        }
        if let ms = Timestamp.parseRFC3339(text) { return ms }
        if text == minTimeText { return minTime }
        if text == maxTimeText { return maxTime }
        throw Invalid("cannot parse \"\(text)\" to a valid timestamp")
    }

    /// Parses a duration: float seconds or a Prometheus duration such as `1m30s`; milliseconds.
    public static func duration(_ text: String) throws(Invalid) -> Int64 {
        if let d = Double(text), !text.isEmpty, d.isFinite {
            let ms = d * 1000
            if ms > 9.2e18 || ms < -9.2e18 {
                throw Invalid("cannot parse \"\(text)\" to a valid duration. It overflows int64")
            }
            return Int64(ms.rounded())
        }
        if let ms = try? PromDuration.parse(text) { return ms }
        throw Invalid("cannot parse \"\(text)\" to a valid duration")
    }

    /// Reads parameter `name` as a time, `defaultValue` when absent or empty.
    public static func time(_ request: HTTPRequest, _ name: String, default defaultValue: Int64) throws(Invalid)
        -> Int64
    {
        guard let text = request.parameter(name), !text.isEmpty else { return defaultValue }
        do { return try time(text) } catch { throw Invalid("invalid parameter \"\(name)\": \(error.message)") }
    }

    /// Reads a required time parameter.
    public static func requiredTime(_ request: HTTPRequest, _ name: String) throws(Invalid) -> Int64 {
        do { return try time(request.parameter(name) ?? "") } catch {
            throw Invalid("invalid parameter \"\(name)\": \(error.message)")
        }
    }

    /// Reads a required duration parameter.
    public static func requiredDuration(_ request: HTTPRequest, _ name: String) throws(Invalid) -> Int64 {
        do { return try duration(request.parameter(name) ?? "") } catch {
            throw Invalid("invalid parameter \"\(name)\": \(error.message)")
        }
    }

    /// The checked parameters of `/api/v1/query_range`.
    public struct Range: Sendable, Equatable {
        /// The first evaluation time, in milliseconds.
        public var start: Int64
        /// The last evaluation time (inclusive), in milliseconds.
        public var end: Int64
        /// The resolution step, in milliseconds.
        public var step: Int64
    }

    /// Reads `start`, `end` and `step` and applies Prometheus's checks in its order.
    public static func range(_ request: HTTPRequest) throws(Invalid) -> Range {
        let start = try requiredTime(request, "start")
        let end = try requiredTime(request, "end")
        if end < start { throw Invalid("end timestamp must not be before start time") }
        let step = try requiredDuration(request, "step")
        if step <= 0 {
            throw Invalid("zero or negative query resolution step widths are not accepted. Try a positive integer")
        }
        if (end - start) / step > 11_000 {
            throw Invalid("exceeded maximum resolution of 11,000 points per timeseries. "
                + "Try decreasing the query resolution (?step=XX)")
        }
        return Range(start: start, end: end, step: step)
    }
}
