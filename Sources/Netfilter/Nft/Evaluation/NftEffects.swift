// net/netfilter/nft_nat.c, nft_masq.c, nft_redir.c (the mapping a nat statement asks of
// nf_nat), nft_meta.c and nft_ct.c (`meta mark set`, `ct mark set`, `meta nftrace set`),
// nft_ct.c's notrack, nft_reject.c (the default answer: ICMP port unreachable).

/// What the statements that change a packet do to the walk's class.
enum NftEffects {
    /// What a reject sends back, in iptables' words (`icmp-port-unreachable`, `tcp-reset`,
    /// what the host path's answers take): from its `with` words, ICMP port unreachable by
    /// default (nft_reject.c).
    static func rejectAnswer(_ words: [String], family: Family) -> String {
        let v6 = family == .ipv6
        let portUnreachable = v6 ? "icmp6-port-unreachable" : "icmp-port-unreachable"
        guard words.count >= 2 else { return portUnreachable }
        if words[0] == "tcp" { return "tcp-reset" }
        let code = words[1] == "type" && words.count > 2 ? words[2] : words[1]
        let v4: [String: String] = ["port-unreachable": "icmp-port-unreachable",
                                    "host-unreachable": "icmp-host-unreachable",
                                    "net-unreachable": "icmp-net-unreachable",
                                    "prot-unreachable": "icmp-proto-unreachable",
                                    "net-prohibited": "icmp-net-prohibited", "host-prohibited": "icmp-host-prohibited",
                                    "admin-prohibited": "icmp-admin-prohibited", "no-route": "icmp-net-unreachable"]
        let six: [String: String] = ["port-unreachable": "icmp6-port-unreachable",
                                     "admin-prohibited": "icmp6-adm-prohibited",
                                     "no-route": "icmp6-no-route", "addr-unreachable": "icmp6-addr-unreachable",
                                     "host-unreachable": "icmp6-addr-unreachable", "policy-fail": "icmp6-policy-fail",
                                     "reject-route": "icmp6-reject-route"]
        return (v6 ? six : v4)[code] ?? portUnreachable
    }

    /// The kind of NAT a statement does (dnat and redirect the destination, snat the source,
    /// masquerade the source to the device's address).
    static func kind(of nat: NftNat) -> NATKind? {
        ["dnat": .destination, "redirect": .destination, "snat": .source, "masquerade": .masquerade][nat.kind]
    }

    /// The packets a reject's `with` needs, which nft adds before it and does not list: TCP for
    /// `tcp reset`, IPv4 for `icmp ...`, IPv6 for `icmpv6 ...` (nil: every packet).
    static func rejectDependency(_ words: [String], family: Family) -> PacketSpace? {
        switch words.first {
        case "tcp": return .where(.protocol, .intervals(IntervalSet(value: UInt128(IPProtocol.tcp))), family: family)
        case "icmp": return family == .ipv4 ? nil : PacketSpace.none(family)
        case "icmpv6": return family == .ipv6 ? nil : PacketSpace.none(family)
        default: return nil
        }
    }

    /// Applies a nat statement; nil when done, else why the walk cannot follow it.
    static func apply(_ nat: NftNat, to state: inout NftResult, hook: Hook) -> String? {
        let text = NftPrinter.text(NftStatement.nat(nat))
        // nf_nat_setup_info: the connection's mapping of this manip type is decided.
        let destination = nat.kind == "dnat" || nat.kind == "redirect"
        state.packet.conntrack.decideNAT(destination: destination)
        if destination { state.rewrote.destination = true } else { state.rewrote.source = true }
        state.rewrote.nat = kind(of: nat).map { NftNATDone(kind: $0, word: nat.kind) }
        switch nat.kind {
        case "masquerade":
            let packet = state.packet
            if let source = packet.host.masqueradeSource(outOf: packet.hookState.outInterface,
                                                         toward: packet.destination, family: packet.family),
               packet.source != nil {
                state.packet.source = source
            } else {
                state.rewriteOpaquely(.source, by: text)
            }
            if let to = nat.to, case .value(let word) = to, let port = NatTarget(word, family: packet.family)?.port {
                setPort(port, destination: false, in: &state)
            }
            return nil
        case "dnat", "snat", "redirect":
            guard let to = nat.to else {
                redirect(&state, hook: hook, text: text)
                return nil
            }
            guard case .value(let word) = to, let target = NatTarget(word, family: state.packet.family) else {
                return "\(text): the mapping is not modelled"
            }
            if nat.kind == "redirect" {
                redirect(&state, hook: hook, text: text)
            } else if let address = target.address {
                if destination { state.packet.destination = address } else { state.packet.source = address }
                state.environment.rewrites[destination ? .destination : .source] = nil
            }
            if let port = target.port { setPort(port, destination: destination, in: &state) }
            return nil
        default:
            return "\(text): not modelled"
        }
    }

    /// A redirect's destination: the host itself (`HostContext.redirectDestination`).
    private static func redirect(_ state: inout NftResult, hook: Hook, text: String) {
        let packet = state.packet
        if let address = packet.host.redirectDestination(hook: hook, inDevice: packet.hookState.inInterface,
                                                         family: packet.family), packet.destination != nil {
            state.packet.destination = address
        } else {
            state.rewriteOpaquely(.destination, by: text)
        }
    }

    /// A NAT port, for a protocol that has ports.
    private static func setPort(_ port: UInt16, destination: Bool, in state: inout NftResult) {
        guard state.packet.protocol.map({ NftSelector.portProtocols.contains($0) }) ?? false else { return }
        if destination { state.packet.destinationPort = port } else { state.packet.sourcePort = port }
        state.environment.rewrites[destination ? .destinationPort : .sourcePort] = nil
    }

    /// `ADDRESS`, `ADDRESS:PORT`, `:PORT`, `[IPV6]:PORT`.
    struct NatTarget {
        var address: IPAddress?
        var port: UInt16?

        init?(_ word: String, family: Family) {
            var addressText = word
            var portText: Substring?
            if word.hasPrefix("[") {
                guard let close = word.firstIndex(of: "]") else { return nil }
                addressText = String(word[word.index(after: word.startIndex)..<close])
                let after = word[word.index(after: close)...]
                if after.hasPrefix(":") { portText = after.dropFirst() }
            } else if family == .ipv4 || word.hasPrefix(":"), let colon = word.lastIndex(of: ":") {
                addressText = String(word[..<colon])
                portText = word[word.index(after: colon)...]
            }
            if !addressText.isEmpty {
                guard let address = IPAddress(parsing: Array(addressText.utf8), family: family) else { return nil }
                self.address = address
            }
            if let portText {
                guard let port = UInt16(portText) else { return nil }
                self.port = port
            }
        }
    }

    /// `meta mark set V`, `ct mark set V`, `meta nftrace set 1`, and copies between the two
    /// marks; nil when done, else why the walk cannot follow it.
    static func set(_ target: NftExpression, _ value: NftExpression, in state: inout NftResult,
                    text: String) -> String? {
        let field: PacketField
        switch target {
        case .meta("mark", _): field = .mark
        case .ct(nil, nil, "mark"): field = .connmark
        case .meta("nftrace", _):
            guard case .value(let word) = value, let bit = NftValues.integer(word) else {
                return "\(text): not modelled"
            }
            state.packet.hookState.traced = bit != 0
            return nil
        default:
            // Fields no relation verdict models reads (dscp, priority, ct label, ...).
            return nil
        }
        if field == .connmark && !state.packet.conntrack.hasConnection { return nil }
        if case .value(let word) = value, let number = NftValues.integer(word), number <= 0xFFFF_FFFF {
            state.setBits(field, value: number, mask: 0xFFFF_FFFF)
            return nil
        }
        // `meta mark set meta mark | 0x4000` (and `&`, `^`): bits of the field itself.
        if case .binary(let op, let source, .value(let word)) = value, source == target,
           let operand = NftValues.integer(word), operand <= 0xFFFF_FFFF {
            switch op {
            case "|": state.setBits(field, value: operand, mask: operand)
            case "&": state.setBits(field, value: 0, mask: ~operand & 0xFFFF_FFFF)
            case "^": state.setBits(field, value: operand, mask: 0)
            default: state.rewriteOpaquely(field, by: text)
            }
            return nil
        }
        // A mark copied from the other one, when that one is known.
        let copied: UInt32?
        switch value {
        case .meta("mark", _) where field == .connmark:
            copied = state.packet.open.contains(.mark) ? nil : state.packet.mark
        case .ct(nil, nil, "mark") where field == .mark:
            copied = state.packet.conntrack.mark
        default:
            copied = nil
        }
        if let copied {
            state.setBits(field, value: UInt64(copied), mask: 0xFFFF_FFFF)
        } else {
            state.rewriteOpaquely(field, by: text)
        }
        return nil
    }

    /// `notrack` before conntrack: the packet goes on untracked.
    static func notrack(_ state: inout NftResult, beforeConntrack: Bool) {
        guard beforeConntrack else { return }
        if state.packet.conntrack.state == nil {
            state.environment.rewrites[.state] = .value(UInt128(ConntrackStateValue.untracked.rawValue))
        }
        state.packet.conntrack.state = .untracked
    }
}
