/// Parses `vigil` command lines: a command path (`check config`), flags before or after positionals as
/// `--flag value` or `--flag=value`, and positionals. Bad usage is a `UsageError` (exit code 2).
public struct CommandLineParser: Sendable {
    /// One command's grammar.
    public struct Command: Sendable {
        /// The words that select it, e.g. `["check", "config"]`.
        public var path: [String]
        /// Flags that take a value.
        public var valueFlags: Set<String>
        /// Flags that take none.
        public var boolFlags: Set<String>
        /// Positionals: at least `minPositionals`, at most `maxPositionals` (nil: any number).
        public var minPositionals: Int
        /// The most positionals (nil: any number).
        public var maxPositionals: Int?
        /// Usage text for `--help`.
        public var help: String
    }

    /// A parsed command line.
    public struct Invocation: Sendable, Equatable {
        /// The command path, e.g. `["run"]`.
        public var command: [String]
        /// Flag values by name without dashes; bool flags map to `"true"`.
        public var flags: [String: String]
        /// Positional arguments in order.
        public var positionals: [String]
        /// True when `--help` or `-h` was given.
        public var help: Bool

        /// A flag's value.
        public func flag(_ name: String) -> String? { flags[name] }
    }

    /// Wrong usage: an unknown command or flag, a missing value or a wrong number of arguments.
    public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
        /// What was wrong.
        public var message: String
        /// The help text of the command concerned.
        public var help: String
        public var description: String { message }
    }

    /// The commands `vigil` knows.
    public let commands: [Command]

    /// A parser over `commands`.
    public init(commands: [Command] = VigilCommands.all) { self.commands = commands }

    /// Parses the arguments after the program name.
    public func parse(_ args: [String]) throws(UsageError) -> Invocation {
        let words = args.prefix { !$0.hasPrefix("-") }
        guard let command = commands.filter({ Array(words.prefix($0.path.count)) == $0.path })
            .max(by: { $0.path.count < $1.path.count }) else {
            if args.contains("--help") || args.contains("-h") || args.isEmpty {
                return Invocation(command: [], flags: [:], positionals: [], help: true)
            }
            if args == ["--version"] {
                return Invocation(command: ["version"], flags: [:], positionals: [], help: false)
            }
            let what = words.first.map { "unknown command \"\($0)\"" } ?? "unknown flag \"\(args[0])\""
            throw UsageError(message: what, help: VigilCommands.topHelp)
        }
        var inv = Invocation(command: command.path, flags: [:], positionals: [], help: false)
        var rest = Array(args.dropFirst(command.path.count))
        var onlyPositionals = false
        while !rest.isEmpty {
            let arg = rest.removeFirst()
            if onlyPositionals || !arg.hasPrefix("-") || arg == "-" {
                inv.positionals.append(arg)
                continue
            }
            if arg == "--" {
                onlyPositionals = true
                continue
            }
            if arg == "--help" || arg == "-h" {
                inv.help = true
                continue
            }
            var name = String(arg.drop { $0 == "-" })
            var value: String?
            if let eq = name.firstIndex(of: "=") {
                value = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            if command.boolFlags.contains(name) {
                if let v = value, v != "true" && v != "false" {
                    throw UsageError(message: "flag --\(name) takes no value, got \"\(v)\"", help: command.help)
                }
                inv.flags[name] = value ?? "true"
            } else if command.valueFlags.contains(name) {
                if value == nil {
                    guard !rest.isEmpty else {
                        throw UsageError(message: "flag --\(name) needs a value", help: command.help)
                    }
                    value = rest.removeFirst()
                }
                inv.flags[name] = value
            } else {
                throw UsageError(message: "unknown flag \"\(arg)\"", help: command.help)
            }
        }
        if inv.help { return inv }
        if inv.positionals.count < command.minPositionals {
            throw UsageError(message: "\(command.path.joined(separator: " ")): missing arguments", help: command.help)
        }
        if let max = command.maxPositionals, inv.positionals.count > max {
            throw UsageError(message: "\(command.path.joined(separator: " ")): unexpected argument "
                + "\"\(inv.positionals[max])\"", help: command.help)
        }
        return inv
    }

    /// The help text of `command` (the top-level help for an empty path).
    public func help(for command: [String]) -> String {
        commands.first { $0.path == command }?.help ?? VigilCommands.topHelp
    }
}
