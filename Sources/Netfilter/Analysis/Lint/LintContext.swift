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
    public var snapshot: HostSnapshot?
    /// Docker's chains and networks, recognised in the IPv4 rules.
    public var docker: DockerLayout?

    public init(inputs: [LintInput], snapshot: HostSnapshot? = nil) {
        self.inputs = inputs
        self.snapshot = snapshot
        docker = inputs.first { $0.ruleset.family == .ipv4 }.flatMap { DockerLayout(ruleset: $0.ruleset) }
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
        let prefixes = ["DOCKER", "KUBE-", "ufw-", "ufw6-", "f2b-", "fail2ban-", "LIBVIRT_", "cali-", "CNI-", "FLANNEL-",
                        "WEAVE", "CILIUM_", "ts-", "nat_reflection", "sshguard",
                        // OpenWrt fw2's hooks for the user's own rules (input_lan, forwarding_wan, ...)
                        "input_", "output_", "forwarding_", "prerouting_", "postrouting_"]
        if prefixes.contains(where: chainName.hasPrefix) { return true }
        // Shorewall's chain for `shorewall drop/reject` at run time.
        if chainName == "dynamic" { return true }
        // firewalld (INPUT_direct, IN_public_allow, FWDI_public_deny, PRE_public_log, ...) and
        // OpenWrt's hooks for the user's own rules (input_rule, forwarding_wan_rule, ...).
        let suffixes = ["_direct", "_allow", "_deny", "_log", "_pre", "_post", "_ZONES", "_ZONES_SOURCE", "_rule",
                        "_notrack", "_MSSFIX"]
        return suffixes.contains(where: chainName.hasSuffix)
    }
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
        // Back from the chains that rewrite, to their callers and theirs (each name once).
        var callers: [String: [String]] = [:]
        for chain in chains {
            for case let target? in chain.rules.map(\.target.chainName) {
                callers[target, default: []].append(chain.name)
            }
        }
        var result = Set(chains.filter { $0.rules.contains { $0.target.rewritesModelledFields } }.map(\.name))
        var waiting = Array(result)
        while let name = waiting.popLast() {
            for caller in callers[name] ?? [] where result.insert(caller).inserted { waiting.append(caller) }
        }
        return result
    }

    /// Each chain by name (the first, where a name is declared twice, as `chain(named:)`
    /// finds): for lookups in tables of many chains.
    public var chainsByName: [String: Chain] {
        Dictionary(chains.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// How many rules jump or go to each chain.
    public var references: [String: Int] {
        var counts: [String: Int] = [:]
        for chain in chains {
            for rule in chain.rules {
                if let target = rule.target.chainName { counts[target, default: 0] += 1 }
            }
        }
        return counts
    }
}
