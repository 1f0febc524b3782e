// libxt_CONNMARK.c (revision 1) / net/netfilter/xt_connmark.c (connmark_tg): the connection's mark.

extension ExtensionSpec {
    /// `-j CONNMARK`: --set-xmark/--set-mark/--and-mark/--or-mark/--xor-mark on the conntrack
    /// mark, or --save-mark / --restore-mark between packet and connection, with --nfmask,
    /// --ctmask (or --mask for both). iptables-save prints `--set-xmark V/M` or
    /// `--save-mark|--restore-mark --nfmask M --ctmask M`.
    public static let connmarkTarget = ExtensionSpec(
        "CONNMARK", kind: .target,
        options: [
            OptionSpec("set-xmark", .masked(bits: 32, alwaysPrintMask: true)),
            OptionSpec("save-mark", .flag),
            OptionSpec("restore-mark", .flag),
            OptionSpec("nfmask", .hexNumber(0...UInt64(UInt32.max), name: "mask")),
            OptionSpec("ctmask", .hexNumber(0...UInt64(UInt32.max), name: "mask")),
            OptionSpec("set-mark", .masked(bits: 32)),
            OptionSpec("and-mark", .hexNumber(0...UInt64(UInt32.max), name: "mark")),
            OptionSpec("or-mark", .hexNumber(0...UInt64(UInt32.max), name: "mark")),
            OptionSpec("xor-mark", .hexNumber(0...UInt64(UInt32.max), name: "mark")),
            OptionSpec("mask", .hexNumber(0...UInt64(UInt32.max), name: "mask")),
        ],
        finalize: { call, context in
            let full: UInt64 = 0xFFFF_FFFF
            let modes = ["set-xmark", "save-mark", "restore-mark", "set-mark", "and-mark", "or-mark", "xor-mark"]
            let given = modes.filter { call.has($0) }
            guard given.count == 1, let mode = given.first else { return }
            func number(_ name: String) -> UInt64? {
                if case .number(let value)? = call.setting(name)?.value { return value }
                return nil
            }
            if mode == "save-mark" || mode == "restore-mark" {
                let both = number("mask")
                let nfmask = number("nfmask") ?? both ?? full
                let ctmask = number("ctmask") ?? both ?? full
                call.settings = []
                call.set(mode, .flag)
                call.set("nfmask", .number(nfmask))
                call.set("ctmask", .number(ctmask))
                return
            }
            if call.has("nfmask") || call.has("ctmask") || call.has("mask") {
                context.error("--nfmask, --ctmask and --mask go with --save-mark or --restore-mark")
            }
            var pair: (UInt64, UInt64) = (0, full)
            switch call.setting(mode)?.value {
            case .masked(let mark, let mask)?: pair = mode == "set-mark" ? (mark, mark | mask) : (mark, mask)
            case .number(let value)?:
                switch mode {
                case "and-mark": pair = (0, ~value & full)
                case "or-mark": pair = (value, value)
                default: pair = (value, 0)
                }
            default: break
            }
            call.settings = []
            call.set("set-xmark", .masked(value: pair.0, mask: pair.1))
        },
        apply: { call, packet in
            // xt_connmark.c connmark_tg: without a connection (the raw table, untracked
            // packets) nothing changes.
            guard packet.conntrack.hasConnection else { return .continue }
            if case .masked(let value, let mask)? = call.setting("set-xmark")?.value {
                guard let current = packet.conntrack.mark else { return .continue }
                packet.conntrack.mark = (current & ~UInt32(truncatingIfNeeded: mask)) ^ UInt32(truncatingIfNeeded: value)
            } else if case .number(let nfmask)? = call.setting("nfmask")?.value, case .number(let ctmask)? = call.setting("ctmask")?.value {
                let nf = UInt32(truncatingIfNeeded: nfmask), ct = UInt32(truncatingIfNeeded: ctmask)
                if call.has("save-mark") {
                    guard let current = packet.conntrack.mark else { return .continue }
                    packet.conntrack.mark = (current & ~ct) ^ (packet.mark & nf)
                } else if let current = packet.conntrack.mark {
                    packet.mark = (packet.mark & ~nf) ^ (current & ct)
                }
            }
            return .continue
        }, usesConntrack: true,
        traits: .rewritesModelledFields, symbolic: { call in
            if case .masked(let value, let mask)? = call.setting("set-xmark")?.value {
                return .connmark(value: value, mask: mask)
            }
            let full: OptionValue = .number(0xFFFF_FFFF)
            return .copyMark(toConnection: call.has("save-mark"), text: SymbolicAction.text(of: call),
                             wholly: call.setting("nfmask")?.value == full && call.setting("ctmask")?.value == full)
        }, listing: .connmarkTarget,
        groups: [.exactlyOne("set-xmark", "save-mark", "restore-mark", "set-mark", "and-mark", "or-mark", "xor-mark")])
}

// libxt_CONNMARK.c connmark_tg_print: `CONNMARK and|or|xor|set 0xV`, `CONNMARK xset 0xV/0xM`,
// `CONNMARK save [mask 0xM | nfmask 0xN ctmask ~0xC]`, `CONNMARK restore [mask 0xM |
// ctmask 0xC nfmask ~0xN]` (the `~` masks print as given to --ctmask / --nfmask).
extension ListingForm {
    static let connmarkTarget = ListingForm.keywords(lead: "CONNMARK", [
        ListingKeyword("and", "and-mark"), ListingKeyword("or", "or-mark"), ListingKeyword("xor", "xor-mark"),
        ListingKeyword("set", "set-mark"), ListingKeyword("xset", "set-xmark"),
        ListingKeyword("save", "save-mark", values: 0), ListingKeyword("restore", "restore-mark", values: 0),
        ListingKeyword("mask", "mask"), ListingKeyword("nfmask", "nfmask", convert: complement),
        ListingKeyword("ctmask", "ctmask", convert: complement),
    ])

    /// `~0xM` as printed for the second mask of save and restore: the mask itself.
    static let complement: @Sendable (String, Int, inout ListingReader) -> String? = { text, _, _ in
        text.hasPrefix("~") ? String(text.dropFirst()) : text
    }
}
