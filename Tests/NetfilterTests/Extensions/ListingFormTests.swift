import XCTest
@testable import Netfilter

/// Each extension's listing form on the texts older iptables printed and -L without -n
/// prints (the kernel fixtures cover what iptables 1.8.9 prints with -n).
final class ListingFormTests: XCTestCase {
    /// Reads one rule row `TARGET PROT TEXT` of a filter INPUT listing and asserts its save
    /// text and the losses it reports (message fragments, in order).
    func assertReads(_ text: String, target: String = "", prot: String = "all", family: Family = .ipv4,
                     chain: String = "INPUT", table: String = "filter", as expected: String, losses: [String] = [],
                     file: StaticString = #filePath, line: UInt = #line) {
        let any = family == .ipv4 ? "0.0.0.0/0" : "::/0"
        let builtin = TableKind(rawValue: table)?.builtinChains.contains(chain) ?? false
        let listing = """
        # iptables -t \(table) -L -n -v
        Chain \(chain) \(builtin ? "(policy ACCEPT 0 packets, 0 bytes)" : "(1 references)")
         pkts bytes target     prot opt in     out     source               destination
            0     0 \(target.padding(toLength: 10, withPad: " ", startingAt: 0)) \(prot)  --  *      *       \(any)            \(any)            \(text)
        """
        let result = ListingParser.parse(listing, family: family)
        XCTAssertEqual(result.errors, [], text, file: file, line: line)
        let rule = result.ruleset.table(named: table)?.chain(named: chain)?.rules.first
        XCTAssertEqual(rule.map { SavePrinter.ruleText($0, family: family) }, expected, text, file: file, line: line)
        let found = result.diagnostics.filter { $0.severity == .warning }.map(\.message)
        XCTAssertEqual(found.count, losses.count, "\(text): \(found)", file: file, line: line)
        for (message, fragment) in zip(found, losses) {
            XCTAssert(message.contains(fragment), "'\(message)' should say '\(fragment)'", file: file, line: line)
        }
    }

    func testTCPAsOldAndNewIptablesPrintIt() {
        assertReads("tcp dpt:22flags: 0x17/0x02", target: "ACCEPT", prot: "tcp",
                    as: "-p tcp -m tcp --dport 22 --tcp-flags FIN,SYN,RST,ACK SYN -j ACCEPT")
        assertReads("tcpflags: 0x17/0x02 multiport dports 80,443", prot: "tcp",
                    as: "-p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -m multiport --dports 80,443")
        assertReads("tcp spts:1024:65535 dpt:!22 flags:!FIN,SYN,RST,ACK/SYN option=!2", prot: "tcp",
                    as: "-p tcp -m tcp --sport 1024:65535 ! --dport 22 ! --tcp-flags FIN,SYN,RST,ACK SYN ! --tcp-option 2")
        assertReads("tcp dpt:domainflags: FIN,SYN,RST,ACK/SYN", prot: "tcp", as: "-p tcp -m tcp --dport 53 --tcp-flags FIN,SYN,RST,ACK SYN",
                    losses: ["service name 'domain'"])
        assertReads("tcp flags:0x3F/0x00", prot: "tcp", as: "-p tcp -m tcp --tcp-flags FIN,SYN,RST,PSH,ACK,URG NONE")
        assertReads("udp spt:53 dpts:1024:65535", prot: "udp", as: "-p udp -m udp --sport 53 --dport 1024:65535")
    }

    func testICMPTypesByNumberAndByName() {
        assertReads("icmptype 8", prot: "icmp", as: "-p icmp -m icmp --icmp-type 8")
        assertReads("icmp !type 3 code 4", prot: "icmp", as: "-p icmp -m icmp ! --icmp-type 3/4")
        assertReads("icmp type 3 codes 0-3", prot: "icmp", as: "-p icmp -m icmp --icmp-type 3/0:3")
        assertReads("icmp echo-request", prot: "icmp", as: "-p icmp -m icmp --icmp-type 8")
        assertReads("icmp !port-unreachable", prot: "icmp", as: "-p icmp -m icmp ! --icmp-type 3/3")
        assertReads("ipv6-icmptype 135 code 0", prot: "ipv6-icmp", family: .ipv6, as: "-p ipv6-icmp -m icmp6 --icmpv6-type 135/0")
    }

    func testLOGWithAndWithoutNumericOutput() {
        assertReads("LOG flags 0 level 4 prefix \"[UFW BLOCK] \"", target: "LOG", as: "-j LOG --log-prefix \"[UFW BLOCK] \"")
        assertReads("LOG flags 15 level 6 prefix \"say \"hi\" \"", target: "LOG",
                    as: "-j LOG --log-prefix \"say \\\"hi\\\" \" --log-level 6 --log-tcp-sequence --log-tcp-options --log-ip-options --log-uid")
        assertReads("LOG level debug uid prefix \"Dropped outbound packet: \"", target: "LOG",
                    as: "-j LOG --log-prefix \"Dropped outbound packet: \" --log-level 7 --log-uid")
        assertReads("LOG flags 0 level 4 prefix `Shorewall:net-fw:DROP:' ", target: "LOG", as: "-j LOG --log-prefix \"Shorewall:net-fw:DROP:\"")
        assertReads("limit: avg 3/min burst 10 LOG flags 0 level 4", target: "LOG", as: "-m limit --limit 3/min --limit-burst 10 -j LOG")
    }

    func testStateMarksCommentsAndRecent() {
        assertReads("state RELATED,ESTABLISHED", target: "ACCEPT", as: "-m state --state RELATED,ESTABLISHED -j ACCEPT")
        assertReads("! ctstate NEW ctproto 6 ctorigdst 10.0.0.0/8 ctdir REPLY", as: "-m conntrack ! --ctstate NEW --ctproto 6 --ctorigdst 10.0.0.0/8 --ctdir REPLY")
        assertReads("ctstate NEW ctstate INVALID,NEW", as: "-m conntrack --ctstate NEW -m conntrack --ctstate INVALID,NEW")
        assertReads("mark match ! 0x1/0xff", as: "-m mark ! --mark 0x1/0xff")
        assertReads("connmark match !0x4", as: "-m connmark ! --mark 0x4")
        assertReads("MAC ! 00:11:22:33:44:55", as: "-m mac ! --mac-source 00:11:22:33:44:55")
        assertReads("/* kube-system/kube-dns:dns cluster IP */ udp dpt:53", prot: "udp",
                    as: "-p udp -m comment --comment \"kube-system/kube-dns:dns cluster IP\" -m udp --dport 53")
        assertReads("/* a */b */ mark match 0x1", as: "-m comment --comment \"a */b\" -m mark --mark 0x1")
        assertReads("recent: UPDATE seconds: 60 hit_count: 41 name: ratessh side: source", prot: "tcp",
                    as: "-p tcp -m recent --update --seconds 60 --hitcount 41 --name ratessh --rsource")
        assertReads("! recent: CHECK name: DEFAULT side: dest mask: 255.255.255.0",
                    as: "-m recent ! --rcheck --name DEFAULT --mask 255.255.255.0 --rdest")
        assertReads("owner UID match 0-10 owner GID match 5 incl. suppl. groups", chain: "OUTPUT",
                    as: "-m owner --uid-owner 0-10 --gid-owner 5 --suppl-groups")
        assertReads("! owner socket exists", chain: "OUTPUT", as: "-m owner ! --socket-exists")
    }

    func testNATTargetsAndMarks() {
        assertReads("tcp dpt:http-alt to:172.17.0.2:80", target: "DNAT", prot: "tcp", chain: "PREROUTING", table: "nat",
                    as: "-p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80", losses: ["service name 'http-alt'"])
        assertReads("to:[2001:db8::1]:80 random persistent", target: "DNAT", prot: "tcp", family: .ipv6, chain: "PREROUTING", table: "nat",
                    as: "-p tcp -j DNAT --to-destination [2001:db8::1]:80 --random --persistent")
        assertReads("masq ports: 1024-65535 random-fully", target: "MASQUERADE", prot: "udp", chain: "POSTROUTING", table: "nat",
                    as: "-p udp -j MASQUERADE --to-ports 1024-65535 --random-fully")
        assertReads("redir ports 3128", target: "REDIRECT", prot: "tcp", chain: "PREROUTING", table: "nat",
                    as: "-p tcp -j REDIRECT --to-ports 3128")
        assertReads("MARK set 0x1", target: "MARK", chain: "PREROUTING", table: "mangle", as: "-j MARK --set-xmark 0x1/0xffffffff")
        assertReads("MARK xset 0x1/0xff", target: "MARK", chain: "PREROUTING", table: "mangle", as: "-j MARK --set-xmark 0x1/0xff")
        assertReads("MARK and 0xff", target: "MARK", chain: "PREROUTING", table: "mangle", as: "-j MARK --set-xmark 0x0/0xffffff00")
        assertReads("CONNMARK save mask 0xff", target: "CONNMARK", chain: "PREROUTING", table: "mangle",
                    as: "-j CONNMARK --save-mark --nfmask 0xff --ctmask 0xff")
        assertReads("reject-with tcp-reset", target: "REJECT", prot: "tcp", as: "-p tcp -j REJECT --reject-with tcp-reset")
        assertReads("NOTRACK", target: "CT", chain: "PREROUTING", table: "raw", as: "-j NOTRACK")
        assertReads("ULOG copy_range 0 nlgroup 2 prefix \"a \"b\"\" queue_threshold 10", target: "ULOG",
                    as: "-j ULOG --ulog-nlgroup 2 --ulog-prefix \"a \\\"b\\\"\" --ulog-qthreshold 10")
        assertReads("CT helper ftp zone 3", target: "CT", prot: "tcp", chain: "PREROUTING", table: "raw", as: "-p tcp -j CT --helper ftp --zone 3")
    }

    func testWhatAListingDoesNotShowIsReported() {
        assertReads("limit: up to 10/sec burst 5 mode srcip-dstport htable-expire 10000", as:
                        "-m hashlimit --hashlimit-upto 10/sec --hashlimit-burst 5 --hashlimit-mode srcip,dstport --hashlimit-name unknown --hashlimit-htable-expire 10000",
                    losses: ["--hashlimit-name is not shown"])
        assertReads("limit: up to 4/sec burst 20 mode srcip rate-match rate-interval 10", as:
                        "-m hashlimit --hashlimit-upto 40/sec --hashlimit-burst 20 --hashlimit-mode srcip --hashlimit-name unknown --hashlimit-rate-match --hashlimit-rate-interval 10",
                    losses: ["--hashlimit-name is not shown"])
        assertReads("quota: 1000 bytes", as: "-m quota --quota 1000", losses: ["a '!' before --quota is not shown"])
        assertReads("LOG flags 64 level 4", target: "LOG", as: "-j LOG", losses: ["LOG flags 0x40 hold bits"])
    }

    func testMoreMatches() {
        assertReads("multiport sports  !53,1024:65535", prot: "udp", as: "-p udp -m multiport ! --sports 53,1024:65535")
        assertReads("ADDRTYPE match src-type !LOCAL limit-in", as: "-m addrtype ! --src-type LOCAL --limit-iface-in")
        assertReads("PHYSDEV match ! --physdev-in veth0 --physdev-is-bridged", chain: "FORWARD",
                    as: "-m physdev ! --physdev-in veth0 --physdev-is-bridged")
        assertReads("statistic mode random probability 0.50000000000", as: "-m statistic --mode random --probability 0.50000000000")
        assertReads("source IP range 10.0.0.1-10.0.0.9 destination IP range ! 10.0.1.1-10.0.1.9",
                    as: "-m iprange --src-range 10.0.0.1-10.0.0.9 ! --dst-range 10.0.1.1-10.0.1.9")
        assertReads("PKTTYPE != broadcast", as: "-m pkttype ! --pkt-type broadcast")
        assertReads("length !40:1500", as: "-m length ! --length 40:1500")
        assertReads("TTL match TTL != 64", as: "-m ttl ! --ttl-eq 64")
        assertReads("#conn dst/24 > 10", prot: "tcp", as: "-p tcp -m connlimit --connlimit-above 10 --connlimit-mask 24 --connlimit-daddr")
        assertReads("! match-set blocked src,dst return-nomatch", as: "-m set ! --match-set blocked src,dst --return-nomatch")
        assertReads("TIME from 08:00:00 to 17:00:00 on Mon,Fri UTC", as: "-m time --timestart 08:00:00 --timestop 17:00:00 --weekdays Mon,Fri")
        assertReads("STRING match ! \"GET /\" ALGO name bm TO 64", as: "-m string ! --string \"GET /\" --algo bm --to 64")
        assertReads("helper match \"ftp\"", as: "-m helper --helper ftp")
        assertReads("tos match0x10/0x3f", as: "-m tos --tos 0x10/0x3f")
        assertReads("DSCP match !0x2e", as: "-m dscp ! --dscp 0x2e")
        assertReads("policy match dir in pol ipsec strict [0] proto 50 [1] reqid 2", as:
                        "-m policy --dir in --pol ipsec --strict --proto esp --next --reqid 2")
        assertReads("sctp dpt:5060 ! any 0x0000,0x0001", prot: "sctp", as: "-p sctp -m sctp --dport 5060 ! --chunk-types any DATA,INIT")
        assertReads("dccp ! 0,1,2", prot: "dccp", as: "-p dccp -m dccp ! --dccp-types REQUEST,RESPONSE,DATA")
        assertReads("esp spis:1:100", prot: "esp", as: "-p esp -m esp --espspi 1:100")
        assertReads("mh binding-update:binding-error", prot: "mobility-header", family: .ipv6,
                    as: "-p mobility-header -m mh --mh-type 5:7")
    }
}
