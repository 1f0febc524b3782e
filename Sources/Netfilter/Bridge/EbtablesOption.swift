// The option tables of ebtables(8) (iptables/xtables-eb.c) and of its extensions
// (extensions/libebt_*.c), written down as data: the rule parser is driven by them.

/// One ebtables option: its spellings, the module it belongs to, its value and whether
/// `!` may negate it.
public struct EbtablesOption: Sendable, Hashable {
    /// The spellings, the one ebtables-save prints first (`--ip-src`, then `--ip-source`).
    public var names: [String]
    /// The module (`ip`, `arp`, `log`, ...); "" for ebtables' own options.
    public var module: String
    /// The value it takes; nil for a flag (`--arp-gratuitous`, `--log`).
    public var value: EbtablesValue?
    /// How many words the value is (`-c PACKETS BYTES` takes two).
    public var words: Int
    public var negatable: Bool

    public init(_ names: [String], module: String, _ value: EbtablesValue?, words: Int? = nil, negatable: Bool = true) {
        self.names = names
        self.module = module
        self.value = value
        self.words = words ?? (value == nil ? 0 : 1)
        self.negatable = negatable
    }

    /// The name the option is known by (its first spelling).
    public var name: String { names[0] }
}

/// A group of options ebtables loads together: a match, a watcher or a target, with the
/// Ethernet protocol its kernel module insists on (`-p IPv4` for ip, ...), how it reads its
/// options into its typed value, and what it needs of the rule.
public struct EbtablesModule: Sendable {
    public enum Kind: Sendable { case basic, match, watcher, target }
    /// A problem of a rule's options of this module: the message and the option it is at.
    typealias Problem = (message: String, option: EbtablesRule.WrittenOption)

    public var name: String
    public var kind: Kind
    public var options: [EbtablesOption]
    /// The `-p` values the module needs (not negated); empty: any frame.
    public var protocols: [UInt16]
    /// For a target: the table/chain pairs where the kernel lets it run; nil: everywhere.
    public var places: [(table: String, chain: String)]?
    /// For a target: the options of which it needs one (libebt_*.c final_check).
    public var required: [String]
    /// Reads the rule's options of this module into its value (nil: ebtables' own options,
    /// which are the rule's fields).
    let read: (@Sendable (EbtablesOptions) -> any EbtablesExtension)?
    /// Problems of the options together (ip's ports need --ip-proto tcp, ...).
    let validate: @Sendable (EbtablesOptions) -> [Problem]

    init(_ name: String, _ kind: Kind, protocols: [UInt16] = [], options: [EbtablesOption],
         places: [(table: String, chain: String)]? = nil, required: [String] = [],
         validate: @escaping @Sendable (EbtablesOptions) -> [Problem] = { _ in [] },
         read: (@Sendable (EbtablesOptions) -> any EbtablesExtension)?) {
        self.name = name
        self.kind = kind
        self.protocols = protocols
        self.places = places
        self.required = required
        self.validate = validate
        self.read = read
        self.options = options.map { option in
            var option = option
            option.module = name
            return option
        }
    }

    /// The options by each of their spellings.
    static let bySpelling: [String: EbtablesOption] = {
        var table: [String: EbtablesOption] = [:]
        for module in all {
            for option in module.options {
                for name in option.names { table[name] = option }
            }
        }
        return table
    }()

    public static func option(_ spelling: String) -> EbtablesOption? { bySpelling[spelling] }

    public static func named(_ name: String) -> EbtablesModule? { all.first { $0.name == name } }

    /// The table/chain pairs where the kernel lets a target run; nil: everywhere.
    public static func allowedPlaces(ofTarget name: String) -> [(table: String, chain: String)]? {
        named(name)?.places
    }
}
