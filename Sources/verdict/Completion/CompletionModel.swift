/// What the completion scripts are made from: each command a user can type, with the
/// options it shows and what its operands are.
struct CompletionModel {
    /// A command as completion sees it.
    struct Command {
        let name: String
        let summary: String
        /// The options shown (hidden ones are left out).
        let options: [OptionDeclaration]
        let operands: ValueCompletion

        /// A name fit for a shell function ("fmt", "completions").
        var functionName: String {
            String(name.map { $0.isLetter || $0.isNumber ? $0 : "_" })
        }
    }

    let program: String
    let commands: [Command]

    /// verdict's commands, and `help` with the command names as its operand.
    static var current: CompletionModel {
        let commands = VerdictCommand.commands.map {
            Command(name: $0.name, summary: $0.summary, options: $0.options.filter { !$0.hidden },
                    operands: $0.operands)
        }
        let help = Command(name: "help", summary: VerdictCommand.helpSummary, options: [],
                           operands: .words(commands.map(\.name)))
        return CompletionModel(program: "verdict", commands: commands + [help])
    }
}

extension ValueCompletion {
    /// The name `verdict __complete` knows a value by when it is computed from the line.
    var dynamicKind: String? {
        switch self {
        case .chains: return CompleteCommand.Kind.chains.rawValue
        case .tables: return CompleteCommand.Kind.tables.rawValue
        case .interfaces: return CompleteCommand.Kind.interfaces.rawValue
        case .interfacesOrLocal: return CompleteCommand.Kind.interfacesOrLocal.rawValue
        case .none, .words, .paths: return nil
        }
    }
}

extension OptionDeclaration {
    /// The help cut to its first clause, for the short descriptions shells show.
    var summary: String {
        if let choices, choices.reference == nil { return "\(choices.noun): " + choices.values.joined(separator: ", ") }
        var text = help
        for stop in ["; ", ": ", " ("] {
            if let range = text.range(of: stop) { text = String(text[..<range.lowerBound]) }
        }
        return text.count > 70 ? String(text.prefix(67)) + "..." : text
    }
}
