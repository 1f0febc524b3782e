import XCTest
@testable import Netfilter

/// The semantic diff against the concrete evaluator, on random ruleset pairs: every class
/// it reports is exact (its witness and random packets inside it are treated differently)
/// and complete (random packets outside every class are treated alike).
final class SemanticDiffPropertyTests: XCTestCase {
    /// Pairs per run: 60 in CI; `VERDICT_DIFF_PAIRS=2000 swift test --filter SemanticDiffProperty`
    /// for a long run (`VERDICT_DIFF_SEED` shifts the seeds).
    static let pairs = Int(ProcessInfo.processInfo.environment["VERDICT_DIFF_PAIRS"] ?? "") ?? 60
    static let firstSeed = UInt64(ProcessInfo.processInfo.environment["VERDICT_DIFF_SEED"] ?? "") ?? 1
    static let samplesPerPair = 2_000

    func testRandomPairsAgreeWithTheEvaluator() throws {
        try check(pairs: Self.pairs, firstSeed: Self.firstSeed) { random in random.ruleset() }
    }

    /// Long chains of single-destination rules: the diff's destination index and its
    /// projected suffixes are exercised.
    func testLongChainPairsAgreeWithTheEvaluator() throws {
        try check(pairs: max(Self.pairs / 3, 10), firstSeed: Self.firstSeed + 10_000) { random in random.serviceRuleset() }
    }

    func check(pairs: Int, firstSeed: UInt64, make: (inout RandomRulesets) -> [RandomRulesets.Table]) throws {
        var conditionTexts = Set<String>()
        var checkedClasses = 0, conditional = 0, inside = 0, outside = 0, changedPairs = 0
        for seed in firstSeed..<(firstSeed + UInt64(pairs)) {
            var random = RandomRulesets(seed: seed)
            guard let (oldTables, old) = loadable(&random, make) else { continue }
            var newTables = random.edit(oldTables)
            var new = parse(newTables)
            var attempts = 0
            while new == nil && attempts < 20 {
                newTables = random.edit(oldTables)
                new = parse(newTables)
                attempts += 1
            }
            guard let new else { continue }
            let context = "seed \(seed)\n--- old\n\(RandomRulesets.text(oldTables))--- new\n\(RandomRulesets.text(newTables))"
            let diff = try SemanticDiff.compare(old: old, new: new)
            if diff.changesPackets { changedPairs += 1 }
            for found in diff.classes {
                checkedClasses += 1
                // A class that depends on a condition (a match the algebra cannot express) has
                // no single concrete answer; every other witness must differ.
                if !found.conditions.isEmpty {
                    conditional += 1
                    conditionTexts.formUnion(found.conditions.map(\.text))
                    continue
                }
                XCTAssertEqual(found.confirmed, true, "class \(PacketClassText.describe(found.packets, family: .ipv4, walk: found.walk)) at \(found.walk): "
                               + "witness \(found.witness.map(PacketDescription.format) ?? "none") old \(found.concrete.old) new \(found.concrete.new)\n\(context)")
            }
            let oldEvaluator = ConcreteEvaluator(old), newEvaluator = ConcreteEvaluator(new)
            let walks = DiffScope().walks
            for sample in 0..<Self.samplesPerPair {
                let walk = walks[sample % walks.count]
                let packet = randomPacket(&random, walk: walk)
                let oldOutcome = oldEvaluator.outcomes(packet, walk: walk), newOutcome = newEvaluator.outcomes(packet, walk: walk)
                let containing = diff.classes.filter { $0.walk == walk && $0.packets.contains(packet) }
                // Packets in a conditional class may or may not meet its condition.
                if containing.contains(where: { !$0.conditions.isEmpty }) { continue }
                XCTAssertLessThanOrEqual(containing.count, 1, "classes overlap at \(PacketDescription.format(packet))\n\(context)")
                if containing.isEmpty {
                    outside += 1
                    XCTAssertEqual(oldOutcome, newOutcome, "\(walk) \(PacketDescription.format(packet)) is in no class but old \(oldOutcome) new \(newOutcome)\n\(context)")
                } else {
                    inside += 1
                    XCTAssertNotEqual(oldOutcome, newOutcome, "\(walk) \(PacketDescription.format(packet)) is in a class but treated alike: \(oldOutcome)\n\(context)")
                }
                if testRun?.failureCount ?? 0 > 5 { return }
            }
        }
        print("diff property test: \(pairs) pairs (\(changedPairs) change packets), \(checkedClasses - conditional) witnesses confirmed (\(conditional) classes depend on a condition), \(inside) packets inside classes differ, \(outside) outside agree")
        if !conditionTexts.isEmpty { print("conditions met: " + conditionTexts.sorted().prefix(8).joined(separator: " | ")) }
        XCTAssertGreaterThan(changedPairs, pairs / 4, "most random edits change some packets")
        XCTAssertGreaterThan(inside, 100, "enough samples fall inside classes")
    }

    /// Random rulesets until one loads.
    func loadable(_ random: inout RandomRulesets, _ make: (inout RandomRulesets) -> [RandomRulesets.Table]) -> ([RandomRulesets.Table], Ruleset)? {
        for _ in 0..<50 {
            let tables = make(&random)
            if let ruleset = parse(tables) { return (tables, ruleset) }
        }
        return nil
    }

    func parse(_ tables: [RandomRulesets.Table]) -> Ruleset? {
        let result = SaveParser.parse(RandomRulesets.text(tables), family: .ipv4)
        guard !result.hasErrors, !Validator.validate(result.ruleset).contains(where: { $0.severity == .error }) else { return nil }
        return result.ruleset
    }

    func randomPacket(_ random: inout RandomRulesets, walk: DiffScope.Walk) -> Packet {
        var packet = Packet()
        let addresses = ["10.96.0.\(Int.random(in: 1...40, using: &random.generator))", "10.96.0.\(Int.random(in: 1...40, using: &random.generator))", "10.1.2.3", "10.1.9.9", "10.200.0.1", "192.168.0.7", "192.168.0.99", "172.17.0.2", "8.8.8.8", "127.0.0.1", "200.1.1.1", "10.9.9.9"]
        packet.source = IPv4Address(random.pick(addresses)).map(IPAddress.v4)
        packet.destination = IPv4Address(random.pick(addresses)).map(IPAddress.v4)
        packet.protocol = random.pick([IPProtocol.tcp, IPProtocol.tcp, IPProtocol.udp, IPProtocol.icmp, 47])
        if packet.protocol == IPProtocol.tcp || packet.protocol == IPProtocol.udp {
            packet.sourcePort = random.pick([22, 80, 443, 53, 1500, 8080, 40000, 50000])
            packet.destinationPort = random.pick([22, 80, 443, 53, 1500, 8080, 40000, 50000])
        }
        if packet.protocol == IPProtocol.tcp { packet.tcpFlags = random.pick([0x02, 0x12, 0x10, 0x11, 0x04, 0x00]) }
        if packet.protocol == IPProtocol.icmp {
            packet.icmpType = random.pick([0, 8, 3])
            packet.icmpCode = random.pick([0, 3])
        }
        packet.conntrack.state = random.pick(ConntrackState.allCases)
        packet.mark = random.pick([0, 1, 2, 0x101, 0xff])
        packet.conntrack.mark = random.pick([0, 1, 2])
        packet.isFragment = random.chance(10)
        let devices = ["eth0", "eth1", "ethx", "docker0", "br-abc", "lo", "wlan0"]
        switch walk.hook {
        case .prerouting?, .input?: packet.hookState.inInterface = random.pick(devices)
        case .forward?:
            packet.hookState.inInterface = random.pick(devices)
            packet.hookState.outInterface = random.pick(devices)
        case .output?: packet.hookState.outInterface = random.pick(devices)
        case .postrouting?:
            packet.hookState.inInterface = random.chance(50) ? random.pick(devices) : nil
            packet.hookState.outInterface = random.pick(devices)
        case nil: break
        }
        return packet
    }
}
