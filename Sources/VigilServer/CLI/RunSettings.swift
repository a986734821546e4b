import VigilCore

/// Turns `vigil run` flags into `RuntimeOptions` and a `Logger`.
public enum RunSettings {
    /// Reads `--config`, `--data`, `--listen`, `--log.level`, `--log.format` and `--web.threads`.
    public static func parse(_ inv: CommandLineParser.Invocation, sink: any LogSink = StderrLogSink())
        throws(CommandLineParser.UsageError) -> (RuntimeOptions, Logger)
    {
        var options = RuntimeOptions()
        options.configPath = inv.flag("config")
        if let data = inv.flag("data") { options.dataDirectory = data }
        if let listen = inv.flag("listen") {
            do { options.listen = try ListenAddress(parsing: listen) } catch {
                throw usage(error.description)
            }
        }
        if let threads = inv.flag("web.threads") {
            guard let n = Int(threads), n > 0 else { throw usage("invalid --web.threads \"\(threads)\"") }
            options.httpThreads = n
        }
        var logger = Logger(sink: sink)
        if let level = inv.flag("log.level") {
            guard let l = LogLevel(name: level) else { throw usage("invalid --log.level \"\(level)\"") }
            logger.level = l
        }
        if let format = inv.flag("log.format") {
            guard let f = Logger.Format(rawValue: format) else { throw usage("invalid --log.format \"\(format)\"") }
            logger.format = f
        }
        options.flags = [
            ("config.file", options.configPath ?? ""), ("storage.path", options.dataDirectory),
            ("web.listen-address", options.listen.description), ("log.level", logger.level.name),
            ("log.format", logger.format.rawValue), ("web.threads", String(options.httpThreads)),
        ]
        return (options, logger)
    }

    private static func usage(_ message: String) -> CommandLineParser.UsageError {
        CommandLineParser.UsageError(message: message, help: VigilCommands.run.help)
    }
}
