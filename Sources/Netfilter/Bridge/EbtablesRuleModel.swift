// What each option means for the walk (EbtablesWalker): the fields of ebt_basic_match,
// the ip and mark matches, the log and nflog watchers and the targets; the options the
// walk does not evaluate stay as their text, a named condition.

/// Puts one parsed option into the rule's typed fields.
enum EbtablesRuleModel {
    static func apply(_ written: EbtablesRule.WrittenOption, to rule: inout EbtablesRule) {
        let negated = written.negated
        let value = written.values.first ?? ""
        func interface() -> Negatable<InterfaceName> { Negatable(InterfaceName(value), negated: negated) }
        switch written.option.name {
        case "-p":
            if let type = EtherTypes.number(value) { rule.etherType = Negatable(type, negated: negated) }
        case "-i": rule.inInterface = interface()
        case "-o": rule.outInterface = interface()
        case "--logical-in": rule.logicalIn = interface()
        case "--logical-out": rule.logicalOut = interface()
        case "-s": rule.sourceMAC = EbtablesParser.mac(value).map { Negatable($0, negated: negated) }
        case "-d": rule.destinationMAC = EbtablesParser.mac(value).map { Negatable($0, negated: negated) }
        case "--ip-src", "--ip-dst", "--ip6-src", "--ip6-dst":
            // ebt_ip and ebt_ip6 read the same fields of their own frames (-p IPv4 / IPv6).
            let family: Family = written.option.name.hasPrefix("--ip6") ? .ipv6 : .ipv4
            let network = Network(parsing: Array(value.utf8), family: family).map { Negatable($0, negated: negated) }
            if written.option.name.hasSuffix("-src") { rule.ipSource = network } else { rule.ipDestination = network }
        case "--ip-proto", "--ip6-proto":
            rule.ipProtocol = IPProtocol.number(for: value).map { Negatable($0, negated: negated) }
        case "--ip-sport", "--ip-dport", "--ip6-sport", "--ip6-dport":
            let ports = EbtablesValue.range(value, max: 0xFFFF, decimal: true).map {
                Negatable(PortRange(UInt16($0.0), UInt16($0.1)), negated: negated)
            }
            if written.option.name.hasSuffix("-sport") {
                rule.ipSourcePort = ports
            } else {
                rule.ipDestinationPort = ports
            }
        case "--ip-tos":
            if let tos = EbtablesValue.number(value), tos <= 0xFF {
                rule.ipTOS = Negatable(UInt8(tos), negated: negated)
            }
        case "--among-src", "--among-dst":
            // ebt_among: the frame's MAC is in the list; entries with =IP also check the address.
            let entries = value.split(separator: ",").map { String($0.filter { $0 != " " }) }
            let macs = entries.compactMap { MACAddress(parsing: Array($0.utf8))?.value }
            guard !entries.isEmpty, macs.count == entries.count else {
                rule.unmodelled.append((negated ? "! " : "") + written.option.name + " " + value)
                break
            }
            let list = Negatable(macs, negated: negated)
            if written.option.name == "--among-src" { rule.amongSource = list } else { rule.amongDestination = list }
        case "--mark":
            let parts = value.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            if let mark = EbtablesValue.number(parts[0]),
               let mask = parts.count > 1 ? EbtablesValue.number(parts[1]) : 0xFFFF_FFFF {
                let condition = EbtablesRule.MarkCondition(value: UInt32(truncatingIfNeeded: mark),
                                                           mask: UInt32(truncatingIfNeeded: mask))
                rule.mark = Negatable(condition, negated: negated)
            }
        case "--log-prefix": rule.logPrefix = value
        case "--nflog-prefix": rule.nflogPrefix = value
        case "-j": rule.target = value
        case "-c": break
        default:
            switch written.option.module {
            case "log": rule.logPrefix = rule.logPrefix ?? ""
            case "nflog": rule.nflogPrefix = rule.nflogPrefix ?? ""
            case let module where EbtablesModule.named(module)?.kind == .target:
                rule.targetOptions[String(written.option.name.dropFirst(2))] = value
            case "limit" where written.option.name == "--limit-burst"
                && rule.unmodelled.last?.hasPrefix("--limit ") == true:
                // One condition for the rate and its burst.
                rule.unmodelled[rule.unmodelled.count - 1] += " --limit-burst \(value)"
            default:
                rule.unmodelled.append(([negated ? "!" : nil, written.option.name] + written.values)
                    .compactMap { $0 }.joined(separator: " "))
            }
        }
    }
}
