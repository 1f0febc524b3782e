// libxt_ipvs.c / net/netfilter/xt_ipvs.c: packets of IPVS connections.

extension ExtensionSpec {
    /// `ADDR[/MASK]` kept as written: libxt_ipvs prints the address unmasked, then `/LEN`
    /// unless the mask is full. Stored as `.tuple([.network(ADDR/full), .number(LEN)])`.
    static let ipvsAddress = ValueType(arity: .one, parse: { arguments, context throws(ValueError) in
        let parts = arguments[0].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let full = context.family == .ipv4 ? 32 : 128
        guard let address = IPAddress(parsing: Array(parts[0].utf8), family: context.family),
              let network = Network(parsing: Array(arguments[0].utf8), family: context.family),
              let length = network.prefixLength else {
            throw ValueError("invalid address \"\(arguments[0])\"")
        }
        let host: IPAddress = context.family == .ipv4 ? .v4(.mask(prefixLength: full)) : .v6(.mask(prefixLength: full))
        return .tuple([.network(Network(address: address, mask: host)), .number(UInt64(length))])
    }, print: { value, writer in
        guard case .tuple(let parts) = value, parts.count == 2, case .network(let host) = parts[0],
              case .number(let length) = parts[1] else { return }
        let full: UInt64 = host.address.family == .ipv4 ? 32 : 128
        writer.word(length == full ? host.address.description : "\(host.address)/\(length)")
    })

    /// `-m ipvs [!] --ipvs [!] --vproto P [!] --vaddr A[/M] [!] --vport P [--vdir ORIGINAL|REPLY]
    /// [!] --vmethod GATE|IPIP|MASQ [!] --vportctl P`.
    public static let ipvs = ExtensionSpec(
        "ipvs", kind: .match,
        options: [
            OptionSpec("ipvs", .flag, negatable: true),
            OptionSpec("vproto", conntrackProtocol, negatable: true),
            OptionSpec("vaddr", ipvsAddress, negatable: true),
            OptionSpec("vport", .portRange, negatable: true),
            OptionSpec("vdir", conntrackDirection),
            OptionSpec("vmethod", .keyword(["GATE": "GATE", "IPIP": "IPIP", "MASQ": "MASQ"], caseInsensitive: true), negatable: true),
            OptionSpec("vportctl", .portRange, negatable: true),
        ],
        requiresOption: true, listing: .ipvs)
}

// libxt_ipvs.c ipvs_mt_dump: `[!] ipvs [!] vproto N [!] vaddr A [!] vport N vdir ORIGINAL|REPLY
// [!] vmethod GATE|IPIP|MASQ [!] vportctl N`.
extension ListingForm {
    static let ipvs = ListingForm.keywords([
        ListingKeyword("ipvs", "ipvs", values: 0), ListingKeyword("vproto", "vproto"),
        ListingKeyword("vaddr", "vaddr", convert: address), ListingKeyword("vport", "vport"), ListingKeyword("vdir", "vdir"),
        ListingKeyword("vmethod", "vmethod"), ListingKeyword("vportctl", "vportctl"),
    ])
}
