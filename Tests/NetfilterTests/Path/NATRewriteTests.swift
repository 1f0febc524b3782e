import XCTest
@testable import Netfilter

/// NAT recorded where it happens: the nat rule's target at the hook that rewrote the
/// packet, and conntrack's binding for the reply.
final class NATRewriteTests: XCTestCase {
    func rewrites(_ outcome: PathOutcome?) -> [NATRewrite] {
        (outcome?.events ?? []).compactMap { event in
            if case .nat(let rewrite) = event { return rewrite }
            return nil
        }
    }

    /// A NodePort connection on the bundled kube-proxy host: DNAT at PREROUTING and
    /// MASQUERADE at POSTROUTING for the request; the reply has both undone by conntrack,
    /// the destination at PREROUTING and the source at POSTROUTING.
    func testNodePortRequestAndReply() throws {
        let snapshot = try HostSnapshot.load(Corpus.repository.appendingPathComponent("rulesets/kube-proxy").path)
        var syn = Packet.tcp(IPv4Address(93, 184, 216, 34), 50000, IPv4Address(10, 0, 2, 15), 30080)
        syn.tcpFlags = 0x02
        let packets = Flow.run(HostPath(snapshot), request: syn, from: .device("eth0"))
        let request = try XCTUnwrap(packets.first?.outcomes.first)
        let done = rewrites(request)
        XCTAssertEqual(done.map(\.hook), [.prerouting, .postrouting])
        XCTAssertEqual(done.map(\.end), [.destination, .source])
        XCTAssertEqual(done.map(\.cause), [.target("DNAT"), .target("MASQUERADE")])
        XCTAssertEqual(done.map(\.endpoint), ["172.17.0.2:80", "172.17.0.1:50000"])
        XCTAssertEqual(done.first?.description(request: true), "DNAT: destination → 172.17.0.2:80")

        let reply = try XCTUnwrap(packets.dropFirst().first?.outcomes.first)
        let undone = rewrites(reply)
        XCTAssertEqual(undone.map(\.hook), [.prerouting, .postrouting])
        XCTAssertEqual(undone.map(\.cause), [.binding, .binding])
        XCTAssertEqual(undone.map(\.endpoint), ["93.184.216.34:50000", "10.0.2.15:30080"])
        XCTAssertEqual(undone.first?.description(request: false),
                       "conntrack: destination → 93.184.216.34:50000 (undoing SNAT)")
    }

    /// A packet no nat rule rewrites has no NAT event, even where the nat table ran.
    func testNoRewriteNoEvent() throws {
        let snapshot = try HostSnapshot.load(Corpus.repository.appendingPathComponent("rulesets/docker-default").path)
        let ping = Packet.echoRequest(IPv4Address(172, 17, 0, 2), IPv4Address(172, 17, 0, 3))
        let packets = Flow.run(HostPath(snapshot), request: ping, from: .device("vethc1"))
        XCTAssertFalse(packets.isEmpty)
        for packet in packets {
            for outcome in packet.outcomes { XCTAssertEqual(rewrites(outcome), []) }
        }
    }
}
