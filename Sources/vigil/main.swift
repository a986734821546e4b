import Foundation
import VigilServer

let args = Array(CommandLine.arguments.dropFirst())
let parser = CommandLineParser()
let invocation: CommandLineParser.Invocation
do {
    invocation = try parser.parse(args)
} catch {
    Console.error("vigil: \(error.message)\n\n\(error.help)")
    exit(2)
}
if invocation.help {
    Console.out(parser.help(for: invocation.command))
    exit(0)
}
switch invocation.command {
case ["run"]: exit(RunCommand.execute(invocation))
case ["check", "config"]: exit(CheckCommand.config(invocation))
case ["check", "rules"]: exit(CheckCommand.rules(invocation))
case ["query"]: exit(QueryCommand.execute(invocation))
case ["import"]: exit(ImportCommand.execute(invocation))
case ["test", "rules"]: exit(TestCommand.rules(invocation))
case ["detect"]: exit(DetectCLI.execute(invocation))
case ["logs", "analyze"]: exit(LogsCLI.analyze(invocation))
case ["version"]:
    Console.out(BuildInfo.versionText)
    exit(0)
default:
    Console.error(VigilCommands.topHelp)
    exit(2)
}
