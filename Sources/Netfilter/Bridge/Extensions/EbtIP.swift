// libebt_ip.c / net/bridge/netfilter/ebt_ip.c: the IPv4 header of `-p IPv4` frames, read
// into an `EbtIPHeader` (EbtIPHeader.swift, which ip6 shares).

extension EbtablesModule {
    /// `--ip-src`, `--ip-dst`, `--ip-tos`, `--ip-proto`, `--ip-sport`, `--ip-dport`,
    /// `--ip-icmp-type`, `--ip-igmp-type`.
    static let ip = EbtablesModule(
        "ip", .match, protocols: [0x0800],
        options: addressOptions("--ip", .ipv4Network, class: "--ip-tos")
            + [EbtablesOption(["--ip-igmp-type"], module: "", .text(maxLength: 64))],
        validate: { addressProblems($0, prefix: "--ip", icmp: IPProtocol.icmp) },
        read: { EbtIPHeader($0, prefix: "--ip", classOption: "--ip-tos", family: .ipv4,
                            icmpNames: ExtensionSpec.icmpTypeNames) })
}
