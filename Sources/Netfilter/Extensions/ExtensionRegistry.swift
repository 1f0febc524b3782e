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

    private struct Key: Hashable {
        var name: String
        var kind: ExtensionSpec.Kind
        var family: Family
    }

    private static let index: [Key: ExtensionID] = {
        var table: [Key: ExtensionID] = [:]
        for (position, spec) in all.enumerated() {
            for family in Family.allCases where spec.families.contains(family) {
                for name in [spec.name] + spec.aliases {
                    let key = Key(name: name, kind: spec.kind, family: family)
                    if table[key] == nil { table[key] = ExtensionID(position) }
                }
            }
        }
        return table
    }()

    /// The match loaded by `-m NAME` in this family.
    public static func match(named name: String, family: Family) -> ExtensionID? {
        index[Key(name: name, kind: .match, family: family)]
    }

    /// The target loaded by `-j NAME` in this family.
    public static func target(named name: String, family: Family) -> ExtensionID? {
        index[Key(name: name, kind: .target, family: family)]
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
