// libxt_MARK.c (revision 2) / net/netfilter/xt_mark.c (mark_tg): set the packet's fwmark.

extension ExtensionSpec {
    /// `-j MARK --set-xmark V[/M] | --set-mark V[/M] | --and-mark V | --or-mark V | --xor-mark V`.
    /// Every form is the kernel's (mark, mask) pair — new = (old & ~mask) ^ mark — and iptables-save
    /// prints it as `--set-xmark 0xMARK/0xMASK`.
    public static let markTarget = ExtensionSpec(
        "MARK", kind: .target,
        options: [
            OptionSpec("set-xmark", .masked(bits: 32, alwaysPrintMask: true)),
            OptionSpec("set-mark", .masked(bits: 32)),
            OptionSpec("and-mark", .hexNumber(0...UInt64(UInt32.max), name: "mark")),
            OptionSpec("or-mark", .hexNumber(0...UInt64(UInt32.max), name: "mark")),
            OptionSpec("xor-mark", .hexNumber(0...UInt64(UInt32.max), name: "mark")),
        ],
        finalize: { call, context in
            guard call.settings.count == 1, let setting = call.settings.first else { return }
            let full: UInt64 = 0xFFFF_FFFF
            let pair: (UInt64, UInt64)
            switch (call.spec.options[setting.option].name, setting.value) {
            case ("set-xmark", .masked(let mark, let mask)): pair = (mark, mask)
            case ("set-mark", .masked(let mark, let mask)): pair = (mark, mark | mask)
            case ("and-mark", .number(let value)): pair = (0, ~value & full)
            case ("or-mark", .number(let value)): pair = (value, value)
            case ("xor-mark", .number(let value)): pair = (value, 0)
            default: return
            }
            call.settings = []
            call.set("set-xmark", .masked(value: pair.0, mask: pair.1))
        },
        apply: { call, packet in
            // xt_mark.c mark_tg: mark = (mark & ~mask) ^ value.
            if case .masked(let value, let mask)? = call.setting("set-xmark")?.value {
                packet.mark = (packet.mark & ~UInt32(truncatingIfNeeded: mask)) ^ UInt32(truncatingIfNeeded: value)
            }
            return .continue
        },
        traits: .rewritesModelledFields, symbolic: { call in
            guard case .masked(let value, let mask)? = call.setting("set-xmark")?.value else {
                return .undetermined("MARK without --set-xmark")
            }
            return .mark(value: value, mask: mask)
        }, listing: .markTarget,
        groups: [.exactlyOne("set-xmark", "set-mark", "and-mark", "or-mark", "xor-mark")])
}

// libxt_MARK.c mark_tg_print: `MARK and 0xV` (the complement of the mask), `MARK or 0xV`,
// `MARK xor 0xV`, `MARK set 0xV`, `MARK xset 0xV/0xM`; revisions 0 and 1 printed
// `MARK set 0xV`, `MARK and 0xV`, `MARK or 0xV` too.
extension ListingForm {
    static let markTarget = ListingForm.keywords(lead: "MARK", [
        ListingKeyword("and", "and-mark"), ListingKeyword("or", "or-mark"), ListingKeyword("xor", "xor-mark"),
        ListingKeyword("set", "set-mark"), ListingKeyword("xset", "set-xmark"),
    ])
}
