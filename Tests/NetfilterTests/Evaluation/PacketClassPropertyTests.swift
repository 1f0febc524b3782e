import Foundation
import XCTest
@testable import Netfilter

/// The classes a walk splits a partly described packet into, against the concrete
/// evaluator: random rulesets and host snapshots, random partial descriptions, and concrete
/// packets sampled inside each description. Each concrete result (with its own conditions)
/// lies in exactly one class among those whose conditions agree with it, that class's
/// answer is the concrete one, no class claims conditions no concrete result has, and every
/// class's witness is confirmed.
///
/// CI runs a few pairs; a long campaign:
///
///     VERDICT_CLASS_PAIRS=1000 VERDICT_CLASS_FLOW_PAIRS=300 swift test --filter PacketClassProperty
///
/// `VERDICT_CLASS_SEED` shifts the seeds, `VERDICT_CLASS_SAMPLES` sets the concrete packets
/// per pair (1,000), `VERDICT_CLASS_FAILURES` how many failures a test reports before it
/// stops (6). Each failure says how to replay it.
final class PacketClassPropertyTests: XCTestCase {
    static let environment = ProcessInfo.processInfo.environment
    static func setting(_ name: String) -> Int? { environment[name].flatMap { Int($0) } }
    /// Hook walks per run: a random ruleset, hook (or chain) and description each.
    static let pairs = setting("VERDICT_CLASS_PAIRS") ?? 30
    /// Flows per run: a snapshot, origin and description each (a third of `pairs` when only
    /// that is set).
    static let flowPairs = setting("VERDICT_CLASS_FLOW_PAIRS")
        ?? setting("VERDICT_CLASS_PAIRS").map { max($0 / 3, 1) } ?? 8
    static let firstSeed = UInt64(environment["VERDICT_CLASS_SEED"] ?? "") ?? 1
    static let samples = setting("VERDICT_CLASS_SAMPLES") ?? 1_000
    static let failureLimit = setting("VERDICT_CLASS_FAILURES") ?? 6

    /// What a test counted, for its summary line.
    struct Tally {
        var pairs = 0, descriptions = 0, classes = 0, conditional = 0, packets = 0, witnesses = 0
        /// Packets in several classes that differ only in a field the packet has no value for.
        var overlapping = 0
        var conditionTexts = Set<String>()

        mutating func count(conditions: [(text: String, holds: Bool)]?) {
            guard let conditions, !conditions.isEmpty else { return }
            conditional += 1
            conditionTexts.formUnion(conditions.map(\.text))
        }

        func summary(_ what: String) -> String {
            "class property test (\(what)): \(pairs) pairs, \(descriptions) descriptions, \(classes) classes "
                + "(\(conditional) conditional), \(packets) packets checked (\(overlapping) in classes that differ "
                + "only in a field they lack), \(witnesses) witnesses confirmed"
        }
    }

    var tooManyFailures: Bool { (testRun?.failureCount ?? 0) >= Self.failureLimit }

    /// Prints a test's summary; without failures, checks that the run tested something: most
    /// pairs gave a description, descriptions split, and the samples were checked.
    func assertCovered(_ tally: Tally, _ what: String, pairs: Int) {
        print(tally.summary(what))
        guard (testRun?.failureCount ?? 0) == 0 else { return }
        XCTAssertGreaterThan(tally.descriptions, pairs * 3 / 4, "most seeds give a description (\(what))")
        XCTAssertGreaterThan(tally.classes, tally.descriptions, "descriptions split into several classes (\(what))")
        XCTAssertGreaterThan(tally.packets, tally.descriptions * Self.samples * 9 / 10, "samples are checked (\(what))")
    }

    // MARK: - Hook walks

    func testHookWalksAgreeWithTheEvaluator() throws {
        var tally = Tally()
        for seed in Self.firstSeed..<(Self.firstSeed + UInt64(Self.pairs)) {
            var random = RandomRulesets(seed: seed)
            // Every other ruleset has matches the algebra cannot express: classes with conditions.
            random.unmodelled = seed % 2 == 0
            let make: (inout RandomRulesets) -> [RandomRulesets.Table] = seed % 5 == 4
                ? { $0.serviceRuleset() } : { $0.ruleset() }
            guard let (tables, ruleset) = Self.loadable(&random, make) else { continue }
            checkHookPair(seed: seed, tables: tables, ruleset: ruleset, random: &random, tally: &tally)
            if tooManyFailures { break }
        }
        assertCovered(tally, "hook walks", pairs: Self.pairs)
    }

    /// Where a pair walks: a hook, or one chain alone.
    enum Walk: CustomStringConvertible {
        case hook(Hook)
        case chain(table: String, chain: String)

        var hook: Hook? {
            switch self {
            case .hook(let hook): return hook
            case .chain(_, let chain): return Hook(rawValue: chain)
            }
        }

        var description: String {
            switch self {
            case .hook(let hook): return "--hook \(hook.rawValue)"
            case .chain(let table, let chain): return "--chain \(table)/\(chain)"
            }
        }
    }

    func checkHookPair(seed: UInt64, tables: [RandomRulesets.Table], ruleset: Ruleset, random: inout RandomRulesets,
                       tally: inout Tally) {
        tally.pairs += 1
        let walk: Walk
        if random.chance(75) {
            walk = .hook(random.pick(Hook.allCases))
        } else {
            let table = random.pick(tables)
            walk = .chain(table: table.name, chain: random.pick(table.chains).name)
        }
        let input = RandomDescriptions.DeviceDomain.input(at: walk.hook)
        let output = RandomDescriptions.DeviceDomain.output(at: walk.hook)
        let descriptions = RandomDescriptions(rulesets: [ruleset])
        guard let (options, found) = Self.description(&random, descriptions, input: input, output: output) else {
            return
        }
        var described = found
        // The defaults verdict trace applies, sometimes: no later fragment where conntrack
        // reassembles; a mark of 0.
        if HookEvaluator.tracksConnections(ruleset) && random.chance(70) { described.assumeReassembled() }
        if random.chance(25) { described.assumeUnmarked() }
        tally.descriptions += 1

        let evaluate: (Packet) -> [WalkResult]
        let results: [WalkResult]
        switch walk {
        case .hook(let hook):
            let evaluator = HookEvaluator(ruleset)
            results = evaluator.walk(hook: hook, packet: described.packet, packets: described.packets)
            evaluate = { evaluator.walk(hook: hook, packet: $0) }
        case .chain(let tableName, let chain):
            guard let table = ruleset.table(named: tableName) else { return }
            let walker = ChainWalker(table: table)
            results = walker.walk(from: chain, packet: described.packet, packets: described.packets)
            evaluate = { walker.walk(from: chain, packet: $0) }
        }
        let classes = OutcomeClasses.witnesses(OutcomeClasses.merge(results), described: described, hook: walk.hook,
                                               interfaceNames: SemanticDiff.interfaceNames(ruleset), evaluate: evaluate)
        let context = {
            "replay: VERDICT_CLASS_SEED=\(seed) VERDICT_CLASS_PAIRS=1 swift test --filter "
                + "PacketClassPropertyTests/testHookWalksAgreeWithTheEvaluator\n\(walk)\n"
                + "options: \(Self.text(options))\n"
                + "described: \(PacketDescription.format(described.packet, class: described.packets?.cubes.first))\n"
                + "classes:\n" + classes.map { "  " + Self.text(of: $0, described: described) }.joined(separator: "\n")
                + "\n--- ruleset\n" + RandomRulesets.text(tables)
        }
        tally.classes += classes.count
        var unconfirmed: [String] = []
        for item in classes {
            tally.count(conditions: item.packets?.conditions)
            if item.confirmed == true {
                tally.witnesses += 1
            } else {
                unconfirmed.append("witness \(item.witness.map(PacketDescription.format) ?? "none") of class "
                                   + "\(Self.text(of: item, described: described)) is not confirmed: "
                                   + (item.witness.map { Self.text(evaluate($0)) } ?? "no witness"))
            }
        }
        if let first = unconfirmed.first {
            // One report per pair (its first class), with how many there are.
            XCTFail("\(unconfirmed.count) of \(classes.count) classes not confirmed; the first: \(first)\n" + context())
            return
        }
        // Each class, or where its packets reached its answer by several walks, each walk
        // with its part: a packet must have its part's whole walk, not only its answer.
        let walks = classes.flatMap { item in
            item.ways.isEmpty ? [(item.packets, item.result)] : item.ways.map { ($0.packets, $0.result) }
        }
        let set = described.packets?.cubes.first
        for _ in 0..<Self.samples {
            guard let packet = descriptions.packet(&random, template: described.packet, set: set, input: input,
                                                   output: output) else { continue }
            guard Self.inside(packet, described) else {
                XCTFail("sampled \(PacketDescription.format(packet)) outside the description\n" + context())
                return
            }
            tally.packets += 1
            var overlapping = false
            if let failure = Self.check(packet, walks, evaluate(packet),
                                        overlapping: &overlapping) {
                XCTFail("\(failure)\npacket: \(PacketDescription.format(packet))\n" + context())
                return
            }
            if overlapping { tally.overlapping += 1 }
        }
    }

    // MARK: - Flows over host snapshots

    /// A snapshot the flows run over, loaded once.
    struct Host {
        var name: String
        var snapshot: HostSnapshot
        var path: HostPath
        var descriptions: RandomDescriptions
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The conformance fixtures (random rulesets the kernel loaded, on a Docker-style host)
    /// and the bundled Docker hosts.
    static func hosts() throws -> [Host] {
        let conformance = repository.appendingPathComponent("Tests/Fixtures/conformance")
        let names = try FileManager.default.contentsOfDirectory(atPath: conformance.path).filter { !$0.hasPrefix(".") }
        let folders = names.sorted().map { conformance.appendingPathComponent($0).path }
            + ["rulesets/docker-default", "rulesets/docker-17-seed"].map { repository.appendingPathComponent($0).path }
        return try folders.map { folder in
            let snapshot = try HostSnapshot.load(folder)
            let addresses = snapshot.interfaces.flatMap { $0.addresses.map(\.address) }
                + snapshot.neighbours.map(\.address)
            let descriptions = RandomDescriptions(rulesets: [snapshot.ruleset], addresses: addresses,
                                                  networks: snapshot.routes.map(\.destination),
                                                  devices: snapshot.interfaces.map(\.name))
            return Host(name: (folder as NSString).lastPathComponent, snapshot: snapshot, path: HostPath(snapshot),
                        descriptions: descriptions)
        }
    }

    func testFlowsAgreeWithTheEvaluator() throws {
        let hosts = try Self.hosts()
        XCTAssertGreaterThanOrEqual(hosts.count, 11)
        var tally = Tally()
        for seed in Self.firstSeed..<(Self.firstSeed + UInt64(Self.flowPairs)) {
            var random = RandomRulesets(seed: seed &+ 50_000)
            let host = hosts[Int(seed % UInt64(hosts.count))]
            let devices = host.snapshot.interfaces.map(\.name)
            let origin: PacketOrigin = devices.isEmpty || random.chance(25) ? .local : .device(random.pick(devices))
            checkFlowPair(seed: seed, host: host, origin: origin, random: &random, tally: &tally)
            if tooManyFailures { break }
        }
        assertCovered(tally, "flows", pairs: Self.flowPairs)
    }

    func checkFlowPair(seed: UInt64, host: Host, origin: PacketOrigin, random: inout RandomRulesets,
                       tally: inout Tally) {
        tally.pairs += 1
        guard let (options, found) = Self.description(&random, host.descriptions, input: nil, output: nil) else {
            return
        }
        var described = found
        // What verdict flow assumes: a packet reaching the host has mark 0 and is reassembled;
        // the path gives the devices.
        described.assumeUnmarked()
        described.assumeReassembled()
        described.packet.hookState.inInterface = nil
        described.packet.hookState.outInterface = nil
        tally.descriptions += 1
        let snapshot = host.snapshot, path = host.path
        let flow = Flow.run(path, request: described.packet, packets: described.packets, from: origin)
        guard let request = flow.first else { return }
        let key = { (answer: FlowAnswer) in Self.key(answer, request: request, snapshot: snapshot) }
        let names = SemanticDiff.interfaceNames(snapshot.ruleset) + snapshot.interfaces.map(\.name)
        let merged = FlowAnswers.merged(FlowAnswers.answers(flow), key: key)
        let answers = FlowAnswers.witnesses(merged, request: request, interfaceNames: names, key: key) {
            Flow.run(path, request: $0, from: origin)
        }
        let context = {
            "replay: VERDICT_CLASS_SEED=\(seed) VERDICT_CLASS_FLOW_PAIRS=1 swift test --filter "
                + "PacketClassPropertyTests/testFlowsAgreeWithTheEvaluator\nsnapshot \(host.name), --from \(origin)\n"
                + "options: \(Self.text(options))\n"
                + "described: \(PacketDescription.format(described.packet, class: described.packets?.cubes.first))\n"
                + "answers:\n"
                + answers.map { "  " + Self.text(of: $0, request: request, key: key) }.joined(separator: "\n")
        }
        tally.classes += answers.count
        var unconfirmed: [String] = []
        for answer in answers {
            tally.count(conditions: answer.packets?.conditions)
            if answer.confirmed == true {
                tally.witnesses += 1
            } else {
                let concrete = answer.witness.map { witness in
                    FlowAnswers.answers(Flow.run(path, request: witness, from: origin)).map {
                        key($0) + " " + PacketDescription.conditionText($0.packets)
                    }
                }
                unconfirmed.append("witness \(answer.witness.map(PacketDescription.format) ?? "none") of answer "
                                   + Self.text(of: answer, request: request, key: key)
                                   + " is not confirmed; its flow: \(concrete ?? [])")
            }
        }
        if let first = unconfirmed.first {
            XCTFail("\(unconfirmed.count) of \(answers.count) answers not confirmed; the first: \(first)\n" + context())
            return
        }
        // The request as the flow took it (its defaults: ctstate NEW, a SYN, connmark 0, a
        // local process's source); the connection is made again for each concrete request.
        var template = request.packet
        template.conntrack.tuple = nil
        let set = described.packets?.cubes.first
        for _ in 0..<Self.samples {
            guard var packet = host.descriptions.packet(&random, template: template, set: set, input: nil,
                                                        output: nil) else { continue }
            // A NEW request whose connection mark or TCP flags the description does not give
            // gets the flow's (mark 0, a SYN), as the class's NEW requests do.
            if template.conntrack.state == nil, packet.conntrack.state == .new {
                if template.conntrack.mark == nil, set?[.connmark] == nil { packet.conntrack.mark = nil }
                if template.tcpFlags == nil, set?[.tcpFlags] == nil { packet.tcpFlags = nil }
            }
            // A local process's source not given: the host picks it (the route's preferred source).
            if origin == .local, described.packet.source == nil, set?[.source] == nil { packet.source = nil }
            let concreteFlow = Flow.run(path, request: packet, from: origin)
            guard let arrived = concreteFlow.first?.packet else { continue }
            guard Self.inside(arrived, described) else {
                XCTFail("sampled \(PacketDescription.format(arrived)) outside the description\n" + context())
                return
            }
            tally.packets += 1
            var overlapping = false
            if let failure = Self.check(arrived, answers, FlowAnswers.answers(concreteFlow), key: key,
                                        overlapping: &overlapping) {
                XCTFail("\(failure)\nrequest: \(PacketDescription.format(arrived))\n" + context())
                return
            }
            if overlapping { tally.overlapping += 1 }
        }
    }

    /// The answer line without its packets, as `verdict flow` merges answers.
    static func key(_ answer: FlowAnswer, request: FlowPacket, snapshot: HostSnapshot) -> String {
        let rules = snapshot.rules(for: request.packet.family).map(RuleBook.init)
        return FlowAnswerRenderer.verdictWord(answer.request) + " "
            + FlowAnswerRenderer.outcomeText(answer, request: request, rules: rules)
    }

    // MARK: - Checks

    /// A concrete packet's walks against the classes: each concrete result (for each set of
    /// conditions it stands for) lies in exactly one class whose conditions agree with its own,
    /// and that class's answer is the concrete one; no class containing the packet claims
    /// conditions no concrete result has.
    static func check(_ packet: Packet, _ classes: [(packets: PacketCube?, result: WalkResult)],
                      _ concrete: [WalkResult], overlapping: inout Bool) -> String? {
        if concrete.isEmpty { return "the concrete walk has no result" }
        let containing = classes.filter { $0.packets?.contains(packet) ?? true }
        // A concrete result may stand for several sets of conditions (parts of the walk with
        // one probability travel together): each is checked.
        let cases = concrete.flatMap { result in
            (result.packets?.cubes ?? [PacketCube()]).map { (result: result, conditions: $0.conditions) }
        }
        for (result, conditions) in cases {
            let agreeing = containing.filter { agree($0.packets?.conditions ?? [], conditions) }
            guard !agreeing.isEmpty, disjoint(agreeing.map(\.packets)) else {
                return "the concrete result \(text(result, conditions: conditions)) is in \(agreeing.count) classes: "
                    + agreeing.map { text($0.result) }.joined(separator: " | ")
            }
            if agreeing.count > 1 { overlapping = true }
            let wanted = WalkKey(result)
            for found in agreeing where expectedKey(found.result, arrived: packet, concrete: result) != wanted {
                return "the class says \(text(found.result)), the concrete walk \(text(result, conditions: conditions))"
            }
        }
        for item in containing {
            let conditions = item.packets?.conditions ?? []
            if !cases.contains(where: { agree(conditions, $0.conditions) }) {
                return "the class \(text(item.result)) contains the packet, but no concrete result has its "
                    + "conditions: " + concrete.map { text($0) }.joined(separator: " | ")
            }
        }
        return nil
    }

    /// A concrete request's answers against the classes, as `check` for walks: each answer
    /// (one set of conditions each) lies in exactly one class whose conditions agree with
    /// its own, and that class says the same.
    static func check(_ packet: Packet, _ answers: [FlowAnswer], _ concrete: [FlowAnswer],
                      key: (FlowAnswer) -> String, overlapping: inout Bool) -> String? {
        if concrete.isEmpty { return "the concrete flow has no answer" }
        let containing = answers.filter { $0.packets?.contains(packet) ?? true }
        func said(_ answer: FlowAnswer) -> String {
            key(answer) + " " + PacketDescription.conditionText(answer.packets)
        }
        for answer in concrete {
            let conditions = answer.packets?.conditions ?? []
            let agreeing = containing.filter { agree($0.packets?.conditions ?? [], conditions) }
            guard !agreeing.isEmpty, disjoint(agreeing.map(\.packets)) else {
                return "the concrete answer \(said(answer)) is in \(agreeing.count) classes: "
                    + agreeing.map { said($0) }.joined(separator: " | ")
            }
            if agreeing.count > 1 { overlapping = true }
            for found in agreeing where key(found) != key(answer) {
                return "the class says \(said(found)), the concrete flow \(said(answer))"
            }
        }
        for answer in containing {
            let conditions = answer.packets?.conditions ?? []
            if !concrete.contains(where: { agree(conditions, $0.packets?.conditions ?? []) }) {
                return "the class \(said(answer)) contains the request, but no concrete answer has its conditions: "
                    + concrete.map { said($0) }.joined(separator: " | ")
            }
        }
        return nil
    }

    /// Whether classes that all contain one packet are disjoint all the same: they differ in a
    /// field the packet has no value for (the ports of a later fragment or an ICMP packet),
    /// which no rule reads for it; each must then give the packet's answer. Any other overlap
    /// (two classes with a packet in common) is a failure.
    static func disjoint(_ classes: [PacketCube?]) -> Bool {
        for (index, a) in classes.enumerated() {
            for b in classes[(index + 1)...] {
                guard let a, let b, a.intersection(b) == nil else { return false }
            }
        }
        return true
    }

    /// Whether two sets of conditions can hold together (no condition true in one and false
    /// in the other).
    static func agree(_ a: [(text: String, holds: Bool)], _ b: [(text: String, holds: Bool)]) -> Bool {
        !a.contains { one in b.contains { $0.text == one.text && $0.holds != one.holds } }
    }

    /// A class's answer for one of its packets (the NAT endpoints it leaves open filled in).
    static func expectedKey(_ result: WalkResult, arrived: Packet, concrete: WalkResult) -> WalkKey {
        WalkKey(result.specialized(to: arrived, after: concrete))
    }

    /// Whether a concrete packet is one the description stands for.
    static func inside(_ packet: Packet, _ described: DescribedPackets) -> Bool {
        if let cube = described.packets?.cubes.first, !cube.contains(packet) { return false }
        for field in PacketField.allCases {
            guard let given = described.packet.givenValue(of: field) else { continue }
            if let value = PacketCube.value(of: field, in: packet), value != given { return false }
        }
        return true
    }

    // MARK: - Inputs

    /// A random description that reads (contradictions are tried again), with its options.
    static func description(_ random: inout RandomRulesets, _ descriptions: RandomDescriptions,
                            input: RandomDescriptions.DeviceDomain?,
                            output: RandomDescriptions.DeviceDomain?) -> ([DescribedOption], DescribedPackets)? {
        for _ in 0..<30 {
            let options = descriptions.options(&random, input: input, output: output)
            if let described = try? PacketDescription.describe(options: options, family: .ipv4) {
                return (options, described)
            }
        }
        return nil
    }

    /// Random rulesets until one loads.
    static func loadable(_ random: inout RandomRulesets, _ make: (inout RandomRulesets) -> [RandomRulesets.Table])
        -> ([RandomRulesets.Table], Ruleset)? {
        for _ in 0..<50 {
            let tables = make(&random)
            let result = SaveParser.parse(RandomRulesets.text(tables), family: .ipv4)
            let errors = Validator.validate(result.ruleset).contains { $0.severity == .error }
            if !result.hasErrors && !errors { return (tables, result.ruleset) }
        }
        return nil
    }

    // MARK: - Texts for failures

    static func text(_ options: [DescribedOption]) -> String {
        options.map { option in
            ([option.negated ? "!" : "", option.name, option.value.isEmpty ? "" : "'\(option.value)'"])
                .filter { !$0.isEmpty }.joined(separator: " ")
        }.joined(separator: " ")
    }

    static func text(of item: OutcomeClass, described: DescribedPackets) -> String {
        PacketDescription.format(described.packet, class: item.packets) + ": " + text(item.result)
    }

    static func text(of answer: FlowAnswer, request: FlowPacket, key: (FlowAnswer) -> String) -> String {
        PacketDescription.format(request.packet, class: answer.packets) + " "
            + PacketDescription.conditionText(answer.packets) + ": " + key(answer)
    }

    static func text(_ results: [WalkResult]) -> String { results.map { text($0) }.joined(separator: " | ") }

    /// A walk's answer: its verdict, the entries that matched, NAT endpoints, probability and
    /// conditions (`conditions`: one set of those it stands for).
    static func text(_ result: WalkResult, conditions given: [(text: String, holds: Bool)]? = nil) -> String {
        let key = WalkKey(result)
        let verdict = key.verdict?.rawValue ?? "undetermined (\(key.undetermined ?? ""))"
        let steps = key.matched.map { "\($0.table)/\($0.chain):\($0.number)" + ($0.effect.map { " \($0)" } ?? "") }
        var words = [verdict, "after [" + steps.joined(separator: ", ") + "]"]
        if !key.after.isEmpty { words.append("NAT " + key.after) }
        if let probability = key.probability, probability != 1 { words.append("probability \(probability)") }
        let conditions = (given ?? result.conditions).map { ($0.holds ? "when [" : "unless [") + $0.text + "]" }
        return (words + conditions).joined(separator: " ")
    }
}

/// What the property test compares between a class and a concrete walk: more than the
/// answer line's key (`AnswerKey`), every entry that matched on the way with its effect, and
/// where NAT left the packet.
struct WalkKey: Hashable {
    var verdict: StandardVerdict?
    var undetermined: String?
    /// Every entry that matched on the way, with its effect.
    var matched: [WalkPath.Entry]
    /// The addresses and ports NAT left (the same rules may rewrite different packets
    /// differently: MASQUERADE to each out device's address).
    var after: String
    var probability: Double?

    init(_ result: WalkResult) {
        verdict = result.verdict
        undetermined = result.undetermined
        matched = WalkPath(result).entries
        let packet = result.packet
        after = result.steps.contains { $0.rewritesAddresses }
            ? PacketDescription.endpoint(packet.source, packet.sourcePort) + " > "
                + PacketDescription.endpoint(packet.destination, packet.destinationPort)
            : ""
        probability = result.probability
    }
}
