/// The checks of one ebtables rule that need its place: its target, the devices its chain's
/// hook has, the protocol its matches need, and where its target may run.
enum EbtablesRuleChecks {
    static let extensionTargets: Set<String> = ["mark", "dnat", "snat", "redirect", "arpreply"]
    /// The option each extension target cannot do without (libebt_*.c final_check).
    static let requiredOption = ["mark": ["--mark-set", "--mark-or", "--mark-and", "--mark-xor"],
                                 "dnat": ["--to-dst"], "snat": ["--to-src"], "arpreply": ["--arpreply-mac"]]
    /// The ports' protocols of the ip and ip6 matches (ebt_ip.c, ebt_ip6.c).
    static let portProtocols: Set<UInt8> = [6, 17, 33, 132, 136]

    static func check(_ rule: EbtablesRule, chain: String, hooks: [String], in table: EbtablesTable) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        func error(_ message: String, _ option: EbtablesRule.WrittenOption?) {
            diagnostics.append(.error(message, at: SourceLocation(line: rule.line, column: option?.column ?? 1),
                                      length: option?.length ?? 1))
        }
        func written(_ name: String) -> EbtablesRule.WrittenOption? { rule.options.first { $0.option.name == name } }
        let jump = written("-j")
        let target = rule.target
        if !EbtablesRuleParser.standardVerdicts.contains(target), !extensionTargets.contains(target),
           table.chain(named: target) == nil || EbtablesValidator.isBuiltin(target, table) {
            error("-j \(target): no chain '\(target)' in table \(table.name) (ACCEPT, DROP, CONTINUE, RETURN, "
                  + "a user chain, or mark, dnat, snat, redirect, arpreply)", jump)
        }
        if let required = requiredOption[target], !required.contains(where: { written($0) != nil }) {
            error("-j \(target) needs \(required.joined(separator: " or "))", jump)
        }
        if let places = EbtablesModule.allowedPlaces(ofTarget: target) {
            let outside = hooks.filter { hook in !places.contains { $0.table == table.name && $0.chain == hook } }
            if !outside.isEmpty {
                let allowed = places.map { "\($0.table) \($0.chain)" }.joined(separator: ", ")
                error("-j \(target) runs only in \(allowed), not in \(table.name) \(outside.joined(separator: ", "))",
                      jump)
            }
        }
        devices(rule, chain: chain, error: error)
        protocols(rule, error: error)
        return diagnostics
    }

    /// -i and --logical-in where the hook has an in device; -o and --logical-out where it has an out one.
    static func devices(_ rule: EbtablesRule, chain: String,
                        error: (String, EbtablesRule.WrittenOption?) -> Void) {
        for option in rule.options {
            let name = option.option.name
            if ["-i", "--logical-in"].contains(name), ["OUTPUT", "POSTROUTING"].contains(chain) {
                error("Use \(name) only in INPUT, FORWARD, PREROUTING and BROUTING chains", option)
            } else if ["-o", "--logical-out"].contains(name), ["INPUT", "PREROUTING", "BROUTING"].contains(chain) {
                error("Use \(name) only in OUTPUT, FORWARD and POSTROUTING chains", option)
            }
        }
    }

    /// Each module's protocol (-p), and the ip/ip6 ports' and ICMP types' protocols.
    static func protocols(_ rule: EbtablesRule, error: (String, EbtablesRule.WrittenOption?) -> Void) {
        var reported: Set<String> = []
        let etherType = rule.etherType.flatMap { $0.negated ? nil : $0.value }
        for option in rule.options where !reported.contains(option.option.module) {
            guard let module = EbtablesModule.named(option.option.module), !module.protocols.isEmpty,
                  !module.protocols.contains(etherType ?? 0) else { continue }
            reported.insert(module.name)
            let names = module.protocols.map(EtherTypes.printed).joined(separator: " or -p ")
            error("\(option.option.name) needs -p \(names) "
                  + "(the kernel's \(module.name) \(module.kind) refuses other frames)", option)
        }
        for (prefix, proto, icmp) in [("--ip-", "--ip-proto", UInt8(1)), ("--ip6-", "--ip6-proto", UInt8(58))] {
            let given = rule.options.first { $0.option.name == proto }
            let number = given.flatMap { $0.negated ? nil : IPProtocol.number(for: $0.values.first ?? "") }
            for option in rule.options where option.option.name.hasPrefix(prefix) {
                let name = option.option.name.dropFirst(prefix.count)
                if name == "sport" || name == "dport", !portProtocols.contains(number ?? 0) {
                    error("\(option.option.name) needs \(proto) tcp, udp, udplite, sctp or dccp", option)
                } else if name == "icmp-type", number != icmp {
                    error("\(option.option.name) needs \(proto) \(icmp == 1 ? "icmp" : "ipv6-icmp")", option)
                }
            }
        }
    }
}
