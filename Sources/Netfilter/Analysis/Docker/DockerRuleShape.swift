/// The shapes of the rules Docker writes into the chains it owns, per chain, across its
/// generations (from moby's bridge driver and its golden test files): a rule in a Docker
/// chain that has none of these shapes was added by someone else, and Docker drops it the
/// next time the daemon starts.
public enum DockerRuleShape {
    /// Whether Docker could have written this rule in this chain.
    public static func isDockers(_ rule: Rule, table: String, chain: String, layout: DockerLayout) -> Bool {
        guard !rule.isOpaque else { return false }
        let header = rule.header
        let matchNames = Set(rule.matches.map(\.spec.name)).subtracting(["comment"])
        let interfaces = [header.inInterface, header.outInterface].compactMap { $0?.value.text }
        let knownInterfaces = Set(layout.bridges).union(["lo", "loopback0"])
        guard interfaces.allSatisfy({ knownInterfaces.contains($0) || $0.hasPrefix("docker_gw") || $0.hasPrefix("br-") || $0 == "docker0" }) else { return false }
        func target(_ allowed: Set<String>) -> Bool {
            switch rule.target {
            case .verdict(let verdict): return allowed.contains(verdict.rawValue)
            case .jump(let name): return allowed.contains(name) || (allowed.contains("DOCKER-*") && name.hasPrefix("DOCKER-"))
            case .extension(let call): return allowed.contains(call.spec.name)
            case .none, .goto: return false
            }
        }
        let portMatches: Set<String> = ["tcp", "udp", "sctp"]
        switch (table, chain) {
        case ("filter", "DOCKER"):
            return target(["ACCEPT", "DROP", "RETURN"]) && header.source == nil
                && header.outInterface.map { !$0.negated } == true && matchNames.isSubset(of: portMatches.union(["icmp"]))
        case ("nat", "DOCKER"):
            return target(["RETURN", "DNAT"]) && header.source == nil && matchNames.isSubset(of: portMatches)
        case (_, "DOCKER-ISOLATION"), (_, "DOCKER-ISOLATION-STAGE-1"), (_, "DOCKER-ISOLATION-STAGE-2"):
            return target(["DROP", "RETURN", "DOCKER-ISOLATION-STAGE-2"]) && matchNames.isEmpty
                && header.source?.negated != false && header.destination?.negated != false
        case ("filter", "DOCKER-FORWARD"):
            return target(["ACCEPT", "DROP", "DOCKER-*"]) && matchNames.isEmpty && header.source == nil && header.destination == nil
        case ("filter", "DOCKER-BRIDGE"):
            return target(["DOCKER"]) && matchNames.isEmpty && header.source == nil && header.destination == nil
        case ("filter", "DOCKER-CT"):
            return target(["ACCEPT"]) && matchNames == ["conntrack"] && header.source == nil && header.destination == nil
        case ("filter", "DOCKER-INTERNAL"):
            return target(["DROP"]) && matchNames.isEmpty
                && header.source?.negated != false && header.destination?.negated != false
        case (_, "DOCKER-INGRESS"):
            return target(["ACCEPT", "DNAT", "RETURN"]) && matchNames.isSubset(of: portMatches.union(["conntrack"]))
        default:
            return true
        }
    }
}
