// nftables' datatype.c, proto.c, ct.c, meta.c: the symbols and formats of each data type
// (ipv4_addr, inet_service, inet_proto, icmp_type, ct_state, mark, ifname, tcp_flag,
// pkt_type), as `nft list ruleset` prints values of that type.

/// The values a right-hand side stands for, in the encoding of the selector's field: an
/// interval set, or a set of bit patterns for marks and TCP flags. nil where a word is not a
/// value of the type (the relation is then a named condition, never a guess).
enum NftValues {
    /// The values of an expression on a relation's right (a value, list, prefix, range or
    /// set); `sets` gives a named set's elements.
    static func of(_ expression: NftExpression, for selector: NftSelector, family: Family,
                   sets: [String: NftSet]) -> FieldSet? {
        switch expression {
        case .value(let word): return value(word, selector, family)
        case .list(let words):
            var result = empty(selector.field)
            for word in words {
                guard let values = value(word, selector, family) else { return nil }
                result = union(result, values)
            }
            return result
        case .prefix(let address, let length):
            guard selector.kind == .address,
                  let network = Network(parsing: Array("\(address)/\(length)".utf8), family: family),
                  let addresses = RuleSpace.addresses(network) else { return nil }
            return .intervals(addresses)
        case .range(let low, let high):
            guard let lower = number(low, selector, family), let upper = number(high, selector, family),
                  lower <= upper else { return nil }
            return .intervals(IntervalSet(lower, upper))
        case .set(let elements):
            return union(of: elements.map(\.key), selector, family, sets)
        case .setReference(let name):
            // A set the rules fill as packets come (`dynamic`, `timeout`): what it holds is
            // state, not the listing's, and its membership a condition.
            guard let set = sets[name], !set.isMap, !set.isStateful else { return nil }
            return union(of: set.elements.map(\.key), selector, family, sets)
        case .binary("/", let value, let mask):
            // `syn / syn,ack`: the bits of the mask, with those of the value set.
            guard selector.field.isTernary, let bits = bitsValue(value, selector),
                  let maskBits = bitsValue(mask, selector) else { return nil }
            return .ternary(TernarySet(value: bits & maskBits, mask: maskBits))
        default:
            return nil
        }
    }

    private static func union(of keys: [NftExpression], _ selector: NftSelector, _ family: Family,
                              _ sets: [String: NftSet]) -> FieldSet? {
        var result = empty(selector.field)
        for key in keys {
            guard let values = of(key, for: selector, family: family, sets: sets) else { return nil }
            result = union(result, values)
        }
        return result
    }

    static func empty(_ field: PacketField) -> FieldSet {
        field.isTernary ? .ternary(TernarySet()) : .intervals(IntervalSet())
    }

    static func union(_ a: FieldSet, _ b: FieldSet) -> FieldSet {
        switch (a, b) {
        case (.intervals(let x), .intervals(let y)): return .intervals(x.union(y))
        case (.ternary(let x), .ternary(let y)): return .ternary(x.union(y))
        default: return a
        }
    }

    /// One written value: its exact value (a flag of a flag type is the flag's bit).
    static func value(_ word: String, _ selector: NftSelector, _ family: Family) -> FieldSet? {
        switch selector.kind {
        case .interface:
            guard let name = interfaceName(word) else { return nil }
            return .intervals(name.encodedRange)
        case .mark, .tcpFlags:
            guard let bits = bits(word, selector) else { return nil }
            return .ternary(TernarySet(value: bits, mask: selector.field == .tcpFlags ? 0xFF : 0xFFFF_FFFF))
        case .icmpType:
            guard let type = number(word, selector, family) else { return nil }
            return .intervals(IntervalSet(type << 8, type << 8 | 0xFF))
        case .icmpCode:
            guard let code = number(word, selector, family) else { return nil }
            let all = (UInt128(0)...255).map { IntervalSet.Interval($0 << 8 | code, $0 << 8 | code) }
            return .intervals(IntervalSet(intervals: all))
        default:
            return number(word, selector, family).map { .intervals(IntervalSet(value: $0)) }
        }
    }

    /// A value in the field's interval encoding.
    static func number(_ word: String, _ selector: NftSelector, _ family: Family) -> UInt128? {
        switch selector.kind {
        case .address:
            guard let address = IPAddress(parsing: Array(word.utf8), family: family) else { return nil }
            return RuleSpace.value(of: address)
        case .port:
            return integer(word).flatMap { $0 <= 0xFFFF ? UInt128($0) : nil }
                ?? ServiceNames.port(for: word).map { UInt128($0) }
        case .protocol:
            return IPProtocol.number(for: word).map { UInt128($0) }
        case .icmpType:
            let names = selector.icmpv6 ? icmpv6Types : icmpTypes
            return (names[word] ?? integer(word).flatMap { $0 <= 0xFF ? UInt8($0) : nil }).map { UInt128($0) }
        case .icmpCode:
            return integer(word).flatMap { $0 <= 0xFF ? UInt128($0) : nil }
        case .state:
            guard let state = states[word] else { return nil }
            return UInt128(state.rawValue)
        case .packetType:
            let name = word == "host" ? "unicast" : word == "other" ? "otherhost" : word
            return PacketTypeValue(name: name).map { UInt128($0.rawValue) }
        case .mark, .tcpFlags, .interface:
            return nil
        }
    }

    /// A decimal or 0x-hexadecimal number.
    static func integer(_ word: String) -> UInt64? {
        if word.hasPrefix("0x") { return UInt64(word.dropFirst(2), radix: 16) }
        return UInt64(word)
    }

    /// A mark's number, or a TCP flag's bit.
    static func bits(_ word: String, _ selector: NftSelector) -> UInt64? {
        if selector.kind == .tcpFlags, let bit = tcpFlags[word] { return bit }
        return integer(word).flatMap { $0 <= (selector.field == .tcpFlags ? 0xFF : 0xFFFF_FFFF) ? $0 : nil }
    }

    /// A value or list as one bit pattern (`syn,ack`: both bits).
    static func bitsValue(_ expression: NftExpression, _ selector: NftSelector) -> UInt64? {
        switch expression {
        case .value(let word): return bits(word, selector)
        case .list(let words):
            var result: UInt64 = 0
            for word in words {
                guard let bit = bits(word, selector) else { return nil }
                result |= bit
            }
            return result
        default: return nil
        }
    }

    /// A quoted interface name, `*` at its end matching every name with that prefix.
    static func interfaceName(_ word: String) -> InterfaceName? {
        var text = word
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = String(text.dropFirst().dropLast()) }
        guard !text.isEmpty, text.count <= 16 else { return nil }
        if text.hasSuffix("\\*") { return nil }
        if text.hasSuffix("*") { return InterfaceName(String(text.dropLast()) + "+") }
        return InterfaceName(text)
    }

    /// nft's names of conntrack states (ct_state).
    static let states: [String: ConntrackStateValue] = [
        "invalid": .invalid, "new": .new, "established": .established, "related": .related, "untracked": .untracked,
    ]

    /// nft's TCP flag names (tcp_flag) and their bits.
    static let tcpFlags: [String: UInt64] = [
        "fin": 0x01, "syn": 0x02, "rst": 0x04, "psh": 0x08, "ack": 0x10, "urg": 0x20, "ecn": 0x40, "cwr": 0x80,
    ]

    /// nft's ICMP type names (icmp_type).
    static let icmpTypes: [String: UInt8] = [
        "echo-reply": 0, "destination-unreachable": 3, "source-quench": 4, "redirect": 5, "echo-request": 8,
        "router-advertisement": 9, "router-solicitation": 10, "time-exceeded": 11, "parameter-problem": 12,
        "timestamp-request": 13, "timestamp-reply": 14, "info-request": 15, "info-reply": 16,
        "address-mask-request": 17, "address-mask-reply": 18,
    ]

    /// nft's ICMPv6 type names (icmp6_type).
    static let icmpv6Types: [String: UInt8] = [
        "destination-unreachable": 1, "packet-too-big": 2, "time-exceeded": 3, "parameter-problem": 4,
        "echo-request": 128, "echo-reply": 129, "mld-listener-query": 130, "mld-listener-report": 131,
        "mld-listener-done": 132, "mld-listener-reduction": 132, "nd-router-solicit": 133, "nd-router-advert": 134,
        "nd-neighbor-solicit": 135, "nd-neighbor-advert": 136, "nd-redirect": 137, "router-renumbering": 138,
        "ind-neighbor-solicit": 141, "ind-neighbor-advert": 142, "mld2-listener-report": 143,
    ]
}
