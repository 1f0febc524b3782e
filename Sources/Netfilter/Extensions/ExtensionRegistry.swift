/// Every extension verdict knows, the one list of them: adding one means writing its file
/// (its options, behaviour, traits and listing form) and naming it here.
public enum ExtensionRegistry {
    /// All extension declarations; an `ExtensionID` is an index into this list.
    public static let all: [ExtensionSpec] = [
        // Core: protocol matches, comment, mark, REJECT, MASQUERADE
        .tcp, .udp, .comment, .mark,
        .reject4, .reject6, .masquerade,
        .conntrack, .state, .icmp, .multiport, .limit, .addrtype, .mac,
        .connmark, .recent, .owner, .iprange, .ttl, .hl, .pkttype, .length, .icmp6, .sctp, .rt,
        .hashlimit, .connlimit, .policy, .time, .set, .string, .statistic, .physdev, .helper, .rpfilter,
        .tos, .dscp, .nfacct, .esp, .ah4, .ah6, .devgroup, .cgroup, .socket, .u32,
        .dccp, .connbytes, .frag, .mh, .hbh, .dst, .ipv6header, .tcpmss, .ipcomp, .quota, .ecn,
        .eui64, .connlabel, .cpu, .realm, .ipvs, .srh, .cluster,
        .dnat, .snat, .netmap, .log, .markTarget, .notrack, .trace, .checksum, .tcpmssTarget, .redirect,
        .connmarkTarget, .ct, .nflog, .ulog, .setTarget, .tosTarget, .dscpTarget, .ttlTarget, .hlTarget,
        .classify, .nfqueue, .audit, .tproxy,
        .tcpoptstrip, .secmark, .connsecmark, .idletimer, .led, .synproxy, .tee, .dnpt, .snpt, .ecnTarget,
    ]

    public static func spec(_ id: ExtensionID) -> ExtensionSpec { all[Int(id.index)] }

    /// Names to extensions, by bytes: one index per kind and family (match IPv4, match IPv6,
    /// target IPv4, target IPv6).
    private static let indexes: [NameIndex] = {
        var tables = [NameIndex](repeating: NameIndex(capacity: all.count * 2), count: 4)
        for (position, spec) in all.enumerated() {
            for family in Family.allCases where spec.families.contains(family) {
                for name in [spec.name] + spec.aliases {
                    tables[slot(spec.kind, family)].insert(name, position: position)
                }
            }
        }
        return tables
    }()

    private static func slot(_ kind: ExtensionSpec.Kind, _ family: Family) -> Int {
        (kind == .match ? 0 : 2) + (family == .ipv4 ? 0 : 1)
    }

    /// The match loaded by `-m NAME` in this family.
    public static func match(named name: String, family: Family) -> ExtensionID? {
        indexes[slot(.match, family)][name].map(ExtensionID.init)
    }

    /// The target loaded by `-j NAME` in this family.
    public static func target(named name: String, family: Family) -> ExtensionID? {
        indexes[slot(.target, family)][name].map(ExtensionID.init)
    }

    /// The extension of this kind named by these bytes in this family.
    static func named(bytes: UnsafeBufferPointer<UInt8>, kind: ExtensionSpec.Kind, family: Family) -> ExtensionID? {
        indexes[slot(kind, family)][buffer: bytes].map(ExtensionID.init)
    }

    /// The match forms of `iptables -L` listings for a family, longest lead first (`tcpmss
    /// match` before `tcp`, `limit: up to` before `limit:`), in registry order otherwise.
    static func listingCandidates(_ family: Family) -> [(lead: String, spec: ExtensionSpec, form: ListingForm)] {
        family == .ipv4 ? ipv4Candidates : ipv6Candidates
    }

    private static func candidates(_ family: Family) -> [(lead: String, spec: ExtensionSpec, form: ListingForm)] {
        var list: [(lead: String, spec: ExtensionSpec, form: ListingForm)] = []
        for spec in all where spec.kind == .match && spec.families.contains(family) {
            guard let form = spec.listing else { continue }
            for lead in form.leads where !lead.isEmpty { list.append((lead, spec, form)) }
        }
        return list.enumerated().sorted { left, right in
            left.element.lead.utf8.count != right.element.lead.utf8.count
                ? left.element.lead.utf8.count > right.element.lead.utf8.count : left.offset < right.offset
        }.map(\.element)
    }

    private static let ipv4Candidates = candidates(.ipv4)
    private static let ipv6Candidates = candidates(.ipv6)

    /// The match `-p PROTO` loads implicitly when an option it does not know follows.
    public static func protocolMatch(for proto: UInt8, family: Family) -> ExtensionID? {
        let name: String
        switch proto {
        case IPProtocol.tcp: name = "tcp"
        case IPProtocol.udp: name = "udp"
        case IPProtocol.udplite: name = "udplite"
        case IPProtocol.icmp where family == .ipv4: name = "icmp"
        case IPProtocol.icmpv6 where family == .ipv6: name = "icmp6"
        case IPProtocol.sctp: name = "sctp"
        case IPProtocol.dccp: name = "dccp"
        case IPProtocol.esp: name = "esp"
        case IPProtocol.ah: name = "ah"
        case IPProtocol.mh where family == .ipv6: name = "mh"
        default: return nil
        }
        return match(named: name, family: family)
    }
}
