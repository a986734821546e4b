import VigilRules
import VigilServer

/// `vigil test rules F…`: promtool's rule unit tests.
enum TestCommand {
    static func rules(_ inv: CommandLineParser.Invocation) -> Int32 {
        let (output, ok) = RuleUnitTester.run(files: inv.positionals)
        if !output.isEmpty { Console.out(output) }
        return ok ? 0 : 1
    }
}
