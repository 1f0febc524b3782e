import Netfilter

/// The top-level command: dispatches to subcommands, prints help and every usage error.
enum VerdictCommand {
    static let version = "0.1.0"

    /// The commands, in the order help lists them.
    static let commands: [CommandDeclaration] = [
        CheckCommand.declaration, FormatCommand.declaration, TraceCommand.declaration, FlowCommand.declaration,
        LintCommand.declaration, DiffCommand.declaration, ReachCommand.declaration, TestCommand.declaration, GraphCommand.declaration,
        CompletionsCommand.declaration,
    ]

    /// What `help` is, for the overview and completions.
    static let helpSummary = "show help for a command (verdict help check)"

    /// The options given before any command.
    static let topLevelOptions = ["--help", "-h", "--version", "-V"]

    static var overview: String {
        let width = commands.map(\.name.count).max().map { $0 + 2 } ?? 8
        var text = """
        verdict \(version): what does this host's firewall do to this packet, and why?

        USAGE: verdict COMMAND [OPTIONS] FILE...

        COMMANDS:

        """
        for (name, summary) in commands.map({ ($0.name, $0.summary) }) + [("help", helpSummary)] {
            text += "  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + summary + "\n"
        }
        text += """

        Files are iptables-save or ip6tables-save dumps; '-' reads standard input.
        Exit status: 0 clean, 1 findings (errors or warnings in the input), 2 usage or unreadable input.
        Shell completion: verdict completions bash|zsh|fish (see verdict help completions).

        EXAMPLES:
          verdict check rulesets/docker-default/iptables.rules
          iptables-save | verdict fmt -
          verdict trace rulesets/docker-default/iptables.rules --hook FORWARD -p tcp -s 172.17.0.2 -d 8.8.8.8 \\
              --sport 40000 --dport 443 -i docker0 -o eth0 --ctstate NEW
        """
        return text
    }

    static func run(_ arguments: [String]) -> ExitStatus {
        guard let first = arguments.first else {
            printError(overview)
            return .usage
        }
        let rest = Array(arguments.dropFirst())
        switch first {
        case "-h", "--help":
            print(overview)
            return .success
        case "--version", "-V":
            print("verdict \(version)")
            return .success
        case CompleteCommand.name:
            return CompleteCommand.run(rest)
        case "help":
            guard let name = rest.first else {
                print(overview)
                return .success
            }
            guard let command = command(named: name) else { return .usage }
            print(command.help.text)
            return .success
        default:
            guard let command = command(named: first) else { return .usage }
            if rest.contains("--help") || rest.contains("-h") {
                print(command.help.text)
                return .success
            }
            return run(command, rest)
        }
    }

    /// Runs a command on its words; a usage error is printed here, as `verdict COMMAND: message`.
    static func run(_ command: CommandDeclaration, _ words: [String]) -> ExitStatus {
        do throws(UsageError) {
            return try command.run(command.parser.parse(words))
        } catch {
            let help = error.showsHelp ? "\n\n" + command.help.text : ""
            printError("verdict \(command.name): \(error.message)" + help)
            return .usage
        }
    }

    /// The command with this name; nil after saying there is none, with the closest name.
    static func command(named name: String) -> CommandDeclaration? {
        if let command = commands.first(where: { $0.name == name }) { return command }
        let isOption = ArgumentParser.looksLikeOption(name)
        let candidates = isOption ? topLevelOptions.filter { $0.hasPrefix("--") } : commands.map(\.name) + ["help"]
        let hint = Suggestion.closest(to: name, among: candidates).map { "; did you mean '\($0)'?" }
        printError("verdict: unknown \(isOption ? "option" : "command") '\(name)'"
                   + (hint ?? "; run 'verdict --help' for the list"))
        return nil
    }
}
