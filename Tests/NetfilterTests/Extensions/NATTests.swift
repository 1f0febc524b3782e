import XCTest
@testable import Netfilter

final class NATTests: XCTestCase {
    func testDestinationRanges() {
        assertSaves("-p tcp -j DNAT --to-destination 172.17.0.2:80", table: "nat", chain: "PREROUTING")
        assertSaves("-p tcp -j DNAT --to 1.1.1.1-1.1.1.10:1000-2000/ftp",
                    as: "-p tcp -j DNAT --to-destination 1.1.1.1-1.1.1.10:1000-2000/21", table: "nat", chain: "PREROUTING")
        assertSaves("-p tcp -j DNAT --to-destination [2001:db8::1]:80", table: "nat", chain: "PREROUTING", family: .ipv6)
    }

    func testKernelRestrictions() {
        assertRefuses("-j DNAT --to-destination 1.1.1.1:80", containing: "needs -p tcp", table: "nat", chain: "PREROUTING")
        assertRefuses("-j DNAT --to-destination 1.1.1.1", containing: "only valid in the nat table")
        assertRefuses("-j DNAT --to-destination 1.1.1.1", containing: "not allowed at hook POSTROUTING", table: "nat", chain: "POSTROUTING")
        assertRefuses("-j SNAT --to-source 1.1.1.1", containing: "not allowed at hook PREROUTING", table: "nat", chain: "PREROUTING")
        assertRefuses("-j REDIRECT", containing: "not allowed at hook POSTROUTING", table: "nat", chain: "POSTROUTING")
    }

    func testMasqueradeAndRedirect() {
        assertSaves("-o eth0 -j MASQUERADE --random-fully", table: "nat", chain: "POSTROUTING")
        assertSaves("-p udp -j REDIRECT --to-ports 512-512", as: "-p udp -j REDIRECT --to-ports 512", table: "nat", chain: "PREROUTING")
    }

    /// Walks one nat chain with a TCP packet from 10.0.0.1:40000 to 192.168.1.7:8080.
    func natWalk(_ rules: String, hook: Hook, devices: [String: [IPAddress]]? = nil) -> Packet? {
        let parsed = SaveParser.parse("*nat\n:\(hook.rawValue) ACCEPT [0:0]\n" + rules + "COMMIT\n", family: .ipv4)
        XCTAssertEqual(parsed.errors, [])
        var packet = Packet.tcp(IPv4Address(10, 0, 0, 1), 40000, IPv4Address(192, 168, 1, 7), 8080)
        packet.hookState.inInterface = hook == .prerouting ? "eth1" : nil
        packet.hookState.outInterface = hook == .postrouting || hook == .output ? "eth0" : nil
        packet.conntrack.state = .new
        packet.host.deviceAddresses = devices
        let results = parsed.ruleset.tables.first.map { ChainWalker(table: $0).walk(from: hook.rawValue, packet: packet) } ?? []
        XCTAssertEqual(results.map(\.verdict), [.accept])
        return results.first?.packet
    }

    /// xt_NETMAP keeps the host part and swaps the prefix: the destination before routing
    /// and for local packets, the source after.
    func testNetmapMapsTheHostPart() {
        let prerouting = natWalk("-A PREROUTING -j NETMAP --to 10.9.0.0/16\n", hook: .prerouting)
        XCTAssertEqual(prerouting?.destination, .v4(IPv4Address(10, 9, 1, 7)))
        XCTAssertEqual(prerouting?.source, .v4(IPv4Address(10, 0, 0, 1)))
        let postrouting = natWalk("-A POSTROUTING -j NETMAP --to 172.16.0.0/12\n", hook: .postrouting)
        XCTAssertEqual(postrouting?.source, .v4(IPv4Address(172, 16, 0, 1)))
        XCTAssertEqual(postrouting?.destination, .v4(IPv4Address(192, 168, 1, 7)))
    }

    /// MASQUERADE takes the out device's address; without the host's devices it is unknown,
    /// not guessed. `--to-ports` sets the source port.
    func testMasqueradeUsesTheOutDevicesAddress() {
        let eth0: [String: [IPAddress]] = ["eth0": [.v4(IPv4Address(169, 254, 3, 3)), .v4(IPv4Address(203, 0, 113, 9))]]
        let known = natWalk("-A POSTROUTING -o eth0 -p tcp -j MASQUERADE --to-ports 1024-2048\n", hook: .postrouting, devices: eth0)
        XCTAssertEqual(known?.source, .v4(IPv4Address(203, 0, 113, 9)))
        XCTAssertEqual(known?.sourcePort, 1024)
        let unknown = natWalk("-A POSTROUTING -o eth0 -j MASQUERADE\n", hook: .postrouting)
        XCTAssertNil(unknown?.source)
        XCTAssertEqual(unknown?.sourcePort, 40000)
    }

    /// REDIRECT sends locally generated packets to the loopback address and others to the
    /// in device's primary address.
    func testRedirectGoesToTheHostItself() {
        let local = natWalk("-A OUTPUT -p tcp -j REDIRECT --to-ports 3128\n", hook: .output)
        XCTAssertEqual(local?.destination, .v4(IPv4Address(127, 0, 0, 1)))
        XCTAssertEqual(local?.destinationPort, 3128)
        let routed = natWalk("-A PREROUTING -p tcp -j REDIRECT --to-ports 3128\n", hook: .prerouting,
                             devices: ["eth1": [.v4(IPv4Address(192, 168, 1, 1)), .v4(IPv4Address(192, 168, 1, 2))]])
        XCTAssertEqual(routed?.destination, .v4(IPv4Address(192, 168, 1, 1)))
        XCTAssertNil(natWalk("-A PREROUTING -p tcp -j REDIRECT\n", hook: .prerouting)?.destination)
    }
}
