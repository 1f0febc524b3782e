import FuzzSupport
import Netfilter

// A packet description (the input's first line: trace's packet options) walked through rules
// (the rest, after `== rules`) at every hook, as `verdict trace --hook` walks it. A finding: a
// crash, or a class of packets whose witness, walked on its own, gets another outcome (an
// outcome no packet gets).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTrace(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(Fuzzer.bytes(data, size))
    guard let text = input.files["rules"] else { return 0 }
    let family = RulesInput.detectFamily(text)
    let parsed = RulesInput.parse(text, family: family)
    guard !Validator.diagnostics(of: parsed).contains(where: { $0.severity == .error }) else { return 0 }
    let ruleset = parsed.ruleset
    guard var described = try? PacketDescription.describe(options: input.packetOptions, family: family),
          described.packet.family == family else { return 0 }
    if HookEvaluator.tracksConnections(ruleset) { described.assumeReassembled() }
    let evaluator = HookEvaluator(ruleset)
    let detailed = evaluator.recordingSkippedRules(true)
    for hook in Hook.allCases where !HookEvaluator.tables(at: hook).isEmpty {
        let results = evaluator.walk(hook: hook, packet: described.packet, packets: described.packets)
        var classes = OutcomeClasses.merge(results, waysFor: 8)
        for index in classes.indices.prefix(8) {
            classes[index] = OutcomeClasses.detailed(classes[index], packet: described.packet) {
                detailed.walk(hook: hook, packet: $0, packets: $1)
            }
        }
        let checked = OutcomeClasses.witnesses(Array(classes.prefix(8)), described: described, hook: hook,
                                               interfaceNames: SemanticDiff.interfaceNames(ruleset)) {
            detailed.walk(hook: hook, packet: $0)
        }
        for item in checked where item.confirmed == false {
            Fuzzer.fail("at \(hook.rawValue), the class of "
                        + (item.witness.map(PacketDescription.format) ?? "?")
                        + " has an outcome its witness does not get")
        }
    }
    return 0
}

Fuzzer.run(fuzzTrace)
