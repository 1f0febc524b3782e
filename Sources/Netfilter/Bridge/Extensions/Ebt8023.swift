// libebt_802_3.c / net/bridge/netfilter/ebt_802_3.c: the LLC header of 802.3 frames, whose
// type field is a length (`-p Length`, which libebt_802_3 asks for). verdict's frames are
// Ethernet II frames with a type (IPv4, IPv6): -p Length fails for them, and the match
// reads no LLC header there.

extension EbtablesModule {
    /// `--802_3-sap`, `--802_3-type`.
    static let ieee8023 = EbtablesModule("802_3", .match, protocols: [EtherTypes.length], options: [
        EbtablesOption(["--802_3-sap"], module: "", .hex(max: byteLimit)),
        EbtablesOption(["--802_3-type"], module: "", .hex(max: wordLimit)),
    ], read: Ebt8023.init)
}

/// The 802_3 match's options, typed.
struct Ebt8023: EbtablesExtension {
    /// The DSAP and SSAP (both), and the SNAP type.
    var sap: Negatable<UInt8>?
    var type: Negatable<UInt16>?

    init(_ options: EbtablesOptions) {
        sap = options.value("--802_3-sap") { EbtablesValue.hex($0).flatMap(UInt8.init(exactly:)) }
        type = options.value("--802_3-type") { EbtablesValue.hex($0).flatMap(UInt16.init(exactly:)) }
    }

    func check(_ packet: Packet, place: String) -> EbtablesCheck {
        .otherFrames("802_3", reads: "802.3 frames (a length where Ethernet II has its type)", packet)
    }
}
