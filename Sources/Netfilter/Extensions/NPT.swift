// libip6t_DNPT.c, libip6t_SNPT.c / net/ipv6/netfilter/ip6t_NPT.c: IPv6 network prefix translation.

extension ExtensionSpec {
    /// A prefix of at most 64 bits without host bits: ip6t_NPT refuses `dead::beef` (a /128).
    static let ipv6Prefix = ValueType(arity: .one, parse: { arguments, context throws(ValueError) in
        let address = arguments[0].split(separator: "/", omittingEmptySubsequences: false)[0]
        guard let network = Network(parsing: Array(arguments[0].utf8), family: context.family),
              case .v6(let written) = IPAddress(parsing: Array(address.utf8), family: context.family),
              case .v6(let masked) = network.address, written == masked, let length = network.prefixLength, length <= 64 else {
            throw ValueError("invalid prefix \"\(arguments[0])\" (an IPv6 network of at most /64, without host bits)")
        }
        return .network(network)
    }, print: { value, writer in
        if case .network(let network) = value { writer.word(network.description) }
    })

    /// `-j DNPT --src-pfx PREFIX --dst-pfx PREFIX`, mangle PREROUTING and OUTPUT.
    public static let dnpt = ExtensionSpec(
        "DNPT", kind: .target, families: .ipv6,
        options: [OptionSpec("src-pfx", ipv6Prefix, required: true), OptionSpec("dst-pfx", ipv6Prefix, required: true)],
        tables: ["mangle"], hooks: [.prerouting, .output], listing: .dnpt)

    /// `-j SNPT --src-pfx PREFIX --dst-pfx PREFIX`, mangle INPUT and POSTROUTING.
    public static let snpt = ExtensionSpec(
        "SNPT", kind: .target, families: .ipv6,
        options: [OptionSpec("src-pfx", ipv6Prefix, required: true), OptionSpec("dst-pfx", ipv6Prefix, required: true)],
        tables: ["mangle"], hooks: [.input, .postrouting], listing: .snpt)
}

// libip6t_DNPT.c / libip6t_SNPT.c: `DNPT src-pfx A/L dst-pfx A/L` (`SNPT` likewise).
extension ListingForm {
    static let dnpt = ListingForm.keywords(lead: "DNPT", [
        ListingKeyword("src-pfx", "src-pfx"), ListingKeyword("dst-pfx", "dst-pfx"),
    ])
    static let snpt = ListingForm.keywords(lead: "SNPT", [
        ListingKeyword("src-pfx", "src-pfx"), ListingKeyword("dst-pfx", "dst-pfx"),
    ])
}
