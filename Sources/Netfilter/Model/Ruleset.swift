/// A whole `iptables-save` / `ip6tables-save` dump: its tables in file order.
public struct Ruleset: Sendable, Hashable {
    public var family: Family
    public var tables: [Table]
    /// Comment and blank lines after the last table.
    public var trailingTrivia: [Comment]
    /// The file's line ending: `\n`, or `\r\n` for dumps that went through Windows.
    public var lineEnding: String
    /// How the last line ends: usually `lineEnding`, but a file may end without a line
    /// ending or with a different one.
    public var finalLineEnding: String
    /// The iptables-save version style the dump was written in (from its header comment).
    public var style: SaveStyle

    public init(family: Family, tables: [Table] = []) {
        self.family = family
        self.tables = tables
        trailingTrivia = []
        lineEnding = "\n"
        finalLineEnding = "\n"
        style = .current
    }

    /// The table with this name.
    public func table(named name: String) -> Table? { tables.first { $0.name == name } }

    /// The number of rules in all tables.
    public var ruleCount: Int { tables.reduce(0) { $0 + $1.chains.reduce(0) { $0 + $1.rules.count } } }
}
