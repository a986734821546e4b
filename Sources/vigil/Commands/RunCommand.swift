import Foundation
import VigilCore
import VigilServer

/// `vigil run`: starts the server and runs until SIGINT or SIGTERM.
enum RunCommand {
    static func execute(_ inv: CommandLineParser.Invocation) -> Int32 {
        let options: RuntimeOptions
        let logger: Logger
        do {
            (options, logger) = try RunSettings.parse(inv)
        } catch {
            Console.error("vigil run: \(error.message)")
            return 2
        }
        logger.info("starting vigil", ["version": BuildInfo.version,
                                       "config.file": options.configPath ?? VigilConfiguration.embeddedFileName])
        let runtime: VigilRuntime
        do {
            runtime = try VigilRuntime(options: options, logger: logger)
            try runtime.start()
        } catch {
            if case .config(let errors) = error {
                Console.error("vigil run: the configuration has errors:")
                for e in errors { Console.error("  \(e)") }
            } else {
                Console.error("vigil run: \(error)")
            }
            return 2
        }
        runtime.runUntilSignal()
        return 0
    }
}
