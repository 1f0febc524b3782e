// ebtables' own options (xtables-eb.c ebt_original_options) and the match extensions
// (libebt_802_3.c, among, arp, ip, ip6, limit, mark_m, pkttype, stp, vlan); the protocols
// their kernel modules check (net/bridge/netfilter/ebt_ip.c: `e->ethproto != htons(ETH_P_IP)`
// is -EINVAL, and so on).

extension EbtablesModule {
    static let basic = EbtablesModule("", .basic, options: [
        EbtablesOption(["-p", "--protocol", "--proto"], module: "", .etherType),
        EbtablesOption(["-i", "--in-interface", "--in-if"], module: "", .interface),
        EbtablesOption(["-o", "--out-interface", "--out-if"], module: "", .interface),
        EbtablesOption(["--logical-in"], module: "", .interface),
        EbtablesOption(["--logical-out"], module: "", .interface),
        EbtablesOption(["-s", "--source", "--src"], module: "", .macWithMask),
        EbtablesOption(["-d", "--destination", "--dst"], module: "", .macWithMask),
        EbtablesOption(["-j", "--jump"], module: "", .target, negatable: false),
        EbtablesOption(["-c", "--set-counters"], module: "", .number(max: UInt64.max), words: 2, negatable: false),
    ])

    static let byteLimit = UInt64(0xFF)
    static let wordLimit = UInt64(0xFFFF)

    static let matches: [EbtablesModule] = [
        EbtablesModule("802_3", .match, protocols: [EtherTypes.length], options: [
            EbtablesOption(["--802_3-sap"], module: "", .hex(max: byteLimit)),
            EbtablesOption(["--802_3-type"], module: "", .hex(max: wordLimit)),
        ]),
        EbtablesModule("among", .match, options: [
            EbtablesOption(["--among-dst"], module: "", .macList),
            EbtablesOption(["--among-src"], module: "", .macList),
            EbtablesOption(["--among-dst-file"], module: "", .text(maxLength: 4096)),
            EbtablesOption(["--among-src-file"], module: "", .text(maxLength: 4096)),
        ]),
        EbtablesModule("arp", .match, protocols: [0x0806, 0x8035], options: [
            EbtablesOption(["--arp-opcode", "--arp-op"], module: "", .word(arpOpcodes, orNumberUpTo: wordLimit)),
            EbtablesOption(["--arp-htype"], module: "", .word(["Ethernet"], orNumberUpTo: wordLimit)),
            EbtablesOption(["--arp-ptype"], module: "", .etherTypeAny),
            EbtablesOption(["--arp-ip-src"], module: "", .ipv4Network),
            EbtablesOption(["--arp-ip-dst"], module: "", .ipv4Network),
            EbtablesOption(["--arp-mac-src"], module: "", .macWithMask),
            EbtablesOption(["--arp-mac-dst"], module: "", .macWithMask),
            EbtablesOption(["--arp-gratuitous"], module: "", nil),
        ]),
        EbtablesModule("ip", .match, protocols: [0x0800],
                       options: addressOptions("--ip", .ipv4Network, class: "--ip-tos")
            + [EbtablesOption(["--ip-igmp-type"], module: "", .text(maxLength: 64))]),
        EbtablesModule("ip6", .match, protocols: [0x86DD],
                       options: addressOptions("--ip6", .ipv6Network, class: "--ip6-tclass")),
        EbtablesModule("limit", .match, options: [
            EbtablesOption(["--limit"], module: "", .rate, negatable: false),
            EbtablesOption(["--limit-burst"], module: "", .number(max: 10_000), negatable: false),
        ]),
        EbtablesModule("mark_m", .match, options: [
            EbtablesOption(["--mark"], module: "", .markWithMask),
        ]),
        EbtablesModule("pkttype", .match, options: [
            EbtablesOption(["--pkttype-type"], module: "", .word(packetTypes, orNumberUpTo: byteLimit)),
        ]),
        EbtablesModule("stp", .match, options: [
            EbtablesOption(["--stp-type"], module: "", .word(["config", "tcn"], orNumberUpTo: byteLimit)),
            EbtablesOption(["--stp-flags"], module: "", .word(["topology-change", "topology-change-ack"],
                                                               orNumberUpTo: byteLimit)),
            EbtablesOption(["--stp-root-prio"], module: "", .numberRange(max: wordLimit)),
            EbtablesOption(["--stp-root-addr"], module: "", .macWithMask),
            EbtablesOption(["--stp-root-cost"], module: "", .numberRange(max: 0xFFFF_FFFF)),
            EbtablesOption(["--stp-sender-prio"], module: "", .numberRange(max: wordLimit)),
            EbtablesOption(["--stp-sender-addr"], module: "", .macWithMask),
            EbtablesOption(["--stp-port"], module: "", .numberRange(max: wordLimit)),
            EbtablesOption(["--stp-msg-age"], module: "", .numberRange(max: wordLimit)),
            EbtablesOption(["--stp-max-age"], module: "", .numberRange(max: wordLimit)),
            EbtablesOption(["--stp-hello-time"], module: "", .numberRange(max: wordLimit)),
            EbtablesOption(["--stp-forward-delay"], module: "", .numberRange(max: wordLimit)),
        ]),
        EbtablesModule("vlan", .match, protocols: [0x8100], options: [
            EbtablesOption(["--vlan-id"], module: "", .number(max: 4094)),
            EbtablesOption(["--vlan-prio"], module: "", .number(max: 7)),
            EbtablesOption(["--vlan-encap"], module: "", .etherTypeAny),
        ]),
    ]

    /// The options libebt_ip.c and libebt_ip6.c share, under their prefix (`--ip`, `--ip6`).
    static func addressOptions(_ prefix: String, _ address: EbtablesValue, class name: String) -> [EbtablesOption] {
        [EbtablesOption([prefix + "-src", prefix + "-source"], module: "", address),
         EbtablesOption([prefix + "-dst", prefix + "-destination"], module: "", address),
         EbtablesOption([name], module: "", .hex(max: byteLimit)),
         EbtablesOption([prefix + "-proto", prefix + "-protocol"], module: "", .ipProtocol),
         EbtablesOption([prefix + "-sport", prefix + "-source-port"], module: "", .portRange),
         EbtablesOption([prefix + "-dport", prefix + "-destination-port"], module: "", .portRange),
         EbtablesOption([prefix + "-icmp-type"], module: "", .text(maxLength: 64))]
    }

    /// libebt_arp.c's opcode names (1 to 10, then 25 for ARP_NAK).
    static let arpOpcodes = ["Request", "Reply", "Request_Reverse", "Reply_Reverse", "DRARP_Request",
                             "DRARP_Reply", "DRARP_Error", "InARP_Request", "ARP_NAK"]
    /// libebt_pkttype.c's classes.
    static let packetTypes = ["host", "broadcast", "multicast", "otherhost", "outgoing", "loopback", "fastroute"]
}
