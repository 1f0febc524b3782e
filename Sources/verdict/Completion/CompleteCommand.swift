import Foundation
import Netfilter

/// `verdict __complete KIND COMMAND WORDS...`, hidden: the values a completion script
/// cannot know by itself, computed from the command line (its words, the value being
/// completed included, so that options keep their values), one a line. Prints nothing
/// when the line names nothing readable.
enum CompleteCommand {
    static let name = "__complete"

    /// What is asked for.
    enum Kind: String, CaseIterable {
        /// TABLE/CHAIN of the rules file or snapshot on the line.
        case chains
        /// Its tables.
        case tables
        /// The devices of the snapshot on the line, or the interfaces its rules name.
        case interfaces
        /// Those, and `local`.
        case interfacesOrLocal = "interfaces-or-local"
    }

    static func run(_ words: [String]) -> ExitStatus {
        guard let first = words.first, let kind = Kind(rawValue: first) else {
            let kinds = Kind.allCases.map(\.rawValue).joined(separator: ", ")
            printError("verdict \(name): give what to complete (\(kinds)), then the command line's words")
            return .usage
        }
        let line = joinedAtEquals(Array(words.dropFirst()))
        guard let commandName = line.first,
              let command = VerdictCommand.commands.first(where: { $0.name == commandName }) else { return .success }
        let operands = (try? command.parser.parse(Array(line.dropFirst()), tolerant: true).operands) ?? []
        for value in values(kind, operands: operands) { print(value) }
        return .success
    }

    /// The words with bash's split of `--x=V` (`--x`, `=`, `V`) joined again.
    static func joinedAtEquals(_ words: [String]) -> [String] {
        var joined: [String] = []
        var index = 0
        while index < words.count {
            if words[index] == "=", let last = joined.last, last.hasPrefix("-") {
                let value = index + 1 < words.count ? words[index + 1] : ""
                joined[joined.count - 1] = last + "=" + value
                index += 2
                continue
            }
            joined.append(words[index])
            index += 1
        }
        return joined
    }

    /// The values of a kind from the first operand that is a rules file or a snapshot folder.
    static func values(_ kind: Kind, operands: [String]) -> [String] {
        guard let source = operands.lazy.compactMap(CompletionSource.init(path:)).first else {
            return kind == .interfacesOrLocal ? ["local"] : []
        }
        switch kind {
        case .chains: return source.chains
        case .tables: return source.tables
        case .interfaces: return source.interfaces
        case .interfacesOrLocal: return source.interfaces + ["local"]
        }
    }
}
