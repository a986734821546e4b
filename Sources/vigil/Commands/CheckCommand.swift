import VigilServer

/// `vigil check config F…` and `vigil check rules F…`.
enum CheckCommand {
    static func config(_ inv: CommandLineParser.Invocation) -> Int32 {
        report(ConfigCheck.configs(inv.positionals))
    }

    static func rules(_ inv: CommandLineParser.Invocation) -> Int32 {
        report(ConfigCheck.rules(inv.positionals))
    }

    private static func report(_ r: ConfigCheck.Report) -> Int32 {
        if !r.output.isEmpty { Console.out(r.output) }
        if !r.errors.isEmpty { Console.error(r.errors) }
        return r.exitCode
    }
}
