import XCTest
@testable import Netfilter

/// What ebtables-nft-restore 1.8.9 and the kernel refuse (each case tried in a scratch
/// network namespace), as diagnostics with their line and column.
final class EbtablesValidatorTests: XCTestCase {
    func messages(_ text: String) -> [String] {
        EbtablesValidator.read(Array(text.utf8)).diagnostics.map {
            "\($0.location.line):\($0.location.column): \($0.message)"
        }
    }

    func assertRefused(_ text: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        let found = messages(text)
        XCTAssert(found.contains { $0.hasPrefix(expected) }, "\(found)", file: file, line: line)
    }

    func testValidRulesAreClean() {
        XCTAssertEqual(messages("""
        *filter
        :INPUT ACCEPT
        :foo DROP
        :bar RETURN
        -A INPUT -p 0800 -i eth0 -j foo
        -A INPUT -p IPv6 --ip6-proto tcp --ip6-dport 22:23 -j ACCEPT
        -A foo -p ipv4 --ip-src ! 1.2.3.4 --ip-proto udp --ip-sport 53 -j CONTINUE
        -A foo ! -s 00:11:22:33:44:55 --mark 5/0xff --pkttype-type host -j RETURN
        -A foo -p 802_1Q --vlan-id 5 -j bar
        *nat
        :PREROUTING ACCEPT
        -A PREROUTING -p ARP -j arpreply --arpreply-mac 00:00:de:ad:be:ef
        -A PREROUTING -j dnat --to-dst 00:00:de:ad:be:ef --dnat-target ACCEPT

        """), [])
    }

    func testPolicies() {
        // A built-in chain's RETURN or CONTINUE and a user chain's CONTINUE fail the commit.
        assertRefused("*filter\n:INPUT RETURN\n", "2:8: policy 'RETURN': a built-in chain's policy is ACCEPT or DROP")
        assertRefused("*filter\n:foo CONTINUE\n", "2:6: policy 'CONTINUE': a user chain's policy")
    }

    func testUnknownOptionsAndValues() {
        assertRefused("*filter\n-A INPUT --nosuch 1 -j ACCEPT\n", "2:10: unknown option '--nosuch'")
        assertRefused("*filter\n-A INPUT -s 01:02:03:04:05 -j ACCEPT\n", "2:13: invalid MAC address")
        assertRefused("*filter\n-A INPUT -p 0x0500 -j ACCEPT\n",
                      "2:13: Ethernet protocol '0x0500': protocols have values above")
        assertRefused("*nosuch\n", "1:2: table name 'nosuch' invalid")
        assertRefused("*filter\n-A INPUT -j ACCEPT -j DROP\n", "2:20: -j: multiple use of the same option")
        assertRefused("*filter\n-A INPUT --limit ! 5/sec\n", "2:10: --limit cannot be negated")
        assertRefused("*filter\n:foo ACCEPT\n-A INPUT -j mark --mark-set 1 --mark-target foo\n",
                      "3:45: --mark-target foo: the target's verdict is")
        assertRefused("*filter\n-A INPUT --mark-set 5 -j mark\n", "2:10: --mark-set belongs to the mark target")
    }

    func testJumpsAndLoops() {
        assertRefused("*filter\n-A INPUT -j nosuch\n", "2:10: -j nosuch: no chain 'nosuch' in table filter")
        assertRefused("*filter\n-A INPUT -j accept\n", "2:10: -j accept: no chain")
        assertRefused("*filter\n-A foo -j ACCEPT\n", "2:1: chain 'foo' is not declared")
        // "RULE_APPEND failed (Too many links)": a loop reached from a built-in chain.
        assertRefused("*filter\n:foo ACCEPT\n:bar ACCEPT\n-A INPUT -j foo\n-A foo -j bar\n-A bar -j foo\n",
                      "6:8: jump loop: foo -> bar -> foo")
        XCTAssertEqual(messages("*filter\n:foo ACCEPT\n:bar ACCEPT\n-A foo -j bar\n-A bar -j foo\n").count, 0,
                       "a loop no built-in chain reaches loads")
    }

    func testDevicesProtocolsAndTargetPlaces() {
        assertRefused("*filter\n-A OUTPUT -i eth0 -j ACCEPT\n",
                      "2:11: Use -i only in INPUT, FORWARD, PREROUTING and BROUTING")
        assertRefused("*filter\n-A INPUT --logical-out br0 -j ACCEPT\n", "2:10: Use --logical-out only in OUTPUT")
        XCTAssertEqual(messages("*filter\n:foo ACCEPT\n-A foo -i eth0 -o eth1 -j ACCEPT\n"), [])
        // "RULE_APPEND failed (Invalid argument)": ebt_ip.c wants -p IPv4, ports a protocol with ports.
        assertRefused("*filter\n-A INPUT --ip-src 1.2.3.4 -j ACCEPT\n", "2:10: --ip-src needs -p IPv4")
        assertRefused("*filter\n-A INPUT -p IPv4 --ip-dport 22 -j ACCEPT\n", "2:18: --ip-dport needs --ip-proto tcp")
        assertRefused("*filter\n-A INPUT --vlan-id 5 -j ACCEPT\n", "2:10: --vlan-id needs -p 802_1Q")
        // libebt_802_3.c: "For 802.3 DSAP/SSAP filtering the protocol must be LENGTH".
        assertRefused("*filter\n-A INPUT --802_3-sap 0x23 -j ACCEPT\n", "2:10: --802_3-sap needs -p Length")
        assertRefused("*filter\n-A INPUT -j dnat --to-dst 00:00:de:ad:be:ef\n",
                      "2:10: -j dnat runs only in nat PREROUTING")
        assertRefused("*nat\n:foo RETURN\n-A POSTROUTING -j foo\n-A foo -j redirect\n",
                      "4:8: -j redirect runs only in nat PREROUTING, broute BROUTING, not in nat POSTROUTING")
        assertRefused("*nat\n-A PREROUTING -j dnat\n", "2:15: -j dnat needs --to-dst")
    }

    func testIptablesTextStaysIptables() {
        for text in ["*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n",
                     "*filter\n:INPUT DROP\n-A INPUT -s 10.0.0.1 -j ACCEPT\n",
                     "*filter\n:INPUT ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\n",
                     "*mangle\n:PREROUTING ACCEPT\n", "-A INPUT -j ACCEPT\n",
                     "Chain INPUT (policy ACCEPT)\ntarget prot opt source destination\n"] {
            XCTAssertFalse(RulesInput.detectFormat(Array(text.utf8)).isEbtables, text)
        }
        for text in ["*broute\n:BROUTING ACCEPT\n", "*filter\n:bar RETURN\n", "*filter\n-A INPUT -j CONTINUE\n",
                     "*filter\n-A INPUT -p IPv4 -j ACCEPT\n", "*nat\n-A PREROUTING -s Broadcast -j DROP\n",
                     "*filter\n:INPUT ACCEPT\n-A INPUT -i eth0 -j ACCEPT\n"] {
            XCTAssertEqual(RulesInput.detectFormat(Array(text.utf8)), .ebtablesSave, text)
        }
        XCTAssertEqual(RulesInput.detectFormat(Array("Bridge table: filter\n".utf8)), .ebtablesListing)
    }
}
