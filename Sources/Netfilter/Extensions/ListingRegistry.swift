/// Every extension's listing form (declared in the extension's own file, next to its
/// options). Adding one means writing it there and listing it here.
public enum ListingRegistry {
    public static let all: [ListingForm] = [
        // Matches
        .tcp, .udp, .icmp, .icmp6, .multiport, .comment, .mark, .connmark, .mac, .conntrack, .state, .addrtype,
        .limit, .hashlimit, .recent, .owner, .physdev, .statistic, .iprange, .pkttype, .length,
        .esp, .ah4, .ah6, .ipcomp, .frag, .mh, .hbh, .dst, .ipv6header, .rt, .srh, .eui64, .ttl, .hl, .connlimit,
        .sctp, .dccp, .policy, .time, .string, .helper, .tos, .dscp, .ecn, .cgroup, .cpu, .devgroup, .socket,
        .u32, .connbytes, .tcpmss, .quota, .connlabel, .realm, .ipvs, .nfacct, .rpfilter, .set,
        // Targets
        .reject4, .reject6, .log, .dnat, .snat, .masquerade, .redirect, .netmap, .markTarget, .connmarkTarget,
        .nflog, .ct, .audit, .checksum, .classify, .secmark, .connsecmark, .ttlTarget, .hlTarget, .idletimer, .led,
        .nfqueue, .synproxy, .tcpmssTarget, .tcpoptstrip, .tee, .tproxy, .dnpt, .snpt, .tosTarget, .dscpTarget,
        .ecnTarget, .setTarget, .ulog,
    ]

    private static let byExtension: [ObjectIdentifier: ListingForm] = {
        var table: [ObjectIdentifier: ListingForm] = [:]
        for form in all where table[ObjectIdentifier(form.spec)] == nil { table[ObjectIdentifier(form.spec)] = form }
        return table
    }()

    /// The listing form of an extension, if it has one.
    public static func form(for spec: ExtensionSpec) -> ListingForm? { byExtension[ObjectIdentifier(spec)] }

    private static func candidates(_ family: Family) -> [(lead: String, form: ListingForm)] {
        var list: [(lead: String, form: ListingForm)] = []
        for form in all where form.spec.kind == .match && form.spec.families.contains(family) {
            for lead in form.leads where !lead.isEmpty { list.append((lead, form)) }
        }
        // Longest lead first: `tcpmss match` before `tcp`, `limit: up to` before `limit:`.
        return list.enumerated().sorted { left, right in
            left.element.lead.utf8.count != right.element.lead.utf8.count
                ? left.element.lead.utf8.count > right.element.lead.utf8.count : left.offset < right.offset
        }.map(\.element)
    }

    private static let ipv4Candidates = candidates(.ipv4)
    private static let ipv6Candidates = candidates(.ipv6)

    /// The match forms to try, longest lead first.
    static func matchCandidates(_ family: Family) -> [(lead: String, form: ListingForm)] {
        family == .ipv4 ? ipv4Candidates : ipv6Candidates
    }
}

extension ExtensionSpec {
    /// How `iptables -L` prints this extension, read back (nil: not declared yet).
    public var listing: ListingForm? { ListingRegistry.form(for: self) }
}
