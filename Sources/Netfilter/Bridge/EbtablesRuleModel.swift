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
        case "--ip-src", "--ip-dst":
            let network = Network(parsing: Array(value.utf8), family: .ipv4).map { Negatable($0, negated: negated) }
            if written.option.name == "--ip-src" { rule.ipSource = network } else { rule.ipDestination = network }
        case "--ip-proto":
            rule.ipProtocol = IPProtocol.number(for: value).map { Negatable($0, negated: negated) }
        case "--ip-sport", "--ip-dport":
            let ports = EbtablesValue.range(value, max: 0xFFFF, decimal: true).map {
                Negatable(PortRange(UInt16($0.0), UInt16($0.1)), negated: negated)
            }
            if written.option.name == "--ip-sport" { rule.ipSourcePort = ports } else { rule.ipDestinationPort = ports }
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
