// libipt_TTL.c, libip6t_HL.c / net/netfilter/xt_HL.c: set, raise or lower the TTL / hop limit.

extension ExtensionSpec {
    static func hopTargetCheck(_ names: [String]) -> @Sendable (inout ExtensionCall, inout FinalizeContext) -> Void {
        { call, context in
            if let setting = call.settings.first, call.spec.options[setting.option].name != names[0], setting.value == .number(0) {
                context.error("--\(call.spec.options[setting.option].name) 0 changes nothing and is refused")
            }
        }
    }

    /// `-j TTL --ttl-set N | --ttl-dec N | --ttl-inc N` (IPv4), mangle table.
    public static let ttlTarget = ExtensionSpec(
        "TTL", kind: .target, families: .ipv4,
        options: [
            OptionSpec("ttl-set", .number(0...255, name: "TTL")),
            OptionSpec("ttl-dec", .number(0...255, name: "TTL")),
            OptionSpec("ttl-inc", .number(0...255, name: "TTL")),
        ],
        tables: ["mangle"], finalize: hopTargetCheck(["ttl-set", "ttl-dec", "ttl-inc"]),
        listing: .ttlTarget, groups: [.exactlyOne("ttl-set", "ttl-dec", "ttl-inc")])

    /// `-j HL --hl-set N | --hl-dec N | --hl-inc N` (IPv6), mangle table.
    public static let hlTarget = ExtensionSpec(
        "HL", kind: .target, families: .ipv6,
        options: [
            OptionSpec("hl-set", .number(0...255, name: "hop limit")),
            OptionSpec("hl-dec", .number(0...255, name: "hop limit")),
            OptionSpec("hl-inc", .number(0...255, name: "hop limit")),
        ],
        tables: ["mangle"], finalize: hopTargetCheck(["hl-set", "hl-dec", "hl-inc"]),
        listing: .hlTarget, groups: [.exactlyOne("hl-set", "hl-dec", "hl-inc")])
}

// libipt_TTL.c TTL_print: `TTL set to N`, `TTL increment by N`, `TTL decrement by N`;
// libip6t_HL.c: the same with `HL`.
extension ListingForm {
    static let ttlTarget = ListingForm.keywords(lead: "TTL", [
        ListingKeyword("set to", "ttl-set"), ListingKeyword("increment by", "ttl-inc"), ListingKeyword("decrement by", "ttl-dec"),
    ])
    static let hlTarget = ListingForm.keywords(lead: "HL", [
        ListingKeyword("set to", "hl-set"), ListingKeyword("increment by", "hl-inc"), ListingKeyword("decrement by", "hl-dec"),
    ])
}
