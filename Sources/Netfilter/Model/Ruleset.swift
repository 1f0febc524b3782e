/// A whole `iptables-save` / `ip6tables-save` dump: its tables in file order.
public struct Ruleset: Sendable, Hashable {
    public var family: Family
    public var tables: [Table]
    /// Comment and blank lines after the last table.
    public var trailingTrivia: [Comment]
    /// The file's line ending: `\n`, or `\r\n` for dumps that went through Windows.
    public var lineEnding: String

    public init(family: Family, tables: [Table] = []) {
        self.family = family
        self.tables = tables
        trailingTrivia = []
        lineEnding = "\n"
    }

    /// The table with this name.
    public func table(named name: String) -> Table? { tables.first { $0.name == name } }

    /// The number of rules in all tables.
    public var ruleCount: Int { tables.reduce(0) { $0 + $1.chains.reduce(0) { $0 + $1.rules.count } } }
}
