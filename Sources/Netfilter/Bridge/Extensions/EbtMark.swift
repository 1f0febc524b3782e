// libebt_mark_m.c / net/bridge/netfilter/ebt_mark_m.c: the frame's mark. `--mark V/M` is
// `(mark & M) == V`, `--mark V` the same with M all ones; `--mark /M` (no value) is
// `(mark & M) != 0` (EBT_MARK_OR).

extension EbtablesModule {
    /// `[!] --mark [VALUE][/MASK]`.
    static let markMatch = EbtablesModule("mark_m", .match, options: [
        EbtablesOption(["--mark"], module: "", .markWithMask),
    ], read: EbtMark.init)
}

/// The mark match's option, typed.
struct EbtMark: EbtablesExtension {
    /// The value and mask, and whether any masked bit set is enough (`/MASK` alone).
    struct Condition: Sendable, Hashable {
        var value: UInt32
        var mask: UInt32
        var anyBit: Bool
    }

    var condition: Negatable<Condition>?

    init(_ options: EbtablesOptions) {
        condition = options.value("--mark") { text in
            let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let mask = parts.count > 1 ? EbtablesParser.parseUnsignedNumber(parts[1]) : 0xFFFF_FFFF
            guard let mask else { return nil }
            if parts[0].isEmpty, parts.count > 1 { return Condition(value: 0, mask: mask, anyBit: true) }
            return EbtablesParser.parseUnsignedNumber(parts[0]).map { Condition(value: $0, mask: mask, anyBit: false) }
        }
    }

    func check(_ packet: Packet, place: String) -> EbtablesCheck {
        guard let condition else { return .matches }
        let (value, mask) = (condition.value.value, condition.value.mask)
        guard packet.open.contains(.mark) else {
            let masked = packet.mark & mask
            let holds = condition.value.anyBit ? masked != 0 : masked == value
            return condition.passes(holds) ? .matches : .fails("--mark: mark 0x\(String(packet.mark, radix: 16))")
        }
        var open = EbtablesOpenConditions(packet.family)
        if condition.value.anyBit {
            // Some masked bit set: not all of them clear.
            open.restrict(.mark, .ternary(TernarySet(value: 0, mask: UInt64(mask))), negated: !condition.negated)
        } else if value & ~mask != 0 {
            // A value with bits outside the mask: no mark has them under it.
            let reason = "--mark: 0x\(String(value, radix: 16)) has bits outside its mask"
            return condition.negated ? .matches : .fails(reason)
        } else {
            open.restrict(.mark, .ternary(TernarySet(value: UInt64(value), mask: UInt64(mask))),
                          negated: condition.negated)
        }
        return open.result
    }
}
