import Netfilter

/// Options several commands declare alike.
enum CommonOptions {
    static let help = OptionDeclaration.flag("--help", aliases: ["-h"], help: "show this help")

    /// `--family`, with a command's own help.
    static func family(_ help: String = "ipv4, ipv6 or auto (default)") -> OptionDeclaration {
        OptionDeclaration("--family", placeholder: "F",
                          choices: OptionChoices(["ipv4", "ipv6", "auto"], noun: "family",
                                                 synonyms: ["4": "ipv4", "inet": "ipv4", "6": "ipv6", "inet6": "ipv6"]),
                          help: help)
    }

    /// `--lenient`, with a command's own help.
    static func lenient(_ help: String = "keep rules with unknown modules as opaque text") -> OptionDeclaration {
        OptionDeclaration.flag("--lenient", help: help)
    }

    static let assume = OptionDeclaration(
        "--assume", arity: .repeatable, placeholder: "M=true|false",
        help: "decide every undecidable use of match M (statistic, limit, ...) that way instead of following "
            + "both outcomes (repeatable)")

    /// `--format` with these formats.
    static func format(_ formats: [OutputFormat], help: String) -> OptionDeclaration {
        OptionDeclaration("--format", placeholder: "F",
                          choices: OptionChoices(formats.map(\.rawValue), noun: "format"), help: help)
    }

    /// `--hook`, one hook or (`list`) several.
    static func hook(list: Bool, help: String) -> OptionDeclaration {
        OptionDeclaration("--hook", arity: list ? .repeatable : .single, placeholder: "HOOK",
                          choices: OptionChoices(Hook.allCases.map(\.rawValue), noun: "hook"),
                          commaList: list, help: help)
    }

    /// The entry for `-` in an OPTIONS section.
    static let standardInput = HelpEntry(term: "-", help: "read standard input instead of a file")
}

/// The output formats of the commands; each command declares the ones it has.
enum OutputFormat: String, Sendable {
    case text, kernel, json, svg, dot, sarif, nft
}
