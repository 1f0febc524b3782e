// libip6t_srh.c / net/ipv6/netfilter/ip6t_srh.c: the IPv6 segment routing header.

extension ExtensionSpec {
    /// `ADDR/LEN` printed as written (libip6t_srh prints the address unmasked, with its length).
    static let srhSegment = ValueType(arity: .one, parse: { arguments, context throws(ValueError) in
        let parts = arguments[0].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parsing: Array(parts[0].utf8), family: context.family),
              let network = Network(parsing: Array(arguments[0].utf8), family: context.family),
              let length = network.prefixLength else {
            throw ValueError("invalid segment \"\(arguments[0])\" (ADDR/LEN)")
        }
        let host: IPAddress = .v6(.mask(prefixLength: 128))
        return .tuple([.network(Network(address: address, mask: host)), .number(UInt64(length))])
    }, print: { value, writer in
        guard case .tuple(let parts) = value, parts.count == 2, case .network(let host) = parts[0],
              case .number(let length) = parts[1] else { return }
        writer.word("\(host.address)/\(length)")
    })

    /// `-m srh` with --srh-next-hdr, --srh-hdr-len-{eq,gt,lt}, --srh-segs-left-{eq,gt,lt},
    /// --srh-last-entry-{eq,gt,lt}, --srh-tag, --srh-psid, --srh-nsid, --srh-lsid (each negatable).
    public static let srh = ExtensionSpec(
        "srh", kind: .match, families: .ipv6,
        options: [
            OptionSpec("srh-next-hdr", .number(0...255, name: "next header"), negatable: true),
            OptionSpec("srh-hdr-len-eq", .number(0...255, name: "length"), negatable: true),
            OptionSpec("srh-hdr-len-gt", .number(0...255, name: "length"), negatable: true),
            OptionSpec("srh-hdr-len-lt", .number(0...255, name: "length"), negatable: true),
            OptionSpec("srh-segs-left-eq", .number(0...255, name: "segments left"), negatable: true),
            OptionSpec("srh-segs-left-gt", .number(0...255, name: "segments left"), negatable: true),
            OptionSpec("srh-segs-left-lt", .number(0...255, name: "segments left"), negatable: true),
            OptionSpec("srh-last-entry-eq", .number(0...255, name: "last entry"), negatable: true),
            OptionSpec("srh-last-entry-gt", .number(0...255, name: "last entry"), negatable: true),
            OptionSpec("srh-last-entry-lt", .number(0...255, name: "last entry"), negatable: true),
            OptionSpec("srh-tag", .number(0...65535, name: "tag"), negatable: true),
            OptionSpec("srh-psid", srhSegment, negatable: true),
            OptionSpec("srh-nsid", srhSegment, negatable: true),
            OptionSpec("srh-lsid", srhSegment, negatable: true),
        ], listing: .srh)
}

// libip6t_srh.c srh1_print: `srh [next-hdr:[!]N] [hdr-len-eq:[!]N] ... [tag:[!]N]
// [psid [!] ADDR/LEN] [nsid ...] [lsid ...]`.
extension ListingForm {
    static let srh = ListingForm.keywords(lead: "srh", [
        "next-hdr", "hdr-len-eq", "hdr-len-gt", "hdr-len-lt", "segs-left-eq", "segs-left-gt", "segs-left-lt",
        "last-entry-eq", "last-entry-gt", "last-entry-lt", "tag",
    ].map { ListingKeyword($0 + ":", "srh-" + $0) } + ["psid", "nsid", "lsid"].map { ListingKeyword($0, "srh-" + $0) })
}
