// libebt_among.c / net/bridge/netfilter/ebt_among.c: the frame's source or destination MAC
// address in a list, each entry optionally with an IPv4 address (`MAC=IP`). The kernel
// reads the frame's address (the IPv4 header's for IPv4 frames, the ARP sender's or
// target's for ARP frames, none for any other frame: 0) and looks the MAC up
// (ebt_mac_wormhash_contains): an entry without an address matches the MAC alone; an
// entry with one only where the frame has an address (not 0) and it is the entry's. So an
// IPv6 frame matches only entries without an address.

extension EbtablesModule {
    /// `[!] --among-src MAC[=IP],...`, `--among-dst`, and the `-file` forms.
    static let among = EbtablesModule("among", .match, options: [
        EbtablesOption(["--among-dst"], module: "", .macList),
        EbtablesOption(["--among-src"], module: "", .macList),
        EbtablesOption(["--among-dst-file"], module: "", .text(maxLength: 4096)),
        EbtablesOption(["--among-src-file"], module: "", .text(maxLength: 4096)),
    ], read: EbtAmong.init)
}

/// The among match's lists, typed.
struct EbtAmong: EbtablesExtension {
    /// One entry of a list: a MAC address, and the IPv4 address that goes with it (nil: any).
    struct Entry: Sendable, Hashable {
        var mac: UInt64
        var address: Network?

        /// `MAC[=IP]`.
        init?(_ text: Substring) {
            let parts = text.filter { $0 != " " }.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let mac = MACAddress(parsing: Array(parts[0].utf8)) else { return nil }
            self.mac = mac.value
            guard parts.count > 1 else { return }
            guard let network = Network(parsing: Array(parts[1].utf8), family: .ipv4) else { return nil }
            // The kernel's 0 is "no address".
            address = network.address == .v4(IPv4Address(0, 0, 0, 0)) ? nil : network
        }
    }

    var source: Negatable<[Entry]>?
    var destination: Negatable<[Entry]>?
    /// `--among-src-file` / `--among-dst-file`, as written: lists verdict cannot read.
    var files: [String] = []

    init(_ options: EbtablesOptions) {
        func list(_ text: String) -> [Entry]? {
            let entries = text.split(separator: ",").compactMap(Entry.init)
            return entries.count == text.split(separator: ",").count ? entries : nil
        }
        source = options.value("--among-src", list)
        destination = options.value("--among-dst", list)
        files = ["--among-src-file", "--among-dst-file"].compactMap { options.text($0) }
    }

    func check(_ packet: Packet, place: String) -> EbtablesCheck {
        var open = EbtablesOpenConditions(packet.family)
        for (option, list, mac, address, field) in [
            ("--among-src", source, packet.sourceMAC, packet.source, PacketField.source),
            ("--among-dst", destination, packet.destinationMAC, packet.destination, .destination),
        ] {
            guard let list else { continue }
            guard let mac else {
                open.condition("\(place) \(option) (the frame's MAC address)")
                continue
            }
            let entries = list.value.filter { $0.mac == mac.value }
            let contains: Bool
            if entries.isEmpty || entries.contains(where: { $0.address == nil }) {
                contains = !entries.isEmpty
            } else if packet.family != .ipv4 {
                contains = false
            } else if let address {
                contains = entries.contains { $0.address?.contains(address) == true }
            } else {
                // The MAC is listed with addresses: the frame's address decides.
                let sets = entries.map { $0.address.flatMap(RuleSpace.addresses) }
                let addresses = sets.compactMap { $0 }
                if addresses.count < sets.count {
                    open.condition("\(place) \(option) (the frame's address)")
                } else {
                    open.restrict(field, .intervals(addresses.reduce(IntervalSet()) { $0.union($1) }),
                                  negated: list.negated)
                }
                continue
            }
            if !list.passes(contains) {
                let frame = packet.family == .ipv4 ? address.map { " address \($0)" } ?? "" : " (no IPv4 address)"
                return .fails("\(option): MAC \(mac)" + (entries.isEmpty ? "" : frame))
            }
        }
        for file in files { open.condition("\(place) \(file) (a list verdict does not read)") }
        return open.result
    }
}
