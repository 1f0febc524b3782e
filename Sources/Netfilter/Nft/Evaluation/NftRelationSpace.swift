// net/netfilter/nft_cmp.c, nft_range.c, nft_lookup.c, nft_bitwise.c: a relation compares
// the selector's register (masked by `&`) with a value, a range or a set's elements; nft
// adds the selector's dependencies (`meta nfproto ipv4`, `meta l4proto tcp`) before it, so
// a negated relation (`tcp dport != 22`) still needs a TCP packet.

/// The packets an nft relation matches, as a set of the packet-class algebra: exact where
/// its selector and values are modelled, a named condition otherwise.
enum NftRelationSpace {
    /// The packets of the packet's family the relation matches; `sets` are the table's named
    /// sets, `condition` names the relation where it cannot be expressed. The packet gives
    /// the host (`fib ... type`) and the hook's devices.
    static func matching(_ relation: NftRelation, packet: Packet, sets: [String: NftSet],
                         condition: @autoclosure () -> String) -> PacketSpace {
        let family = packet.family
        if let space = familyTest(relation, family: family) { return space }
        if case .fib = relation.left {
            return fibType(relation, packet: packet) ?? .condition(condition(), family: family)
        }
        if case .concatenation(let parts) = relation.left {
            return concatenation(parts, relation, packet: packet, sets: sets) ?? .condition(condition(), family: family)
        }
        guard let (selector, mask) = selector(of: relation.left) else { return .condition(condition(), family: family) }
        // `ip saddr ...` in an inet table: nft's dependency (`meta nfproto ipv4`) fails first.
        if let required = selector.family, required != family { return .none(family) }
        guard var values = values(relation, selector, mask: mask, family: family, sets: sets) else {
            return .condition(condition(), family: family)
        }
        let full = selector.field.full(family)
        values = relation.operator == .notEqual ? full.subtracting(values) : values.intersection(full)
        var space = PacketSpace.where(selector.field, values, family: family)
        if let protocols = selector.protocols {
            let allowed = protocols.reduce(IntervalSet()) { $0.union(IntervalSet(value: UInt128($1))) }
            space = space.intersection(.where(.protocol, .intervals(allowed), family: family))
        }
        return space
    }

    /// `meta nfproto ipv4`, `meta protocol ip6`: which family the packet is.
    private static func familyTest(_ relation: NftRelation, family: Family) -> PacketSpace? {
        guard case .meta(let key, _) = relation.left, key == "nfproto" || key == "protocol",
              case .value(let word) = relation.right else { return nil }
        let named: Family? = ["ipv4": .ipv4, "ip": .ipv4, "ipv6": .ipv6, "ip6": .ipv6][word]
        guard let named else { return nil }
        let holds = (named == family) != (relation.operator == .notEqual)
        return holds ? .all(family) : .none(family)
    }

    /// `fib daddr type local`, `fib saddr . iif type != local`: the address's type in the
    /// host's local routing table (nft_fib_*_type: through the device with `iif`/`oif`), from
    /// the host's addresses where the snapshot gives them; nil where it does not.
    private static func fibType(_ relation: NftRelation, packet: Packet) -> PacketSpace? {
        guard case .fib(let flags, "type") = relation.left else { return nil }
        let field: PacketField = flags.contains("saddr") ? .source : .destination
        var device: String?
        if flags.contains("iif") {
            guard !packet.hookState.inInterfaceIsOpen else { return nil }
            device = packet.hookState.inInterface
        } else if flags.contains("oif") {
            guard !packet.hookState.outInterfaceIsOpen else { return nil }
            device = packet.hookState.outInterface
        }
        guard let partition = packet.host.addressTypePartition(packet.family, device: device) else { return nil }
        let words: [String]
        switch relation.right {
        case .value(let word): words = [word]
        case .list(let items): words = items
        case .set(let elements): words = elements.compactMap { if case .value(let word) = $0.key { word } else { nil } }
        default: return nil
        }
        let types = Set(words.map { $0.uppercased() })
        // Without the routing table only local and unicast are told apart.
        if packet.host.addressTypes == nil, !types.isSubset(of: ["LOCAL", "UNICAST"]) { return nil }
        var addresses = IntervalSet()
        for part in partition where types.contains(part.type) { addresses = addresses.union(part.addresses) }
        if relation.operator == .notEqual {
            addresses = IntervalSet(0, field.maximum(packet.family)).subtracting(addresses)
        }
        return .where(field, .intervals(addresses), family: packet.family)
    }

    /// The selector of a relation's left side, and the mask of `SELECTOR & MASK`.
    private static func selector(of left: NftExpression) -> (NftSelector, UInt64?)? {
        if case .binary("&", let inner, let maskExpression) = left {
            guard let selector = NftSelector(inner), selector.field.isTernary,
                  let mask = NftValues.bitsValue(maskExpression, selector) else { return nil }
            return (selector, mask)
        }
        return NftSelector(left).map { ($0, nil) }
    }

    /// The values the relation accepts before a `!=` turns them round.
    private static func values(_ relation: NftRelation, _ selector: NftSelector, mask: UInt64?, family: Family,
                               sets: [String: NftSet]) -> FieldSet? {
        let width: UInt64 = selector.field == .tcpFlags ? 0xFF : 0xFFFF_FFFF
        if let mask {
            // `ct mark & 0xff == 0x5`, `tcp flags & (syn | ack) == syn`.
            guard relation.operator == .implicit || relation.operator == .equal || relation.operator == .notEqual,
                  let value = NftValues.bitsValue(relation.right, selector) else { return nil }
            return .ternary(TernarySet(value: value & mask & width, mask: mask & width))
        }
        switch relation.operator {
        case .implicit, .equal, .notEqual:
            if selector.field.isTernary, relation.operator == .implicit, selector.kind == .tcpFlags,
               let bits = NftValues.bitsValue(relation.right, selector), isFlagList(relation.right) {
                // `tcp flags syn,ack`: any of the flags set.
                return anyBit(of: bits)
            }
            return NftValues.of(relation.right, for: selector, family: family, sets: sets)
        case .less, .greater, .lessOrEqual, .greaterOrEqual:
            guard !selector.field.isTernary, case .value(let word) = relation.right,
                  let bound = NftValues.number(word, selector, family) else { return nil }
            let top = selector.field.maximum(family)
            switch relation.operator {
            case .less: return bound == 0 ? .intervals(IntervalSet()) : .intervals(IntervalSet(0, bound - 1))
            case .lessOrEqual: return .intervals(IntervalSet(0, bound))
            case .greater: return bound >= top ? .intervals(IntervalSet()) : .intervals(IntervalSet(bound + 1, top))
            default: return .intervals(IntervalSet(bound, top))
            }
        }
    }

    private static func isFlagList(_ expression: NftExpression) -> Bool {
        if case .list = expression { return true }
        if case .value(let word) = expression { return NftValues.tcpFlags[word] != nil }
        return false
    }

    /// The 8-bit values with at least one of `bits` set.
    private static func anyBit(of bits: UInt64) -> FieldSet {
        var set = TernarySet()
        for bit in 0..<8 where bits & (1 << UInt64(bit)) != 0 {
            set = set.union(TernarySet(value: 1 << UInt64(bit), mask: 1 << UInt64(bit)))
        }
        return .ternary(set)
    }
}
