// libebt_vlan.c / net/bridge/netfilter/ebt_vlan.c: the 802.1Q tag of `-p 802_1Q` frames
// (ebt_vlan_mt_check refuses any other -p). verdict's frames are untagged: the rule's -p
// fails for them, and the match finds no tag.

extension EbtablesModule {
    /// `--vlan-id`, `--vlan-prio`, `--vlan-encap`.
    static let vlan = EbtablesModule("vlan", .match, protocols: [0x8100], options: [
        EbtablesOption(["--vlan-id"], module: "", .number(max: 4094)),
        EbtablesOption(["--vlan-prio"], module: "", .number(max: 7)),
        EbtablesOption(["--vlan-encap"], module: "", .etherTypeAny),
    ], read: EbtVLAN.init)
}

/// The vlan match's options, typed.
struct EbtVLAN: EbtablesExtension {
    var id: Negatable<UInt16>?
    var priority: Negatable<UInt8>?
    /// The Ethernet protocol inside the tag.
    var encapsulated: Negatable<UInt16>?

    init(_ options: EbtablesOptions) {
        id = options.value("--vlan-id") { EbtablesValue.number($0).flatMap(UInt16.init(exactly:)) }
        priority = options.value("--vlan-prio") { EbtablesValue.number($0).flatMap(UInt8.init(exactly:)) }
        encapsulated = options.value("--vlan-encap", EtherTypes.number)
    }

    func check(_ packet: Packet, place: String) -> EbtablesCheck {
        .otherFrames("vlan", reads: "802.1Q-tagged frames", packet)
    }
}
