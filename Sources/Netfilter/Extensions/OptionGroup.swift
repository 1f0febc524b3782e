/// Options of an extension of which a call may give only one, or must give one, declared
/// with the extension as xtables' option tables declare them (`.excl`, and the checks of
/// its final_check). The parser checks every group; the extension's own check is left
/// what depends on values.
public struct OptionGroup: Sendable {
    public enum Rule: Sendable {
        /// One of the options, never two (`--set` or `--rcheck` or `--update` or `--remove`).
        case exactlyOne
        /// At most one (`--rsource` or `--rdest`, or neither).
        case atMostOne
        /// At least one (`--src-type`, `--dst-type` or both).
        case atLeastOne
    }

    public var rule: Rule
    /// The options' declared names (without `--`).
    public var options: [String]

    public static func exactlyOne(_ options: String...) -> OptionGroup {
        OptionGroup(rule: .exactlyOne, options: options)
    }

    public static func atMostOne(_ options: String...) -> OptionGroup {
        OptionGroup(rule: .atMostOne, options: options)
    }

    public static func atLeastOne(_ options: String...) -> OptionGroup {
        OptionGroup(rule: .atLeastOne, options: options)
    }

    /// What is wrong with the call's options for this group, in words; nil when nothing is.
    public func violation(in call: ExtensionCall) -> String? {
        let given = options.filter(call.has)
        if given.isEmpty && rule != .atMostOne {
            let names = options.map { "--" + $0 }
            return names.count == 2 ? "needs \(names[0]) or \(names[1])"
                : "needs one of \(names.dropLast().joined(separator: ", ")) or \(names[names.count - 1])"
        }
        if given.count > 1 && rule != .atLeastOne {
            let names = given.map { "--" + $0 }
            return "\(names.dropLast().joined(separator: ", ")) and \(names[names.count - 1]) cannot be combined"
        }
        return nil
    }
}
