// net/ipv4/netfilter/ip_tables.c (translate_table, mark_source_chains): the kernel
// resolves chain names to offsets once, at load; the walk then follows offsets.

/// A table prepared for evaluation: chain names resolved to positions, jump targets to
/// chains, each rule's trace type precomputed, and long chains indexed by the exact
/// destination their rules require. Built once per ruleset and shared by every walk
/// (a class, so that walks never copy it).
public final class CompiledTable: Sendable {
    public let name: String
    let chains: [CompiledChain]
    /// Every chain's rules, chain after chain (a chain's rules start at its `firstRule`).
    let rules: ContiguousArray<CompiledRule>
    /// Chain positions by name (the first declaration wins, as in the table).
    let positions: [String: Int]

    /// Chains shorter than this are walked rule by rule even without a trace.
    static let indexThreshold = 32

    /// `indexesLongChains`: false walks every rule one by one, as the kernel does (the
    /// reference the index is tested against).
    public init(_ table: Table, indexesLongChains: Bool = true) {
        name = table.name
        var positions: [String: Int] = [:]
        for (position, chain) in table.chains.enumerated() where positions[chain.name] == nil {
            positions[chain.name] = position
        }
        self.positions = positions
        let builtinNames = Set(table.builtinChainNames)
        var rules = ContiguousArray<CompiledRule>()
        rules.reserveCapacity(table.chains.reduce(0) { $0 + $1.rules.count })
        var chains: [CompiledChain] = []
        for chain in table.chains {
            let isBuiltin = builtinNames.contains(chain.name)
            let compiled = chain.rules.map { CompiledRule($0, isBuiltin: isBuiltin, positions: positions) }
            chains.append(CompiledChain(name: chain.name, isBuiltin: isBuiltin, policy: chain.policy == .drop ? .drop : .accept,
                                        firstRule: rules.count, ruleCount: compiled.count,
                                        index: indexesLongChains && compiled.count >= Self.indexThreshold ? DestinationIndex(compiled) : nil,
                                        hook: isBuiltin ? Hook(rawValue: chain.name) : nil))
            rules.append(contentsOf: compiled)
        }
        self.chains = chains
        self.rules = rules
    }

    /// The position of the chain with this name.
    func position(of chainName: String) -> Int? { positions[chainName] }
}

/// A chain of a compiled table.
struct CompiledChain: Sendable {
    let name: String
    let isBuiltin: Bool
    /// The policy of a built-in chain (ACCEPT for user chains, never used there).
    let policy: StandardVerdict
    /// Where the chain's rules start in the table's rule array, and how many there are.
    let firstRule: Int
    let ruleCount: Int
    let index: DestinationIndex?
    /// The hook of a built-in chain (its name), nil for user chains.
    let hook: Hook?
}

/// A rule's target with chain names resolved.
enum CompiledTarget: Sendable {
    case none
    case verdict(StandardVerdict)
    case jump(Int, name: String)
    case goto(Int, name: String)
    /// A jump or goto to a chain the table does not have (the validator reports it).
    case undefined(String)
    case `extension`(ExtensionCall)
}

/// A rule of a compiled table.
struct CompiledRule: Sendable {
    /// The header as written, to explain a failure.
    let header: HeaderMatch
    /// The header prepared for quick decisions.
    let fastHeader: CompiledHeader
    let matches: [ExtensionCall]
    let target: CompiledTarget
    /// The text of a rule kept without being understood (`--lenient`); nil otherwise.
    let opaqueText: String?
    /// How the kernel's TRACE prints this rule when it matches: `rule`, or `policy` /
    /// `return` for an unconditional verdict rule (get_chainname_rulenum).
    let kernelType: String
    /// What an extension target does to the fields the packet-set walk follows (`.none`
    /// for the other targets).
    let action: SymbolicAction

    init(_ rule: Rule, isBuiltin: Bool, positions: [String: Int]) {
        header = rule.header
        fastHeader = CompiledHeader(rule.header)
        matches = rule.matches
        opaqueText = rule.opaqueText
        switch rule.target {
        case .none: target = .none
        case .verdict(let verdict): target = .verdict(verdict)
        case .jump(let name): target = positions[name].map { .jump($0, name: name) } ?? .undefined(name)
        case .goto(let name): target = positions[name].map { .goto($0, name: name) } ?? .undefined(name)
        case .extension(let call): target = .extension(call)
        }
        if case .extension(let call) = rule.target { action = SymbolicAction(call) } else { action = .none }
        if rule.isUnconditionalVerdict {
            kernelType = isBuiltin ? "policy" : "return"
        } else {
            kernelType = "rule"
        }
    }
}

/// A long chain's rules by the exact destination they require (`-d ADDR/32` or `/128`
/// without `!`): a packet with a known destination can only match its own key's rules
/// and the others.
struct DestinationIndex: Sendable {
    private var positions = KeyedPositions<IPAddress>()
    /// Every indexed destination, in the packet-set algebra's encoding.
    let destinations: IntervalSet
    /// Whether the walk splits packets with open destinations by the indexed ones at the
    /// chain's start (worth it with many of them, as kube-proxy's service chains have).
    let splitsOpenDestinations: Bool

    init(_ rules: [CompiledRule]) {
        for (position, rule) in rules.enumerated() {
            var key: IPAddress?
            if rule.opaqueText == nil, let destination = rule.header.destination, !destination.negated,
               destination.value.prefixLength == (destination.value.address.family == .ipv4 ? 32 : 128) {
                key = destination.value.address
            }
            positions.append(position, key: key)
        }
        destinations = IntervalSet(intervals: positions.byKey.keys.map { key in
            let value = RuleSpace.value(of: key)
            return IntervalSet.Interval(value, value)
        })
        splitsOpenDestinations = positions.byKey.count >= 16
    }

    /// The first rule at or after `position` that the destination can match (`end` if none);
    /// nil destination: a destination none of the indexed rules requires.
    func next(from position: Int, destination: IPAddress?, end: Int) -> Int {
        positions.next(from: position, key: destination, end: end)
    }
}
