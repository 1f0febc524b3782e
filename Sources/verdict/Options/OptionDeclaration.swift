/// One option of a command, declared once: its spellings, how it takes values, the values
/// it accepts and its help. Parsing, the help's OPTIONS sections, usage errors and shell
/// completions are all made from these declarations.
struct OptionDeclaration: Sendable {
    /// How an option takes values.
    enum Arity: Sendable {
        /// No value: given or not.
        case flag
        /// One value; given again, the last one counts.
        case single
        /// One value each time, every one kept.
        case repeatable
    }

    /// The canonical spelling, under which the parsed values are kept ("--source").
    let name: String
    /// The other spellings ("-s").
    let aliases: [String]
    let arity: Arity
    /// What the value is, for help and errors ("ADDR"); empty for a flag.
    let placeholder: String
    /// The closed set of values the option takes, checked while parsing; nil when any value goes.
    let choices: OptionChoices?
    /// Whether a `!` may come before the option or its value (`! -s 10.0.0.0/8`, `-s ! 10.0.0.0/8`).
    let negatable: Bool
    /// Whether a value may be a comma list of values ("INPUT,FORWARD"), kept one by one.
    let commaList: Bool
    /// What a shell offers for the value.
    let completion: ValueCompletion
    /// One line of help, wrapped in the OPTIONS section.
    let help: String
    /// Accepted but neither shown in help nor offered by completions: an option that is
    /// there to be refused with a reason.
    let hidden: Bool

    init(_ name: String, aliases: [String] = [], arity: Arity = .single, placeholder: String = "",
         choices: OptionChoices? = nil, negatable: Bool = false, commaList: Bool = false,
         completion: ValueCompletion = .none, help: String, hidden: Bool = false) {
        self.name = name
        self.aliases = aliases
        self.arity = arity
        self.placeholder = arity == .flag ? "" : placeholder
        self.choices = choices
        self.negatable = negatable
        self.commaList = commaList
        self.completion = choices.map { .words($0.values) } ?? completion
        self.help = help
        self.hidden = hidden
    }

    /// A flag: an option without a value.
    static func flag(_ name: String, aliases: [String] = [], help: String, hidden: Bool = false) -> OptionDeclaration {
        OptionDeclaration(name, aliases: aliases, arity: .flag, help: help, hidden: hidden)
    }

    /// Every spelling, the canonical one first.
    var spellings: [String] { [name] + aliases }

    /// The spellings as help shows them: short ones first ("-s, --source").
    var displaySpellings: [String] {
        spellings.filter { !$0.hasPrefix("--") } + spellings.filter { $0.hasPrefix("--") }
    }

    var takesValue: Bool { arity != .flag }

    /// The same option, accepted but not shown.
    func hiding() -> OptionDeclaration {
        OptionDeclaration(name, aliases: aliases, arity: arity, placeholder: placeholder, choices: choices,
                          negatable: negatable, commaList: commaList, completion: completion, help: help, hidden: true)
    }
}

/// What a shell completes for an option's value or a command's operands.
enum ValueCompletion: Sendable, Equatable {
    /// Nothing verdict can guess (an address, a number).
    case none
    /// These words.
    case words([String])
    /// Files and folders.
    case paths
    /// The TABLE/CHAIN names of the rules file or snapshot on the line.
    case chains
    /// The tables of the rules file or snapshot on the line.
    case tables
    /// The devices of the snapshot on the line, or the interface names its rules use.
    case interfaces
    /// Those devices, and `local`.
    case interfacesOrLocal
}
