/// The text `nft list ruleset` prints, as a tree: its tables in order.
public struct NftRuleset: Sendable, Hashable {
    public var tables: [NftTable]

    public init(tables: [NftTable] = []) { self.tables = tables }
}

/// The address families of nftables tables.
public enum NftFamily: String, Sendable, Hashable, CaseIterable {
    case ip, ip6, inet, bridge, arp, netdev
}

/// An nftables table: its family, name, flags and comment, and what it holds (chains, sets and
/// maps, and objects kept as written), in the order listed.
public struct NftTable: Sendable, Hashable {
    public var family: NftFamily
    public var name: String
    /// `flags dormant` and the like, as listed.
    public var flags: [String]
    /// The table's `comment "..."`, its text without quotes.
    public var comment: String?
    public var members: [NftTableMember]
    public var location: SourceLocation

    public init(family: NftFamily, name: String, flags: [String] = [], comment: String? = nil,
                members: [NftTableMember] = [], location: SourceLocation = .unknown) {
        self.family = family
        self.name = name
        self.flags = flags
        self.comment = comment
        self.members = members
        self.location = location
    }

    /// The table's chains, in order.
    public var chains: [NftChain] {
        members.compactMap { if case .chain(let chain) = $0 { chain } else { nil } }
    }

    /// The table's named sets and maps, in order.
    public var sets: [NftSet] {
        members.compactMap { if case .set(let set) = $0 { set } else { nil } }
    }
}

/// What a table holds.
public enum NftTableMember: Sendable, Hashable {
    case chain(NftChain)
    case set(NftSet)
    /// A block not modelled yet (a flowtable, a named counter, quota or limit, a ct helper, ...),
    /// kept as its lines.
    case block(NftBlock)
}

/// A block kept as written: its header line (`flowtable f {`) and the lines inside it as
/// written (indentation included, line ending not).
public struct NftBlock: Sendable, Hashable {
    /// The header without the opening brace, such as `flowtable f` or `counter c`.
    public var header: String
    public var lines: [String]
    public var location: SourceLocation

    public init(header: String, lines: [String], location: SourceLocation = .unknown) {
        self.header = header
        self.lines = lines
        self.location = location
    }

    /// The first word of the header: the kind of object (`flowtable`, `counter`, `ct`, ...).
    public var kind: String { String(header.split(separator: " ").first ?? "") }
}
