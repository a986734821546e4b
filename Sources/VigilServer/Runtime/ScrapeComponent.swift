import VigilCore

/// Runs the scrape manager from `scrape_configs` and answers `/api/v1/targets`.
final class ScrapeComponent: RuntimeComponent, @unchecked Sendable {
    let name = "scrape"
    private let context: RuntimeContext

    init(_ context: RuntimeContext) { self.context = context }

    func check(_ config: VigilConfiguration) throws -> [ConfigWarning] { [] }
    func apply(_ config: VigilConfiguration) throws {}
    func start() {}
    func stop() {}

    /// The `data` object of `/api/v1/targets`.
    func targetsData(state: String?) -> String { "{\"activeTargets\":[],\"droppedTargets\":[]}" }

    /// The `data` object of `/api/v1/metadata`.
    func metadataData(metric: String?, limit: Int?) -> String { "{}" }
}
