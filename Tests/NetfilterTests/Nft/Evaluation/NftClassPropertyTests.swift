import Foundation
import XCTest
@testable import Netfilter

/// The classes an nft walk splits a partly described packet into, against the walk of each
/// packet alone: random rulesets (several tables and base chains at a hook, jumps, gotos,
/// returns, sets, verdict maps, marks, conntrack states) and random partial descriptions;
/// every concrete packet sampled in a description lies in exactly one class, whose verdict,
/// answer and deciding entry its own walk gives, and every class's witness is confirmed.
///
/// `VERDICT_NFT_SEED` shifts the seeds, `VERDICT_NFT_PAIRS` sets the rulesets (40).
final class NftClassPropertyTests: XCTestCase {
    static let environment = ProcessInfo.processInfo.environment
    static let pairs = environment["VERDICT_NFT_PAIRS"].flatMap { Int($0) } ?? 40
    static let firstSeed = UInt64(environment["VERDICT_NFT_SEED"] ?? "") ?? 1

    static let addresses = ["10.0.2.2", "10.0.2.15", "10.0.2.0/24", "192.168.100.2", "10.0.0.0/8", "10.0.2.1-10.0.2.9"]
    static let ports = ["22", "53", "80", "443", "1000-2000", "8080"]
    static let devices = ["\"eth0\"", "\"eth1\"", "\"eth*\"", "\"lo\""]

    struct Generator {
        var random: SeededGenerator
        var chains: [String] = []

        mutating func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        mutating func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }

        mutating func relation() -> String {
            let negate = chance(15) ? "!= " : ""
            switch random.next() % 9 {
            case 0: return "ip saddr \(negate)\(pick(NftClassPropertyTests.addresses))"
            case 1: return "ip daddr \(negate)\(pick(NftClassPropertyTests.addresses))"
            case 2: return "tcp dport \(negate)\(pick(NftClassPropertyTests.ports))"
            case 3: return "udp dport { \(pick(["53", "67"])), \(pick(["123", "5353"])) }"
            case 4: return "meta l4proto \(pick(["tcp", "udp", "icmp"]))"
            case 5: return "iifname \(negate)\(pick(NftClassPropertyTests.devices))"
            case 6: return "ct state \(pick(["new", "established,related", "invalid", "{ new, untracked }"]))"
            case 7: return "meta mark \(negate)\(pick(["0x00000001", "0x00000002"]))"
            default: return "th dport @ports"
            }
        }

        mutating func verdict(from index: Int) -> String {
            let later = chains.dropFirst(index + 1)
            var verdicts = ["accept", "drop", "return", "continue", "reject", "meta mark set 0x00000002"]
            if let target = later.randomElement(using: &random) { verdicts += ["jump \(target)", "goto \(target)"] }
            return pick(verdicts)
        }

        mutating func rule(in index: Int) -> String {
            if chance(10) { return "tcp dport vmap @decide" }
            let count = Int(random.next() % 3)
            let relations = (0..<count).map { _ in relation() }
            return (relations + [verdict(from: index)]).joined(separator: " ")
        }

        mutating func ruleset() -> String {
            var text = ""
            for (tableIndex, family) in ["ip", "inet"].enumerated() {
                chains = ["c\(tableIndex)a", "c\(tableIndex)b"]
                text += "table \(family) t\(tableIndex) {\n\tset ports {\n\t\ttype inet_service\n\t\tflags interval\n"
                    + "\t\telements = { 22, 8000-8100 }\n\t}\n\n\tmap decide {\n\t\ttype inet_service : verdict\n"
                    + "\t\telements = { 80 : accept, 443 : drop }\n\t}\n"
                for base in 0..<2 {
                    let priority = pick(["-10", "0", "10", "filter"])
                    text += "\n\tchain b\(base) {\n\t\ttype filter hook input priority \(priority); "
                        + "policy \(pick(["accept", "accept", "drop"]));\n"
                    for _ in 0..<Int(random.next() % 4) { text += "\t\t\(rule(in: -1))\n" }
                    text += "\t}\n"
                }
                for (index, chain) in chains.enumerated() {
                    text += "\n\tchain \(chain) {\n"
                    for _ in 0..<Int(random.next() % 3) { text += "\t\t\(rule(in: index))\n" }
                    text += "\t}\n"
                }
                text += "}\n"
            }
            return text
        }
    }

    func testClassesAgreeWithConcreteWalks() throws {
        var checked = 0, classes = 0
        for seed in Self.firstSeed..<(Self.firstSeed + UInt64(Self.pairs)) {
            var generator = Generator(random: SeededGenerator(seed: seed))
            let text = generator.ruleset()
            let parsed = NftParser.parse(text)
            guard parsed.diagnostics.isEmpty, NftValidator.validate(parsed.ruleset).isEmpty else {
                XCTFail("seed \(seed): the generated ruleset does not load:\n\(text)\n\(parsed.diagnostics)")
                continue
            }
            let walker = NftHookWalker(parsed.ruleset)
            // A description: TCP or UDP from an open source on an open device, to an open port.
            var described = Packet()
            described.protocol = generator.pick([IPProtocol.tcp, IPProtocol.udp])
            described.destination = IPAddress(parsing: Array("10.0.2.15".utf8), family: .ipv4)
            described.sourcePort = 40000
            described.open = [.mark]
            let results = walker.walk(hooks: [.input], packet: described)
            classes += results.count
            let description = DescribedPackets(packet: described)
            let merged = OutcomeClasses.merge(results)
            let confirmed = OutcomeClasses.witnesses(merged, described: description, hook: .input,
                                                     interfaceNames: walker.program.interfaceNames) {
                walker.walk(hooks: [.input], packet: $0)
            }
            for item in confirmed {
                XCTAssertEqual(item.confirmed, true, "seed \(seed): a class's witness is confirmed\n\(text)")
            }
            for _ in 0..<60 {
                var packet = described
                packet.source = IPAddress(parsing: Array(generator.pick(["10.0.2.2", "10.0.2.5", "192.168.100.2",
                                                                         "10.1.1.1", "8.8.8.8"]).utf8), family: .ipv4)
                packet.destinationPort = generator.pick([22, 53, 80, 123, 443, 1500, 8050, 8080, 9999])
                packet.hookState.inInterface = generator.pick(["eth0", "eth1", "lo", "wlan0"])
                packet.conntrack.state = generator.pick(ConntrackState.allCases)
                packet.mark = generator.pick([0, 1, 2])
                packet.open = []
                let concrete = walker.walk(hooks: [.input], packet: packet)
                XCTAssertEqual(concrete.count, 1, "seed \(seed): a packet alone walks one way")
                var arrived = packet
                arrived.hookState.hook = .input
                let holding = results.filter { result in
                    result.packets?.cubes.contains { $0.contains(arrived) } ?? true
                }
                XCTAssertEqual(holding.count, 1, "seed \(seed): \(PacketDescription.format(packet)) is in one class")
                guard let walk = concrete.first, let owner = holding.first else { continue }
                let described = PacketDescription.format(packet)
                XCTAssertEqual(owner.verdict, walk.verdict, "seed \(seed): \(described)\n\(text)")
                XCTAssertEqual(AnswerKey(owner), AnswerKey(walk),
                               "seed \(seed): \(PacketDescription.format(packet))\n\(text)")
                checked += 1
            }
        }
        print("nft class property test: \(Self.pairs) rulesets, \(classes) classes, \(checked) packets checked")
        XCTAssertGreaterThan(classes, Self.pairs, "descriptions split into classes")
    }
}
