import XCTest
@testable import Netfilter

/// Snapshot folders: what is read, what is assumed when a file is missing, and errors that
/// name the file and the place in it.
final class HostSnapshotTests: XCTestCase {
    func folder(_ files: [String: String]) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("verdict-snapshot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        for (name, text) in files { try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return url.path
    }

    let rules = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n"

    func testMissingFilesAreNotedWithWhatIsAssumed() throws {
        let snapshot = try HostSnapshot.load(try folder(["iptables.rules": rules]))
        XCTAssertEqual(snapshot.routes, [])
        XCTAssert(snapshot.notes.contains { $0.hasPrefix("no ip-addr.json") })
        XCTAssert(snapshot.notes.contains { $0.hasPrefix("no bridge-fdb.json") && $0.contains("physdev-out") })
        XCTAssert(snapshot.notes.contains { $0.hasPrefix("no sysctl.txt: assumed ip_forward=1") })
    }

    func testErrorsNameTheFileAndPlace() throws {
        let bad = try folder(["iptables.rules": rules, "ip-route.json": "[\n  {\"dst\": \"default\",\n   \"dev\": eth0}\n]\n"])
        XCTAssertThrowsError(try HostSnapshot.load(bad)) { error in
            let text = (error as? SnapshotError)?.description ?? ""
            XCTAssert(text.hasPrefix(bad + "/ip-route.json:3:"), text)
            XCTAssert(text.contains("not valid JSON"), text)
        }
        let badRules = try folder(["iptables.rules": "*filter\n-A INPUT -p tcp --dport x -j ACCEPT\nCOMMIT\n"])
        XCTAssertThrowsError(try HostSnapshot.load(badRules)) { error in
            XCTAssert((error as? SnapshotError)?.description.hasPrefix(badRules + "/iptables.rules:2:") == true, "\(error)")
        }
        let empty = try folder([:])
        XCTAssertThrowsError(try HostSnapshot.load(empty)) { error in
            XCTAssert("\(error)".contains("needs iptables.rules"), "\(error)")
        }
        let sysctl = try folder(["iptables.rules": rules, "sysctl.txt": "net.ipv4.ip_forward = 1\nbogus line\n"])
        XCTAssertThrowsError(try HostSnapshot.load(sysctl)) { error in
            XCTAssert("\(error)".hasPrefix(sysctl + "/sysctl.txt:2:1: error:"), "\(error)")
        }
    }

    /// Values that cannot be (issue 17, item 5) are errors at their place, not loaded silently.
    func testImpossibleValuesAreErrorsAtTheirPlace() throws {
        let gateway = "[{\"dst\": \"10.0.2.0/24\", \"dev\": \"eth0\"},\n"
            + " {\"dst\": \"default\", \"gateway\": \"10.0.2.999\"}]"
        let prefix = "[{\"ifname\": \"eth0\",\n  \"addr_info\": [{\"local\": \"10.0.2.15\", \"prefixlen\": 99}]}]"
        let cases: [(file: String, text: String, place: String, says: String)] = [
            ("ip-route.json", gateway, "2:32", "gateway '10.0.2.999' is not an address"),
            ("ip-route.json", "[\n  {\"dst\": \"10.0.2/99\"}\n]", "2:11", "dst '10.0.2/99'"),
            ("ip-addr.json", prefix, "2:16", "prefix length 99 of 10.0.2.15 is not 0 to 32"),
            ("ip-neigh.json", "[{\"dst\": \"10.0.2.300\", \"dev\": \"eth0\"}]", "1:10",
             "'10.0.2.300' is not an address"),
            ("bridge-fdb.json", "[{\"mac\": \"02:42:zz:11:00:02\", \"ifname\": \"v1\"}]", "1:10",
             "is not a MAC address"),
            ("ip-route.json", "[{\"dst\": \"default\",\n  \"dev\": \"eth0\"", "2:16", "not valid JSON"),
        ]
        for example in cases {
            let bad = try folder(["iptables.rules": rules, example.file: example.text])
            XCTAssertThrowsError(try HostSnapshot.load(bad), example.file) { error in
                let text = (error as? SnapshotError)?.description ?? "\(error)"
                XCTAssert(text.hasPrefix("\(bad)/\(example.file):\(example.place): error:"), text)
                XCTAssert(text.contains(example.says), text)
            }
        }
    }

    /// The local table first, then the longest prefix, then the lowest metric.
    func testRoutingDecisions() throws {
        let snapshot = try FlowTests.seedSnapshot()
        XCTAssertEqual(snapshot.route(to: .v4(IPv4Address(10, 0, 2, 15))), .local(device: "eth0"))
        XCTAssertEqual(snapshot.route(to: .v4(IPv4Address(127, 3, 3, 3))), .local(device: "lo"))
        XCTAssertEqual(snapshot.route(to: .v4(IPv4Address(192, 168, 3, 3))), .forward(device: "docker0", gateway: nil, source: .v4(IPv4Address(192, 168, 0, 1))))
        XCTAssertEqual(snapshot.route(to: .v4(IPv4Address(1, 1, 1, 1))),
                       .forward(device: "eth0", gateway: .v4(IPv4Address(10, 0, 2, 2)), source: .v4(IPv4Address(10, 0, 2, 15))))
        XCTAssertEqual(snapshot.route(to: .v4(IPv4Address(10, 0, 2, 255))), .broadcast(device: "eth0"))
        XCTAssertEqual(snapshot.interface(named: "vethc1")?.master, "docker0")
        XCTAssertEqual(snapshot.interface(named: "docker0")?.kind, "bridge")
        XCTAssertEqual(snapshot.deviceAddresses["eth0"], [.v4(IPv4Address(10, 0, 2, 15))])
    }
}

/// `ss -Htlnu` lines: wildcard and specific addresses, IPv6, a device suffix.
final class ListenerTests: XCTestCase {
    func testReadsListeningSockets() throws {
        let listeners = try Listener.parse("""
        udp   UNCONN 0      0      127.0.0.53%lo:53        0.0.0.0:*
        tcp   LISTEN 0      4096         0.0.0.0:22        0.0.0.0:*
        tcp   LISTEN 0      511             [::]:80           [::]:*
        tcp   LISTEN 0      5          10.0.2.15:8443      0.0.0.0:*

        """, file: "ss.txt")
        XCTAssertEqual(listeners.count, 4)
        XCTAssertEqual(listeners[0], Listener(protocol: IPProtocol.udp, address: .v4(IPv4Address(127, 0, 0, 53)), port: 53))
        XCTAssertEqual(listeners[2], Listener(protocol: IPProtocol.tcp, address: nil, port: 80))
        XCTAssert(listeners[3].accepts(protocol: IPProtocol.tcp, destination: .v4(IPv4Address(10, 0, 2, 15)), port: 8443))
        XCTAssertFalse(listeners[3].accepts(protocol: IPProtocol.tcp, destination: .v4(IPv4Address(172, 17, 0, 1)), port: 8443))
        XCTAssertFalse(listeners[1].accepts(protocol: IPProtocol.udp, destination: nil, port: 22))
        XCTAssertThrowsError(try Listener.parse("tcp LISTEN 0 5\n", file: "ss.txt")) { error in
            XCTAssert("\(error)".hasPrefix("ss.txt:1:1: error:"), "\(error)")
        }
    }
}

/// `ipset save` members decide `-m set` matches in a snapshot's flows.
final class IPSetTests: XCTestCase {
    static let save = """
    create BLOCK hash:net family inet hashsize 1024 maxelem 65536
    add BLOCK 203.0.113.0/24
    create WEB hash:ip,port family inet hashsize 1024 maxelem 65536
    add WEB 10.0.0.5,tcp:443
    add WEB 10.0.0.6,udp:53
    create RANGE hash:ip family inet
    add RANGE 10.9.0.1-10.9.0.9
    create ALL list:set size 8
    add ALL BLOCK
    add ALL RANGE

    """

    func packet(_ source: IPv4Address, _ destination: IPv4Address, _ proto: UInt8, _ port: UInt16) -> Packet {
        var packet = Packet()
        packet.source = .v4(source)
        packet.destination = .v4(destination)
        packet.protocol = proto
        packet.destinationPort = port
        return packet
    }

    func testMembership() throws {
        let sets = try IPSets.parse(Self.save, file: "ipset.save")
        let blocked = packet(IPv4Address(203, 0, 113, 7), IPv4Address(10, 0, 0, 5), IPProtocol.tcp, 443)
        XCTAssertEqual(sets.contains("BLOCK", flags: ["src"], packet: blocked), true)
        XCTAssertEqual(sets.contains("BLOCK", flags: ["dst"], packet: blocked), false)
        XCTAssertEqual(sets.contains("WEB", flags: ["dst", "dst"], packet: blocked), true)
        XCTAssertEqual(sets.contains("WEB", flags: ["dst", "dst"], packet: packet(IPv4Address(1, 1, 1, 1), IPv4Address(10, 0, 0, 6), IPProtocol.tcp, 53)), false)
        XCTAssertEqual(sets.contains("ALL", flags: ["src"], packet: packet(IPv4Address(10, 9, 0, 4), IPv4Address(1, 1, 1, 1), IPProtocol.udp, 1)), true)
        XCTAssertEqual(sets.contains("RANGE", flags: ["src"], packet: packet(IPv4Address(10, 9, 0, 10), IPv4Address(1, 1, 1, 1), IPProtocol.udp, 1)), false)
        var unknown = blocked
        unknown.source = nil
        XCTAssertNil(sets.contains("BLOCK", flags: ["src"], packet: unknown))
        XCTAssertThrowsError(try IPSets.parse("add NOPE 1.2.3.4\n", file: "ipset.save")) { error in
            XCTAssert("\(error)".hasPrefix("ipset.save:1:1: error: add to a set that was not created"), "\(error)")
        }
    }

    /// A port element with nothing around its dash is an error at its line, not a crash
    /// (the ebtables reader had the same empty split: found by Scripts/fuzz).
    func testEmptyPortRangeInASetIsAnError() {
        let text = "create s hash:ip,port family inet\nadd s 10.0.0.1,-\n"
        XCTAssertThrowsError(try IPSets.parse(text, file: "ipset.save")) { error in
            XCTAssert("\(error)".hasPrefix("ipset.save:2:1: error: invalid hash:ip,port element"), "\(error)")
        }
    }

    func testSetMatchesInAWalk() throws {
        let rules = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m set --match-set BLOCK src -j DROP\n-A INPUT -m set ! --match-set WEB dst,dst -j REJECT\nCOMMIT\n"
        let parsed = SaveParser.parse(rules, family: .ipv4)
        XCTAssertEqual(parsed.errors, [])
        var request = packet(IPv4Address(198, 51, 100, 1), IPv4Address(10, 0, 0, 5), IPProtocol.tcp, 443)
        XCTAssertEqual(HookWalker.walk(parsed.ruleset, hook: .input, packet: request).count, 3, "without the members both matches are unknown")
        request.host.ipsets = try IPSets.parse(Self.save, file: "ipset.save")
        XCTAssertEqual(HookWalker.walk(parsed.ruleset, hook: .input, packet: request).map(\.verdict), [.accept])
        request.source = .v4(IPv4Address(203, 0, 113, 9))
        XCTAssertEqual(HookWalker.walk(parsed.ruleset, hook: .input, packet: request).map(\.verdict), [.drop])
        request.source = .v4(IPv4Address(198, 51, 100, 1))
        request.destinationPort = 80
        XCTAssertEqual(HookWalker.walk(parsed.ruleset, hook: .input, packet: request).map(\.verdict), [.drop], "REJECT drops")
    }
}

/// A snapshot's nft.rules (or nft.json): read as nft -f would load it; iptables-nft's own
/// tables, which iptables.rules holds too, walked once; a tie of priorities said.
final class NftSnapshotTests: XCTestCase {
    func load(_ files: [String: String]) throws -> HostSnapshot {
        try HostSnapshot.load("/snap") { path in files[(path as NSString).lastPathComponent].map { Array($0.utf8) } }
    }

    static let iptables = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n"

    static let nft = """
    table ip filter {
    \tchain INPUT {
    \t\ttype filter hook input priority filter; policy accept;
    \t}
    }
    table inet mine {
    \tchain input {
    \t\ttype filter hook input priority filter; policy drop;
    \t}
    }

    """

    func testNftRulesBesideIptablesRules() throws {
        let snapshot = try load(["iptables.rules": Self.iptables, "nft.rules": Self.nft])
        XCTAssertEqual(snapshot.nft?.tables.map(\.name), ["mine"], "iptables-nft's table ip filter is iptables.rules'")
        XCTAssert(snapshot.notes.contains("nft.rules: table ip filter are iptables-nft's tables, walked from the "
                                          + "iptables-save files"), "\(snapshot.notes)")
        XCTAssert(snapshot.notes.contains("INPUT: nft chain inet mine input and iptables table filter have priority 0; "
                                          + "the kernel runs the one registered last first, verdict the table"),
                  "\(snapshot.notes)")
    }

    func testAnNftOnlyHostAndBrokenNftRules() throws {
        let only = try load(["nft.rules": Self.nft])
        XCTAssertEqual(only.ruleset.tables.count, 0)
        XCTAssertEqual(only.nft?.tables.count, 2, "no iptables.rules: table ip filter is nft's own")
        let broken = "table ip t {\n\tchain c {\n\t\tjump nowhere\n\t}\n}\n"
        XCTAssertThrowsError(try load(["nft.rules": broken])) { error in
            XCTAssert("\(error)".contains("/snap/nft.rules:3:"), "\(error)")
        }
        XCTAssertThrowsError(try load([:])) { error in
            XCTAssert("\(error)".contains("iptables.rules (iptables-save) or nft.rules"), "\(error)")
        }
    }
}
