import XCTest
@testable import Netfilter

/// An extension's `decide` (the walk's answer when it records no reasons) agrees with its
/// `evaluate` wherever it answers, on packets given in full and in part.
final class ExtensionDecideTests: XCTestCase {
    static let matches = [
        "-p tcp -m tcp --dport 80", "-p tcp -m tcp ! --dport 1000:2000", "-p tcp -m tcp --sport 53 --dport 80",
        "-p tcp -m tcp --tcp-flags SYN,ACK SYN", "-p tcp -m tcp ! --syn", "-p tcp -m tcp --syn --dport 22",
        "-p udp -m udp --dport 53", "-p udp -m udp ! --sport 1024:65535",
        "-m conntrack --ctstate NEW,ESTABLISHED", "-m conntrack ! --ctstate INVALID",
        "-m conntrack --ctstate DNAT", "-m conntrack --ctstate NEW --ctdir ORIGINAL",
        "-m state --state RELATED", "-m state ! --state NEW,ESTABLISHED",
        "-m addrtype --dst-type LOCAL", "-m addrtype ! --src-type UNICAST,LOCAL",
        "-m addrtype --dst-type BROADCAST --limit-iface-in",
        "-m mark --mark 0x4000/0x4000", "-m mark ! --mark 0x1", "-m comment --comment \"a note\"",
        "-p tcp -m multiport --dports 80,443", "-p udp -m multiport ! --ports 53,1000:2000",
        "-p tcp -m multiport --sports 22",
    ]

    func testDecideAgreesWithEvaluate() throws {
        let snapshot = try HostSnapshot.load(Corpus.repository.appendingPathComponent("rulesets/docker-default").path)
        let calls = Self.matches.compactMap { text -> ExtensionCall? in
            let rule = parseRule(text, table: "nat", chain: "PREROUTING").rule
            XCTAssertNotNil(rule, text)
            return rule?.matches.last
        }
        XCTAssertEqual(calls.count, Self.matches.count)
        XCTAssertTrue(calls.allSatisfy { $0.spec.decide != nil })
        var random = SystemRandomNumberGenerator()
        let addresses = ["10.0.2.15", "10.0.2.255", "172.17.0.2", "93.184.216.34", "127.0.0.1", "224.0.0.1"]
            .compactMap { IPv4Address($0).map(IPAddress.v4) }
        var answered = 0
        for _ in 0..<4000 {
            var packet = Packet(family: .ipv4)
            packet.protocol = [IPProtocol.tcp, IPProtocol.udp].randomElement(using: &random)
            packet.source = Bool.random(using: &random) ? addresses.randomElement(using: &random) : nil
            packet.destination = addresses.randomElement(using: &random)
            packet.sourcePort = [nil, 53, 80, 1500, 40000].randomElement(using: &random) ?? nil
            packet.destinationPort = [nil, 22, 53, 80, 1500].randomElement(using: &random) ?? nil
            packet.tcpFlags = [nil, 0x02, 0x12, 0x10, 0x11].randomElement(using: &random) ?? nil
            packet.conntrack.state = [nil, .new, .established, .related, .invalid, .untracked]
                .randomElement(using: &random) ?? nil
            packet.conntrack.beforeConntrack = Int.random(in: 0..<8, using: &random) == 0
            packet.isFragment = Int.random(in: 0..<6, using: &random) == 0
            if Int.random(in: 0..<6, using: &random) == 0 { packet.open.insert(.fragment) }
            packet.mark = [0, 1, 0x4000, 0x4001].randomElement(using: &random) ?? 0
            if Int.random(in: 0..<6, using: &random) == 0 { packet.open.insert(.mark) }
            packet.hookState.hook = .prerouting
            packet.hookState.inInterface = ["eth0", "docker0", "lo"].randomElement(using: &random)
            if Bool.random(using: &random) { packet.host.addressTypes = snapshot.addressTypes }
            for call in calls {
                guard let decided = call.spec.decide?(call, packet) else { continue }
                answered += 1
                let outcome = try XCTUnwrap(call.spec.evaluate?(call, packet))
                XCTAssertEqual(decided, outcome == .matches, "\(RuleSpace.text(of: call)) on \(PacketDescription.format(packet)): \(outcome)")
                if case .unknown = outcome { XCTFail("decided what evaluate leaves unknown: \(RuleSpace.text(of: call))") }
            }
        }
        XCTAssertGreaterThan(answered, 20_000, "decide answers for most packets given in full")
    }
}
