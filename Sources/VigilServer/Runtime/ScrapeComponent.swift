import VigilCollect
import VigilCore

/// Runs the scrape manager from `scrape_configs` and answers `/api/v1/targets`.
final class ScrapeComponent: RuntimeComponent, @unchecked Sendable {
    let name = "scrape"
    private let manager: ScrapeManager

    init(_ context: RuntimeContext) {
        manager = ScrapeManager(appender: context.storage, logger: context.logger.with("component", "scrape"))
    }

    func check(_ config: VigilConfiguration) throws -> [ConfigWarning] { [] }

    /// Hands the parsed scrape configs to the manager, which keeps loops of unchanged targets running.
    func apply(_ config: VigilConfiguration) throws { manager.apply(configs: config.scrapeConfigs) }

    func start() {}

    func stop() { manager.stop() }

    /// The `data` object of `/api/v1/targets`; an unknown `state` lists nothing, as Prometheus does.
    func targetsData(state: String?) -> String {
        guard let s = TargetState(parameter: state?.lowercased()) else {
            return "{\"activeTargets\":[],\"droppedTargets\":[]}"
        }
        return manager.targetsJSON(state: s)
    }

    /// The `data` object of `/api/v1/metadata`: metadata is not kept yet, so `{}`.
    func metadataData(metric: String?, limit: Int?) -> String { "{}" }
}
