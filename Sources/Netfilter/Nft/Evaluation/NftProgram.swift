// net/netfilter/nf_tables_api.c (nf_tables_register_hook: a base chain's hook at its
// priority), net/netfilter/core.c (nf_hook_entries_grow: hooks in priority order, a new one
// before those of equal priority), net/netfilter/nf_nat_core.c and nft_chain_nat.c (nat
// chains are not hooks of their own: nf_nat registers one hook at NF_IP_PRI_NAT_DST or
// NAT_SRC and runs the nat chains from it, in their own priority order).

/// An nft ruleset ready to walk: each table's chains and sets by name, and each hook's base
/// chains in the order the kernel runs them.
public struct NftProgram: Sendable {
    /// One table, its chains and named sets looked up by name.
    struct Table: Sendable {
        let table: NftTable
        let chains: [String: NftChain]
        let sets: [String: NftSet]

        init(_ table: NftTable) {
            self.table = table
            chains = Dictionary(table.chains.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            sets = Dictionary(table.sets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// A base chain registered at a hook: its table, its chain and its place in the order.
    public struct BaseChain: Sendable {
        let table: Int
        public let chain: NftChain
        public let base: NftBaseChain
        /// The priority it runs at: its own, or nf_nat's for a nat chain.
        public let position: Int
        /// Its own priority (a nat chain's order among the nat chains).
        public let priority: Int
        public var isNAT: Bool { base.type == "nat" }
    }

    let tables: [Table]
    /// What the kernel's conntrack sees of the ruleset: whether a rule reads or changes a
    /// connection, or a nat chain needs one (nft then loads nf_conntrack for the namespace).
    public let tracksConnections: Bool

    public init(_ ruleset: NftRuleset) {
        tables = ruleset.tables.map(Table.init)
        tracksConnections = ruleset.tables.contains { table in
            table.chains.contains { chain in
                chain.base?.type == "nat"
                    || chain.rules.contains { rule in rule.statements.contains(where: Self.usesConntrack) }
            }
        }
    }

    private static func usesConntrack(_ statement: NftStatement) -> Bool {
        switch statement {
        case .match(let relation): return reads(relation.left)
        case .set(let target, let value): return reads(target) || reads(value)
        case .verdictMap(let key, _): return reads(key)
        case .nat, .notrack: return true
        default: return false
        }
    }

    private static func reads(_ expression: NftExpression) -> Bool {
        switch expression {
        case .ct: return true
        case .binary(_, let left, let right): return reads(left) || reads(right)
        case .concatenation(let parts): return parts.contains(where: reads)
        case .map(let key, _): return reads(key)
        default: return false
        }
    }

    /// nf_nat's hook priorities: destination NAT at PREROUTING and OUTPUT, source NAT at
    /// INPUT and POSTROUTING.
    static func natPriority(at hook: Hook) -> Int { hook.natRewritesDestination ? -100 : 100 }

    /// The base chains a packet of `family` meets at an IP hook, in the order they run: by
    /// priority (nat chains at nf_nat's), then by their own priority, then the last listed
    /// first (nft registers them in the listing's order, and the kernel puts a hook before
    /// those of equal priority registered earlier: seen with nft monitor trace).
    public func baseChains(at hook: Hook, family: Family) -> [BaseChain] {
        var found: [(chain: BaseChain, order: Int)] = []
        for (index, table) in tables.enumerated() where Self.sees(table.table.family, family) {
            for chain in table.table.chains {
                guard let base = chain.base, base.hook == hook.rawValue.lowercased(),
                      let priority = base.priority.value(in: table.table.family) else { continue }
                let position = base.type == "nat" ? Self.natPriority(at: hook) : priority
                found.append((BaseChain(table: index, chain: chain, base: base, position: position,
                                        priority: priority), found.count))
            }
        }
        return found.sorted { a, b in
            (a.chain.position, a.chain.priority, -a.order) < (b.chain.position, b.chain.priority, -b.order)
        }.map(\.chain)
    }

    /// Whether a table of this family has base chains for packets of that family.
    static func sees(_ table: NftFamily, _ family: Family) -> Bool {
        switch table {
        case .inet: return true
        case .ip: return family == .ipv4
        case .ip6: return family == .ipv6
        case .bridge, .arp, .netdev: return false
        }
    }

    /// The device names the rules test (`iifname "eth0"`), for witnesses that name real devices.
    public var interfaceNames: [String] {
        var names: [String] = []
        for table in tables {
            for chain in table.table.chains {
                for rule in chain.rules {
                    for case .match(let relation) in rule.statements {
                        guard let selector = NftSelector(relation.left), selector.kind == .interface else { continue }
                        var words: [String] = []
                        switch relation.right {
                        case .value(let word): words = [word]
                        case .set(let elements):
                            words = elements.compactMap { if case .value(let word) = $0.key { word } else { nil } }
                        default: break
                        }
                        for word in words {
                            guard let name = NftValues.interfaceName(word), !name.isWildcard,
                                  !names.contains(name.text) else { continue }
                            names.append(name.text)
                        }
                    }
                }
            }
        }
        return names
    }
}
