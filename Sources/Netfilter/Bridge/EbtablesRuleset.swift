// ebtables(8); net/bridge/netfilter/ebtables.c and the ebt_* modules.

/// An ebtables rule set (`ebtables-save`, or the `ebtables -t TABLE -L` listings): the
/// bridge family's tables broute, nat and filter.
public struct EbtablesRuleset: Sendable, Hashable {
    public var tables: [EbtablesTable] = []
    /// Whether the rules live in nf_tables (`ebtables-nft-save` says so in its header):
    /// ebtables-nft registers the filter table's OUTPUT chain at NF_BR_PRI_FILTER_BRIDGED
    /// (-200), before nat OUTPUT (100); legacy ebtables at NF_BR_PRI_FILTER_OTHER (200),
    /// after it.
    public var isNFTables = false
    /// `#` lines after the last rule (ebtables-save's `# Completed on ...`).
    public var trailingComments: [String] = []

    public init(tables: [EbtablesTable] = []) { self.tables = tables }

    public func table(named name: String) -> EbtablesTable? { tables.first { $0.name == name } }
}

/// One ebtables table with its chains.
public struct EbtablesTable: Sendable, Hashable {
    public var name: String
    public var chains: [EbtablesChain]
    /// `#` lines before the table's `*TABLE` line.
    public var comments: [String] = []
    /// Whether the text closed the table with `COMMIT` (ebtables-save writes none).
    public var committed = false
    /// The line of its `*TABLE` (or `Bridge table:`) line.
    public var line = 0

    public init(name: String, chains: [EbtablesChain] = []) {
        self.name = name
        self.chains = chains
    }

    public func chain(named name: String) -> EbtablesChain? { chains.first { $0.name == name } }

    /// The built-in chains of each table.
    public static func builtinChains(of table: String) -> [String] {
        switch table {
        case "broute": return ["BROUTING"]
        case "nat": return ["PREROUTING", "OUTPUT", "POSTROUTING"]
        default: return ["INPUT", "FORWARD", "OUTPUT"]
        }
    }
}

/// An ebtables chain: its policy (ACCEPT, DROP, CONTINUE or RETURN) and its rules.
public struct EbtablesChain: Sendable, Hashable {
    public var name: String
    public var policy: String
    public var rules: [EbtablesRule]
    /// `#` lines before the chain's `:CHAIN POLICY` line.
    public var comments: [String] = []
    /// The line that declared it (0: only named by a rule); the policy's column there.
    public var line = 0
    public var policyColumn = 0

    public init(name: String, policy: String, rules: [EbtablesRule] = []) {
        self.name = name
        self.policy = policy
        self.rules = rules
    }
}

/// One ebtables rule: its own conditions (ebt_basic_match), its matches, its watchers (log,
/// nflog) and its target.
public struct EbtablesRule: Sendable, Hashable {
    /// A MAC address condition with its mask (`-s 02:42:ac:11:00:02/ff:ff:ff:ff:ff:ff`).
    public struct MACCondition: Sendable, Hashable {
        public var address: UInt64
        public var mask: UInt64
    }

    public var line: Int
    /// `-p`: an Ethernet protocol number (IPv4 is 0x0800, ARP 0x0806, IPv6 0x86DD).
    public var etherType: Negatable<UInt16>?
    public var inInterface: Negatable<InterfaceName>?
    public var outInterface: Negatable<InterfaceName>?
    public var logicalIn: Negatable<InterfaceName>?
    public var logicalOut: Negatable<InterfaceName>?
    public var sourceMAC: Negatable<MACCondition>?
    public var destinationMAC: Negatable<MACCondition>?
    /// The matches (`--ip-src ...`, `--among-src ...`), in the order the rule names them,
    /// each its module's typed value; an option verdict does not know (read leniently) is
    /// one too, a named condition.
    public var matches: [EbtablesExtensionValue] = []
    /// The watchers (log, nflog).
    public var watchers: [EbtablesExtensionValue] = []
    /// `ACCEPT`, `DROP`, `CONTINUE`, `RETURN`, a user chain, or an extension target
    /// (`mark`, `redirect`, `dnat`, `snat`, `arpreply`), whose value is `action`.
    public var target: String = "CONTINUE"
    public var action: EbtablesExtensionValue?
    /// The rule's options as written, tokens joined by one space (for traces).
    public var text: String = ""
    /// The rule's options as the text had them, after `-A CHAIN ` (a listing's line without
    /// its counters): what `verdict fmt` prints back.
    public var written: String = ""
    /// Counters before `-A` (`[0:0]`, ebtables-save -c), or a listing's `pcnt`/`bcnt` as such.
    public var counters: String?
    /// `#` lines before the rule.
    public var comments: [String] = []
    /// Each option as written, in order: its spelling, module and value, for validation.
    public var options: [WrittenOption] = []

    /// One option of the rule as written, and where.
    public struct WrittenOption: Sendable, Hashable {
        public var option: EbtablesOption
        public var values: [String]
        public var negated: Bool
        public var column: Int
        public var length: Int
    }

    public init(line: Int = 0) { self.line = line }
}
