// libebt_arp.c / net/bridge/netfilter/ebt_arp.c: the ARP header of `-p ARP` or `-p RARP`
// frames (ebt_arp_mt_check refuses any other -p). verdict walks IPv4 and IPv6 frames, for
// which the rule's -p already fails; the match itself reads no IP frame.

extension EbtablesModule {
    /// `--arp-opcode`, `--arp-htype`, `--arp-ptype`, `--arp-ip-src`, `--arp-ip-dst`,
    /// `--arp-mac-src`, `--arp-mac-dst`, `--arp-gratuitous`.
    static let arp = EbtablesModule("arp", .match, protocols: [0x0806, 0x8035], options: [
        EbtablesOption(["--arp-opcode", "--arp-op"], module: "", .word(EbtARP.opcodes, orNumberUpTo: wordLimit)),
        EbtablesOption(["--arp-htype"], module: "", .word(["Ethernet"], orNumberUpTo: wordLimit)),
        EbtablesOption(["--arp-ptype"], module: "", .etherTypeAny),
        EbtablesOption(["--arp-ip-src"], module: "", .ipv4Network),
        EbtablesOption(["--arp-ip-dst"], module: "", .ipv4Network),
        EbtablesOption(["--arp-mac-src"], module: "", .macWithMask),
        EbtablesOption(["--arp-mac-dst"], module: "", .macWithMask),
        EbtablesOption(["--arp-gratuitous"], module: "", nil),
    ], read: EbtARP.init)
}

/// The arp match's options, typed.
struct EbtARP: EbtablesExtension {
    /// libebt_arp.c's opcode names: the first is 1 (Request), and so on.
    static let opcodes = ["Request", "Reply", "Request_Reverse", "Reply_Reverse", "DRARP_Request",
                          "DRARP_Reply", "DRARP_Error", "InARP_Request", "ARP_NAK"]

    var opcode: Negatable<UInt16>?
    var hardwareType: Negatable<UInt16>?
    var protocolType: Negatable<UInt16>?
    var ipSource: Negatable<Network>?
    var ipDestination: Negatable<Network>?
    var macSource: Negatable<EbtablesRule.MACCondition>?
    var macDestination: Negatable<EbtablesRule.MACCondition>?
    /// `--arp-gratuitous`: the sender's and target's addresses are the same.
    var gratuitous: Negatable<Bool>?

    init(_ options: EbtablesOptions) {
        func number(_ names: [String]) -> (String) -> UInt16? {
            { text in
                if let index = names.firstIndex(where: { $0.caseInsensitiveCompare(text) == .orderedSame }) {
                    return UInt16(index + 1)
                }
                return EbtablesValue.number(text).flatMap(UInt16.init(exactly:))
            }
        }
        opcode = options.value("--arp-opcode", number(Self.opcodes))
        hardwareType = options.value("--arp-htype", number(["Ethernet"]))
        protocolType = options.value("--arp-ptype", EtherTypes.number)
        ipSource = options.value("--arp-ip-src") { Network(parsing: Array($0.utf8), family: .ipv4) }
        ipDestination = options.value("--arp-ip-dst") { Network(parsing: Array($0.utf8), family: .ipv4) }
        macSource = options.value("--arp-mac-src", EbtablesParser.mac)
        macDestination = options.value("--arp-mac-dst", EbtablesParser.mac)
        gratuitous = options.value("--arp-gratuitous") { _ in true }
    }

    func check(_ packet: Packet, place: String) -> EbtablesCheck {
        .otherFrames("arp", reads: "ARP and RARP frames", packet)
    }
}
