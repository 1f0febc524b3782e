/// A command of `verdict`: its name, one-line summary, help (with its options) and what
/// runs it, declared once for the dispatcher, `verdict help` and the completion scripts.
struct CommandDeclaration: Sendable {
    /// What runs a command on its parsed arguments; a `UsageError` is printed by the dispatcher.
    typealias Runner = @Sendable (ParsedArguments) throws(UsageError) -> ExitStatus

    let name: String
    let summary: String
    let help: CommandHelp
    /// What a shell offers for the operands.
    let operands: ValueCompletion
    let run: Runner

    /// Every option the command takes, `-h/--help` included.
    var options: [OptionDeclaration] { help.sections.flatMap(\.options) }

    var parser: ArgumentParser { ArgumentParser(options) }
}
