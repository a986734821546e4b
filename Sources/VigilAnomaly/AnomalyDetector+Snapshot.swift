import Foundation

extension AnomalyDetector {
    private static let nonFinite = JSONEncoder.NonConformingFloatEncodingStrategy.convertToString(
        positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")

    /// The detector's whole state as JSON, so that it survives a restart (e.g. kept in `state.sqlite`).
    public func snapshot() throws -> Data {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = AnomalyDetector.nonFinite
        return try encoder.encode(self)
    }

    /// A detector restored from `snapshot()`.
    public init(snapshot: Data) throws {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
        self = try decoder.decode(AnomalyDetector.self, from: snapshot)
    }
}
