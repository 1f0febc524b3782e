// net/netfilter/nft_set_*.c and nftables' src/evaluate.c (concatenations): a key of
// several selectors joined by ` . ` is looked up as one value, each part in its own field
// (`ip daddr . meta l4proto . th dport @service-ips`, `{ 10.0.0.1 . tcp . 80 : ... }`).

extension NftRelationSpace {
    /// The packets a relation over a concatenation matches: for each element of the set (or
    /// the one value) the packets whose every part has the element's value there, joined;
    /// nil where a part or an element cannot be read (the relation is then a condition).
    static func concatenation(_ parts: [NftExpression], _ relation: NftRelation, packet: Packet,
                              sets: [String: NftSet]) -> PacketSpace? {
        let family = packet.family
        let keys: [NftExpression]
        switch relation.right {
        case .set(let elements): keys = elements.map(\.key)
        case .setReference(let name):
            guard let set = sets[name], !set.isStateful else { return nil }
            keys = set.elements.map(\.key)
        case .concatenation: keys = [relation.right]
        default: return nil
        }
        var space = PacketSpace.none(family)
        for key in keys {
            guard case .concatenation(let values) = key, values.count == parts.count else { return nil }
            var element = PacketSpace.all(family)
            for (part, value) in zip(parts, values) where !element.isEmpty {
                var unreadable = false
                let one = matching(NftRelation(left: part, right: value), packet: packet, sets: sets,
                                   condition: { unreadable = true; return "" }())
                if unreadable { return nil }
                element = element.intersection(one)
            }
            guard let joined = space.union(element) else { return nil }
            space = joined
        }
        guard relation.operator == .notEqual else { return space }
        return PacketSpace.all(family).subtracting(space)
    }
}
