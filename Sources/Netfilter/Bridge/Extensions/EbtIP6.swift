// libebt_ip6.c / net/bridge/netfilter/ebt_ip6.c: the IPv6 header of `-p IPv6` frames, read
// into an `EbtIPHeader` (EbtIPHeader.swift, which ip shares).

extension EbtablesModule {
    /// `--ip6-src`, `--ip6-dst`, `--ip6-tclass`, `--ip6-proto`, `--ip6-sport`,
    /// `--ip6-dport`, `--ip6-icmp-type`.
    static let ip6 = EbtablesModule(
        "ip6", .match, protocols: [0x86DD],
        options: addressOptions("--ip6", .ipv6Network, class: "--ip6-tclass"),
        validate: { addressProblems($0, prefix: "--ip6", icmp: IPProtocol.icmpv6) },
        read: { EbtIPHeader($0, prefix: "--ip6", classOption: "--ip6-tclass", family: .ipv6,
                            icmpNames: ExtensionSpec.icmpv6TypeNames) })
}
