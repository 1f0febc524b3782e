import XCTest
@testable import Netfilter

/// `-m cluster`: the save form iptables 1.8.9 prints, its refusals, and the node each
/// connection falls on, as the kernel of this project's VM decided it (one UDP datagram
/// from each source to a namespace with a counting rule per node, 4 nodes).
final class ClusterTests: XCTestCase {
    func testSavesTheMaskAndSeedInHex() {
        assertSaves("-m cluster --cluster-total-nodes 2 --cluster-local-nodemask 3 --cluster-hash-seed 0xdeadbeef",
                    as: "-m cluster --cluster-local-nodemask 0x00000003 --cluster-total-nodes 2 --cluster-hash-seed 0xdeadbeef")
        assertSaves("-m cluster --cluster-total-nodes 4 ! --cluster-local-node 2 --cluster-hash-seed 7",
                    as: "-m cluster ! --cluster-local-nodemask 0x00000002 --cluster-total-nodes 4 --cluster-hash-seed 0x00000007")
    }

    func testRefusesWhatIptablesRefuses() {
        assertRefuses("-m cluster --cluster-total-nodes 2 --cluster-local-node 3 --cluster-hash-seed 7",
                      containing: "must be <= --cluster-total-nodes")
        assertRefuses("-m cluster --cluster-total-nodes 2 --cluster-local-nodemask 0x40 --cluster-hash-seed 7",
                      containing: "out of range")
        assertRefuses("-m cluster --cluster-total-nodes 2 --cluster-hash-seed 7",
                      containing: "needs --cluster-local-node or --cluster-local-nodemask")
        assertRefuses("-m cluster --cluster-total-nodes 33 --cluster-local-node 1 --cluster-hash-seed 7",
                      containing: "out of range")
        assertRefuses("-m cluster --cluster-local-node 1 --cluster-hash-seed 7", containing: "is required")
        assertRefuses("-m cluster --cluster-total-nodes 4 --cluster-local-node 1 --cluster-local-nodemask 1 "
                      + "--cluster-hash-seed 7", containing: "cannot be combined")
    }

    func testReadsTheListingBack() throws {
        let listing = """
        Chain INPUT (policy ACCEPT 0 packets, 0 bytes)
         pkts bytes target     prot opt in     out     source               destination
            0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            \
        cluster node_mask=0x00000003 total_nodes=2 hash_seed=0xdeadbeef
            0     0            0    --  *      *       0.0.0.0/0            0.0.0.0/0            \
        cluster !node_mask=0x00000002 total_nodes=4 hash_seed=0x00000007
        """
        let parsed = ListingParser.parse(listing, family: .ipv4)
        XCTAssertEqual(parsed.errors, [])
        let rules = try XCTUnwrap(parsed.ruleset.tables.first?.chains.first?.rules)
        XCTAssertEqual(rules.map { SavePrinter.ruleText($0, family: .ipv4) }, [
            "-m cluster --cluster-local-nodemask 0x00000003 --cluster-total-nodes 2 --cluster-hash-seed 0xdeadbeef -j ACCEPT",
            "-m cluster ! --cluster-local-nodemask 0x00000002 --cluster-total-nodes 4 --cluster-hash-seed 0x00000007",
        ])
    }

    func testNodesAreTheKernels() throws {
        // (source, seed, node from 1) as the kernel counted them.
        let seen: [(String, UInt32, UInt32)] = [
            ("10.9.2.2", 0xdeadbeef, 1), ("10.9.0.3", 0xdeadbeef, 3), ("10.9.1.4", 0xdeadbeef, 3),
            ("10.9.0.6", 0xdeadbeef, 2), ("10.9.1.7", 0xdeadbeef, 4), ("10.9.2.200", 0xdeadbeef, 4),
            ("10.9.0.201", 0xdeadbeef, 3), ("10.9.2.2", 7, 4), ("10.9.0.3", 7, 1), ("10.9.1.10", 7, 1),
            ("10.9.1.202", 7, 2), ("10.9.2.8", 7, 3),
            // Only the first 32 bits of an IPv6 source are hashed: all of fd00::/16 is one node.
            ("fd00::2:14", 0xdeadbeef, 2), ("fd00::202:1414", 0xdeadbeef, 2), ("fd00::9:63", 7, 4),
        ]
        for (text, seed, node) in seen {
            let source: IPAddress = try XCTUnwrap(IPv4Address(text).map(IPAddress.v4) ?? IPv6Address(text).map(IPAddress.v6))
            XCTAssertEqual(ExtensionSpec.clusterNode(of: source, nodes: 4, seed: seed) + 1, node, "\(text) seed \(seed)")
        }
    }

    func testMatchesTheConnectionsOfItsNodesOnly() throws {
        let rule = "-m cluster --cluster-total-nodes 4 --cluster-local-nodemask 0x5 --cluster-hash-seed 0xdeadbeef"
        let call = try XCTUnwrap(parseRule(rule).rule?.matches.first)
        func outcome(_ source: IPv4Address, _ state: ConntrackState?) -> MatchOutcome {
            var packet = Packet.tcp(source, 40000, IPv4Address(10, 9, 0, 1), 22)
            packet.conntrack.state = state
            return ExtensionSpec.clusterOutcome(call, packet)
        }
        XCTAssertEqual(outcome(IPv4Address(10, 9, 2, 2), .new), .matches)  // node 1
        XCTAssertEqual(outcome(IPv4Address(10, 9, 0, 3), .new), .matches)  // node 3
        guard case .fails = outcome(IPv4Address(10, 9, 0, 6), .new) else { return XCTFail("node 2 is not in 0x5") }
        guard case .fails = outcome(IPv4Address(10, 9, 2, 2), .untracked) else {
            return XCTFail("an untracked packet has no connection to hash")
        }
        guard case .unknown = outcome(IPv4Address(10, 9, 2, 2), .related) else {
            return XCTFail("a related connection hashes its master's source, which is not described")
        }
        guard case .unknown = outcome(IPv4Address(10, 9, 2, 2), .established) else {
            return XCTFail("an established packet may go the reply way: its original source is not known")
        }
    }
}
