/// One rules file a lint run reads.
public struct LintInput: Sendable {
    /// The name findings use (`rules.v4`, `snapshot/iptables.rules`).
    public var file: String
    public var ruleset: Ruleset

    public init(file: String, ruleset: Ruleset) {
        self.file = file
        self.ruleset = ruleset
    }
}

/// Everything lints look at: the rule sets (IPv4 and, from a snapshot, IPv6), the host
/// snapshot when there is one, and Docker's layout when the rules are Docker's.
public struct LintContext: Sendable {
    public var inputs: [LintInput]
    /// The nft rulesets (nft text given, or a snapshot's nft.rules).
    public var nftInputs: [NftLintInput]
    public var snapshot: HostSnapshot?
    /// Docker's chains and networks, recognised in the IPv4 rules.
    public var docker: DockerLayout?
    /// With a snapshot of a Docker host: who reaches what there, IPv4 (`verdict reach`'s
    /// matrix, without witnesses); the Docker lints that ask who reaches a port read it.
    /// Computed when one of them first asks, so that a run without them does not pay for it.
    public var reach: ReachMatrix? { reachMatrix?.value }
    private let reachMatrix: Concurrently.Once<ReachMatrix>?

    public init(inputs: [LintInput], nft: [NftLintInput] = [], snapshot: HostSnapshot? = nil) {
        self.inputs = inputs
        nftInputs = nft
        self.snapshot = snapshot
        docker = inputs.first { $0.ruleset.family == .ipv4 }.flatMap { DockerLayout(ruleset: $0.ruleset) }
        if var host = snapshot, docker != nil, let rules = inputs.first(where: { $0.ruleset.family == .ipv4 }) {
            host.ruleset = rules.ruleset
            reachMatrix = Concurrently.Once { [host] in
                ReachMatrix.compute(HostPath(host), family: .ipv4, witnesses: false)
            }
        } else {
            reachMatrix = nil
        }
    }

    /// The IPv4 input, if any.
    public var ipv4: LintInput? { inputs.first { $0.ruleset.family == .ipv4 } }
    /// The IPv6 input, if any.
    public var ipv6: LintInput? { inputs.first { $0.ruleset.family == .ipv6 } }

    /// Where a rule stood, with its table/chain and number.
    public func location(_ input: LintInput, _ table: Table, _ chain: Chain, rule index: Int) -> LintLocation {
        LintLocation(file: input.file, position: chain.rules[index].location, chain: "\(table.name)/\(chain.name)", ruleNumber: index + 1)
    }

    /// Where a chain was declared.
    public func location(_ input: LintInput, _ table: Table, _ chain: Chain) -> LintLocation {
        LintLocation(file: input.file, position: chain.location == .unknown ? table.location : chain.location,
                     chain: "\(table.name)/\(chain.name)")
    }

    /// Calls `body` for every chain of every input.
    public func forEachChain(_ body: (LintInput, Table, Chain) -> Void) {
        for input in inputs {
            for table in input.ruleset.tables {
                for chain in table.chains { body(input, table, chain) }
            }
        }
    }

    /// Whether a tool that maintains its own chains (Docker, kube-proxy, ufw, firewalld,
    /// fail2ban, sshguard, libvirt, Calico, OpenWrt's fw3, Shorewall) owns this chain:
    /// placeholders (empty chains, chains referenced only once configured) are by design there.
    public static func isManaged(_ chainName: String) -> Bool {
        if managedPrefixes.contains(where: chainName.hasPrefix) { return true }
        // Shorewall's chain for `shorewall drop/reject` at run time.
        if chainName == "dynamic" { return true }
        // firewalld (INPUT_direct, IN_public_allow, FWDI_public_deny, PRE_public_log, ...) and
        // OpenWrt's hooks for the user's own rules (input_rule, forwarding_wan_rule, ...).
        return managedSuffixes.contains(where: chainName.hasSuffix)
    }

    private static let managedPrefixes = [
        "DOCKER", "KUBE-", "ufw-", "ufw6-", "f2b-", "fail2ban-", "LIBVIRT_", "cali-", "CNI-", "FLANNEL-",
        "WEAVE", "CILIUM_", "ts-", "nat_reflection", "sshguard",
        // OpenWrt fw2's hooks for the user's own rules (input_lan, forwarding_wan, ...)
        "input_", "output_", "forwarding_", "prerouting_", "postrouting_",
    ]

    private static let managedSuffixes = [
        "_direct", "_allow", "_deny", "_log", "_pre", "_post", "_ZONES", "_ZONES_SOURCE", "_rule", "_notrack", "_MSSFIX",
    ]
}

extension RuleTarget {
    /// Whether a matching packet leaves the chain here for good (a verdict, RETURN, a goto,
    /// or a target the kernel ends the table with: REJECT, DNAT, SNAT, MASQUERADE, ...).
    public var endsChainWalk: Bool {
        switch self {
        case .verdict, .goto: return true
        case .none, .jump: return false
        case .extension(let call): return call.traits.contains(.endsWalk)
        }
    }

    /// Whether the target changes a field the packet-class algebra models (the mark, the
    /// connmark, the conntrack state), so that later rules see other values.
    public var rewritesModelledFields: Bool {
        traits.contains(.rewritesModelledFields)
    }
}

extension Rule {
    /// No condition at all: only comments besides the target.
    public var isUnconditional: Bool {
        !isOpaque && header.isUnconditional && matches.allSatisfy { $0.traits.contains(.annotates) }
    }

    /// The rule's text after the chain name, for messages.
    public func text(family: Family) -> String { opaqueText ?? SavePrinter.ruleText(self, family: family) }
}

extension Table {
    /// The names of chains whose walk can rewrite a modelled field (their own rules or a
    /// chain they jump or go to).
    public var chainsRewritingFields: Set<String> {
        let graph = ChainGraph(self)
        // Back from the chains that rewrite, to their callers and theirs (each chain once).
        var callers = [[Int32]](repeating: [], count: chains.count)
        for (position, edges) in graph.edges.enumerated() {
            for edge in edges where edge.target >= 0 { callers[edge.target].append(Int32(position)) }
        }
        var rewrites = [Bool](repeating: false, count: chains.count)
        var waiting: [Int] = []
        for position in chains.indices where chains[position].rules.contains(where: \.target.rewritesModelledFields) {
            rewrites[position] = true
            waiting.append(position)
        }
        while let position = waiting.popLast() {
            for caller in callers[position] where !rewrites[Int(caller)] {
                rewrites[Int(caller)] = true
                waiting.append(Int(caller))
            }
        }
        return Set(chains.indices.lazy.filter { rewrites[$0] }.map { chains[$0].name })
    }

    /// How many rules jump or go to each chain, by the chain's position.
    public var referenceCounts: [Int] {
        var counts = [Int](repeating: 0, count: chains.count)
        for edges in ChainGraph(self).edges {
            for edge in edges where edge.target >= 0 { counts[edge.target] += 1 }
        }
        return counts
    }
}
