/// Why an option's argument was refused, in words for the user.
public struct ValueError: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// The words an option takes (one or two), without allocating an array for each option.
public struct OptionArguments: Sendable {
    public var first: String
    public var second: String?

    public init(_ first: String, _ second: String? = nil) {
        self.first = first
        self.second = second
    }

    /// How many words there are.
    public var count: Int { second == nil ? 1 : 2 }

    public subscript(index: Int) -> String { index == 0 ? first : (second ?? "") }
}

/// What a value type knows while parsing: the dump's family.
public struct ValueContext: Sendable {
    public var family: Family
    public init(family: Family) { self.family = family }
}

/// How an option's argument is read from the command line and printed in save form.
/// Extensions declare their options with these, the way xtables declares XTTYPE_*.
public struct ValueType: Sendable {
    /// How many command-line words the option consumes.
    public enum Arity: Sendable, Hashable {
        /// A flag: no argument.
        case none
        /// Exactly one argument.
        case one
        /// Exactly two arguments (`--tcp-flags MASK COMP`, `--match-set NAME FLAGS`).
        case two
        /// One argument when the next word does not start with `-` or `!`.
        case optional
    }

    public var arity: Arity
    public var parse: @Sendable (_ arguments: OptionArguments, _ context: ValueContext) throws(ValueError) -> OptionValue
    public var print: @Sendable (_ value: OptionValue, _ writer: inout SaveWriter) -> Void
    /// The bytes iptables keeps of a longer argument (xtables' XTTYPE_STRING cuts it to its
    /// field, without a word): `parse` cuts it there and the reader warns.
    public var keepsBytes: Int? = nil
    /// Whether values repeat across a dump's rules (comments, set names) and are worth
    /// sharing: the reader looks the argument up among the texts seen before.
    public var repeats = false

    public init(arity: Arity,
                parse: @escaping @Sendable (_ arguments: OptionArguments, _ context: ValueContext) throws(ValueError) -> OptionValue,
                print: @escaping @Sendable (_ value: OptionValue, _ writer: inout SaveWriter) -> Void) {
        self.arity = arity
        self.parse = parse
        self.print = print
    }
}
