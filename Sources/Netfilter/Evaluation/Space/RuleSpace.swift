/// The header-space set of the packets a rule matches, built from its header options and
/// each match's `space` declaration. Matches the algebra cannot express become named
/// conditions (`-m recent --rcheck ...`), so every set stays exact.
public enum RuleSpace {
    /// The packets the rule matches, in a table that runs before conntrack or after.
    public static func matching(_ rule: Rule, family: Family, beforeConntrack: Bool = false) -> PacketSpace {
        if rule.isOpaque {
            return opaqueCondition(rule.opaqueText ?? "opaque rule", beforeConntrack: beforeConntrack, family: family)
        }
        var space = header(rule.header, family: family)
        for call in rule.matches where !space.isEmpty {
            space = space.intersection(matching(call, family: family, beforeConntrack: beforeConntrack))
        }
        return space
    }

    /// The packets a match call matches.
    public static func matching(_ call: ExtensionCall, family: Family, beforeConntrack: Bool = false) -> PacketSpace {
        if let modelled = call.spec.space?(call, family) { return modelled }
        return condition(call, beforeConntrack: beforeConntrack, family: family)
    }

    /// The condition a rule that was kept as text stands for: what it reads is not known,
    /// so before conntrack it is another condition than after.
    static func opaqueCondition(_ text: String, beforeConntrack: Bool, family: Family) -> PacketSpace {
        .condition(text + (beforeConntrack ? " [before conntrack]" : ""), family: family)
    }

    /// The condition that a match the algebra cannot express stands for, named by its save
    /// form; by the rule it is in (`reference`) when its answer depends on earlier packets;
    /// `[before conntrack]` when it reads the packet's connection where conntrack has not
    /// given it one yet (the same match after conntrack is another condition, while one
    /// that reads the packet alone is the same condition in every table).
    public static func condition(_ call: ExtensionCall, at reference: String? = nil, beforeConntrack: Bool,
                                 family: Family) -> PacketSpace {
        var name = text(of: call)
        if let reference { name += " (" + reference + ")" }
        if beforeConntrack && call.spec.usesConntrack { name += " [before conntrack]" }
        return .condition(name, family: family)
    }

    /// A match call in save form, the name of its condition: `-m recent --rcheck --name x`.
    public static func text(of call: ExtensionCall) -> String {
        var writer = SaveWriter()
        writer.word("-m")
        writer.word(call.spec.name)
        call.spec.printOptions(call, to: &writer)
        return String(writer.text.drop { $0 == " " })
    }

    /// The header options `-s -d -i -o -p -f` as one class (or its complement pieces).
    public static func header(_ header: HeaderMatch, family: Family) -> PacketSpace {
        var cube = PacketCube()
        var negated: [(PacketField, FieldSet)] = []
        var conditions: [String] = []
        // Non-contiguous masks: the addresses their leading ones fix, with the rest a condition.
        var masked: [(field: PacketField, prefix: IntervalSet, condition: String, negated: Bool)] = []
        func add(_ field: PacketField, _ set: FieldSet, _ isNegated: Bool) {
            if isNegated { negated.append((field, set)) } else { cube.restrict(field, to: set) }
        }
        for (field, flag, network) in [(PacketField.source, "-s", header.source), (.destination, "-d", header.destination)] {
            guard let network, !(network.value.isAny && !network.negated) else { continue }
            if let set = addresses(network.value) {
                add(field, .intervals(set), network.negated)
            } else {
                let text = (network.negated ? "! " : "") + "\(flag) \(network.value)"
                if let prefix = prefixPart(network.value) {
                    masked.append((field, prefix, text, network.negated))
                } else {
                    conditions.append(text)
                }
            }
        }
        for (field, interface) in [(PacketField.inInterface, header.inInterface), (.outInterface, header.outInterface)] {
            guard let interface else { continue }
            add(field, .intervals(interface.value.encodedRange), interface.negated)
        }
        if let proto = header.protocol, proto.value != 0 {
            add(.protocol, .intervals(IntervalSet(value: UInt128(proto.value))), proto.negated)
        }
        if let fragment = header.fragment {
            add(.fragment, .intervals(IntervalSet(value: 1)), fragment.negated)
        }
        var space = PacketSpace(family: family, cubes: [cube])
        for (field, set) in negated {
            let outside = field.full(family).subtracting(set)
            space = space.intersection(.where(field, outside, family: family))
        }
        for condition in conditions { space = space.intersection(.condition(condition, family: family)) }
        for item in masked {
            // `-d V/M`: inside the prefix and the condition; `! -d V/M`: outside the prefix, or
            // inside it with the condition (that the negated match holds).
            let inside = PacketSpace.where(item.field, .intervals(item.prefix), family: family)
                .intersection(.condition(item.condition, family: family))
            let rest = IntervalSet(0, item.field.maximum(family)).subtracting(item.prefix)
            let outside = PacketSpace.where(item.field, .intervals(rest), family: family)
            space = space.intersection(item.negated ? (outside.union(inside) ?? inside) : inside)
        }
        return space
    }

    /// The addresses a mask with holes fixes by its leading ones (`128.0.0.0/255.0.0.255`:
    /// 128.0.0.0/8), which the algebra expresses exactly; nil when it fixes none.
    static func prefixPart(_ network: Network) -> IntervalSet? {
        let family = network.address.family
        guard network.mask.family == family else { return nil }
        let all = PacketField.destination.maximum(family)
        // The mask's leading ones, counted at the top of 128 bits.
        let leading = (~(value(of: network.mask) << all.leadingZeroBitCount)).leadingZeroBitCount
        guard leading > 0 else { return nil }
        let fixed = all & ~(all >> leading)
        let low = value(of: network.address) & fixed
        return IntervalSet(low, low | (all & ~fixed))
    }

    /// The addresses of a network as an interval; nil for a mask with holes.
    public static func addresses(_ network: Network) -> IntervalSet? {
        switch (network.address, network.mask) {
        case (.v4(let address), .v4(let mask)):
            guard mask.prefixLength != nil else { return nil }
            return IntervalSet(UInt128(address.value), UInt128(address.value | ~mask.value))
        case (.v6(let address), .v6(let mask)):
            let value = UInt128(address.high) << 64 | UInt128(address.low)
            let maskValue = UInt128(mask.high) << 64 | UInt128(mask.low)
            guard maskValue == 0 || (~maskValue) & (~maskValue &+ 1) == 0 else { return nil }
            return IntervalSet(value, value | ~maskValue)
        default:
            return nil
        }
    }

    /// The address a value of an address field stands for.
    public static func address(_ value: UInt128, family: Family) -> IPAddress {
        family == .ipv4 ? .v4(IPv4Address(UInt32(truncatingIfNeeded: value)))
                        : .v6(IPv6Address(high: UInt64(truncatingIfNeeded: value >> 64), low: UInt64(truncatingIfNeeded: value)))
    }

    /// The numeric value of an address in the field's encoding.
    public static func value(of address: IPAddress) -> UInt128 {
        switch address {
        case .v4(let v4): return UInt128(v4.value)
        case .v6(let v6): return UInt128(v6.high) << 64 | UInt128(v6.low)
        }
    }
}

extension ExtensionSpec {
    /// The conjunction of each option's set, negated where the option was: for `space`
    /// declarations whose options are independent. `option` returns nil for an option the
    /// algebra cannot express, which makes the whole call a condition.
    public func spaceOfAll(_ call: ExtensionCall, _ family: Family,
                           _ option: (OptionSetting, String) -> PacketSpace?) -> PacketSpace? {
        var space = PacketSpace.all(family)
        for setting in call.settings {
            guard var part = option(setting, options[setting.option].name) else { return nil }
            if setting.negated {
                guard let complement = part.complement else { return nil }
                part = complement
            }
            space = space.intersection(part)
        }
        return space
    }
}
