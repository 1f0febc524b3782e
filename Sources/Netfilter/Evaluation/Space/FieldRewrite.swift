/// How a walk has changed one field of a packet so far, relative to the packet as it
/// arrived at the hook: the form every later match and the final outcome are read through.
public enum FieldRewrite: Sendable, Hashable {
    /// A bit field as `(arrived & keep) ^ flip`: what MARK and CONNMARK `--set-xmark` do
    /// (and any sequence of them), exactly. `from` names the field whose arrived value it is
    /// when another one was copied in (CONNMARK --restore-mark puts the connmark in the
    /// mark); nil for the field itself.
    case bits(keep: UInt64, flip: UInt64, from: PacketField?)
    /// One value whatever the packet had: DNAT's address, NOTRACK's state.
    case value(UInt128)
    /// Changed in a way the packet-class algebra does not follow (MASQUERADE's address,
    /// CONNMARK --restore-mark, ...): named by what changed it.
    case opaque(String)
}

extension FieldRewrite {
    /// The rewrite after this one applies `(current & ~mask) ^ value` (xt_mark's mark_tg).
    static func settingBits(_ previous: FieldRewrite?, value: UInt64, mask: UInt64, width: UInt64 = 0xFFFF_FFFF) -> FieldRewrite {
        switch previous {
        case nil:
            return .bits(keep: ~mask & width, flip: value & width, from: nil)
        case .bits(let keep, let flip, let source)?:
            return .bits(keep: keep & ~mask & width, flip: ((flip & ~mask) ^ value) & width, from: source)
        case .value(let constant)?:
            let current = UInt64(truncatingIfNeeded: constant)
            return .value(UInt128(((current & ~mask) ^ value) & width))
        case .opaque(let tag)?:
            return .opaque(tag)
        }
    }

    /// The rewrite of a field that receives another field's current value whole (CONNMARK
    /// --restore-mark or --save-mark with full masks): `current` is the source field's rewrite.
    static func copy(of source: PacketField, current: FieldRewrite?) -> FieldRewrite {
        switch current {
        case nil: return .bits(keep: 0xFFFF_FFFF, flip: 0, from: source)
        case .bits(let keep, let flip, let from)?: return .bits(keep: keep, flip: flip, from: from ?? source)
        case let other?: return other
        }
    }
}

extension TernarySet {
    /// The arrived values whose rewritten value `(x & keep) ^ flip` is in this set.
    func preimage(keep: UInt64, flip: UInt64) -> TernarySet {
        var result = TernarySet()
        for pattern in patterns {
            // Bits the rewrite fixed must agree with the pattern; the kept bits constrain the
            // arrived value.
            let fixed = pattern.mask & ~keep
            guard (flip ^ pattern.value) & fixed == 0 else { continue }
            let mask = pattern.mask & keep
            result = result.union(TernarySet(value: (pattern.value ^ flip) & mask, mask: mask))
        }
        return result
    }

    /// The arrived values on which two bit rewrites give the same value (nil: every value).
    static func agreement(_ a: (keep: UInt64, flip: UInt64), _ b: (keep: UInt64, flip: UInt64), width: UInt64) -> TernarySet? {
        let constant = ((a.keep & b.keep) | (~a.keep & ~b.keep)) & width
        if (a.flip ^ b.flip) & constant != 0 { return TernarySet() }
        let mask = (a.keep ^ b.keep) & width
        if mask == 0 { return nil }
        return TernarySet(value: (a.flip ^ b.flip) & mask, mask: mask)
    }
}
