import Netfilter

/// `verdict completions bash|zsh|fish`: the shell completion script, made from the
/// commands' declarations.
enum CompletionsCommand {
    /// The shells there is a script for.
    enum Shell: String, CaseIterable {
        case bash, zsh, fish
    }

    static let declaration = CommandDeclaration(
        name: "completions", summary: "print a shell completion script (bash, zsh, fish)",
        help: CommandHelp(head: head, sections: [OptionSection("OPTIONS:", options: [CommonOptions.help])],
                          tail: tail),
        operands: .words(Shell.allCases.map(\.rawValue)), run: run)

    static let head = """
    USAGE: verdict completions bash|zsh|fish

    Prints a script that completes verdict's commands, options and their values in the
    shell: formats, hooks and other closed sets; the TABLE/CHAIN names of the rules file
    on the line for --chain; the devices of the snapshot folder on the line (or the
    interfaces its rules name) for -i, -o and --from; files and folders for operands.
    Values that depend on the line come from verdict itself (a hidden command the script
    calls), so the script stays right as verdict changes.
    """

    static let tail = """
    EXIT STATUS: 0 printed, 2 usage error.

    EXAMPLES:
      source <(verdict completions bash)                          # in ~/.bashrc
      verdict completions zsh > "${fpath[1]}/_verdict"             # then restart zsh
      verdict completions fish > ~/.config/fish/completions/verdict.fish
    """

    static func run(_ arguments: ParsedArguments) throws(UsageError) -> ExitStatus {
        let names = Shell.allCases.map(\.rawValue)
        guard arguments.operands.count == 1, let name = arguments.operands.first else {
            throw UsageError("give one shell: \(names.joined(separator: ", "))")
        }
        guard let shell = Shell(rawValue: name) else {
            throw UsageError(OptionChoices(names, noun: "shell").refusal(of: name))
        }
        let model = CompletionModel.current
        switch shell {
        case .bash: print(BashCompletion.script(model), terminator: "")
        case .zsh: print(ZshCompletion.script(model), terminator: "")
        case .fish: print(FishCompletion.script(model), terminator: "")
        }
        return .success
    }
}
