import XCTest
@testable import Netfilter

final class LOGTests: XCTestCase {
    func testLevelsAndPrefixes() {
        assertSaves("-j LOG --log-prefix \"dropped: \" --log-level warning", as: "-j LOG --log-prefix \"dropped: \"")
        assertSaves("-j LOG --log-level alert --log-uid", as: "-j LOG --log-level 1 --log-uid")
        assertSaves("-j NFLOG --nflog-group 5 --nflog-prefix blocked", as: "-j NFLOG --nflog-prefix blocked --nflog-group 5")
        // iptables 1.8 cuts a longer prefix to its field (XTTYPE_STRING) and loads the rule:
        // iptables-legacy-save prints the first 29 bytes.
        assertSaves("-j LOG --log-prefix 123456789012345678901234567890",
                    as: "-j LOG --log-prefix 12345678901234567890123456789")
    }

    /// Every string option iptables cuts (XTTYPE_STRING) is cut the same way, with a warning
    /// at the argument; options iptables parses itself (u32) are still refused when too long.
    func testLongStringsAreCutAsIptablesCutsThem() {
        let comment = String(repeating: "x", count: 300)
        let dump = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m comment --comment \(comment) -j ACCEPT\nCOMMIT\n"
        let result = SaveParser.parse(dump, family: .ipv4)
        XCTAssertEqual(result.errors, [])
        let warning = result.diagnostics.first { $0.severity == .warning }
        XCTAssertEqual(warning?.message, "comment: --comment: iptables keeps only the first 255 bytes of the 300 given")
        XCTAssertEqual(warning?.location, SourceLocation(line: 3, column: 31))
        assertSaves("-m comment --comment \(comment)", as: "-m comment --comment " + String(comment.prefix(255)))
        assertSaves("-m recent --set --name \(comment)", as: "-m recent --set --name \(comment.prefix(199))")
        assertRefuses("-m u32 --u32 \"\(String(repeating: "0", count: 4097))\"", containing: "longer than 4096")
    }

    func testRejectAlwaysPrintsItsType() {
        assertSaves("-j REJECT", as: "-j REJECT --reject-with icmp-port-unreachable")
        assertSaves("-p tcp -j REJECT --reject-with tcp-rst", as: "-p tcp -j REJECT --reject-with tcp-reset")
        assertRefuses("-j REJECT --reject-with tcp-reset", containing: "only valid with -p tcp")
        assertSaves("-j REJECT", as: "-j REJECT --reject-with icmp6-port-unreachable", family: .ipv6)
    }
}
