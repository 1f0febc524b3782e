import Netfilter

/// The top-level command: dispatches to subcommands and prints help.
enum VerdictCommand {
    static let version = "0.1.0"

    static let commands: [(name: String, summary: String, help: String, run: @Sendable ([String]) -> ExitStatus)] = [
        ("check", "parse and validate rule dumps like the kernel would", CheckCommand.help, CheckCommand.run),
        ("fmt", "print a dump in canonical iptables-save form", FormatCommand.help, FormatCommand.run),
        ("trace", "walk a described packet through the rules, as the kernel does", TraceCommand.help, TraceCommand.run),
        ("flow", "follow a request and its reply through a host snapshot", FlowCommand.help, FlowCommand.run),
        ("lint", "find what is wrong with a rule set (Docker's above all)", LintCommand.help, LintCommand.run),
        ("diff", "which packets two rulesets treat differently, exactly", DiffCommand.help, DiffCommand.run),
        ("test", "check packets against expectation files; --record writes them", TestCommand.help, TestCommand.run),
        ("graph", "draw the chains and their jumps (svg, dot)", GraphCommand.help, GraphCommand.run),
    ]

    static var overview: String {
        var text = """
        verdict \(version): what does this host's firewall do to this packet, and why?

        USAGE: verdict COMMAND [OPTIONS] FILE...

        COMMANDS:

        """
        for command in commands {
            text += "  " + command.name.padding(toLength: 8, withPad: " ", startingAt: 0) + command.summary + "\n"
        }
        text += """
          help    show help for a command (verdict help check)

        Files are iptables-save or ip6tables-save dumps; '-' reads standard input.
        Exit status: 0 clean, 1 findings (errors or warnings in the input), 2 usage or unreadable input.

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
        switch first {
        case "-h", "--help":
            print(overview)
            return .success
        case "--version", "-V":
            print("verdict \(version)")
            return .success
        case "help":
            guard arguments.count > 1 else {
                print(overview)
                return .success
            }
            guard let command = commands.first(where: { $0.name == arguments[1] }) else {
                printError("verdict: no command '\(arguments[1])'; commands are \(commands.map(\.name).joined(separator: ", "))")
                return .usage
            }
            print(command.help)
            return .success
        default:
            guard let command = commands.first(where: { $0.name == first }) else {
                printError("verdict: unknown command '\(first)'. Run 'verdict --help' for the list.")
                return .usage
            }
            let rest = Array(arguments.dropFirst())
            if rest.contains("--help") || rest.contains("-h") {
                print(command.help)
                return .success
            }
            return command.run(rest)
        }
    }
}
