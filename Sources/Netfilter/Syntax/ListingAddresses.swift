/// Addresses as `iptables -L` prints them: numeric with `-n`; without it `anywhere` for
/// a zero mask and a host or network name where the listing host had one
/// (xtables_ipaddr_to_anyname: /etc/networks first, then the resolver). Names are
/// read back only for the standard entries every system has; any other is refused,
/// since resolving it now could give another address than the listing host did.
enum ListingAddresses {
    /// The names of /etc/networks (Debian's netbase) and /etc/hosts that every installation has.
    static let standardNames: [String: (ipv4: String?, ipv6: String?)] = [
        "loopback": ("127.0.0.0", nil),
        "link-local": ("169.254.0.0", nil),
        "localhost": ("127.0.0.1", "::1"),
        "ip6-localhost": (nil, "::1"),
        "ip6-loopback": (nil, "::1"),
        "default": ("0.0.0.0", nil),
    ]

    /// The save text for a printed address (`anywhere` becomes `0.0.0.0/0`); a name is
    /// reported as a loss when it is a standard one, refused otherwise.
    static func saveText(_ text: String, family: Family, column: Int, reader: inout ListingReader) -> String {
        if text == "anywhere" {
            if family == .ipv6 {
                // ipv6_addr_to_string prints any mask of the address :: so (xshared.c).
                reader.lost("IPv6 address printed as 'anywhere' (listed without -n), which ip6tables prints for :: under any mask: read as ::/0",
                            column: column)
            }
            return family == .ipv4 ? "0.0.0.0/0" : "::/0"
        }
        var bytes = Array(text.utf8)
        if Network(parsing: bytes, family: family) != nil { return text }
        var mask = ""
        if let slash = bytes.firstIndex(of: 0x2F) {
            mask = String(decoding: bytes[slash...], as: UTF8.self)
            bytes = Array(bytes[..<slash])
        }
        let name = String(decoding: bytes, as: UTF8.self)
        let known = standardNames[name].flatMap { family == .ipv4 ? $0.ipv4 : $0.ipv6 }
        if let known {
            reader.lost("address printed as the name '\(name)' (listed without -n): read as \(known)", column: column)
            return known + mask
        }
        if name.unicodeScalars.contains(where: { !($0.properties.isAlphabetic || $0 == "-" || $0 == "." || ("0"..."9").contains($0)) }) {
            return text
        }
        reader.fail("address printed as the name '\(name)' (listed without -n): names are not resolved offline; list with -n",
                    column: column)
        return family == .ipv4 ? "0.0.0.0/0" : "::/0"
    }
}
