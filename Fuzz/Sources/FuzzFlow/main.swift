import Foundation
import FuzzSupport
import Netfilter

// A host snapshot (the input's sections, each named by its file: `== iptables.rules`,
// `== ip-addr.json`, ...) and a packet (the first line: flow's `--from IFACE|local` and packet
// options) through `verdict flow`'s path: request and reply. A finding: a
// crash, or a class of packets whose witness, sent on its own, meets another fate.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFlow(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(Fuzzer.bytes(data, size))
    guard let snapshot = try? HostSnapshot.load("/fuzz", contents: { input.files[($0 as NSString).lastPathComponent] })
    else { return 0 }
    for ruleset in [snapshot.ruleset] + (snapshot.ipv6Ruleset.map { [$0] } ?? []) {
        guard !Validator.validate(ruleset).contains(where: { $0.severity == .error }) else { return 0 }
    }
    var options = input.packetOptions
    guard let from = options.first(where: { $0.name == "--from" })?.value, !from.isEmpty else { return 0 }
    let origin: PacketOrigin = from == "local" ? .local : .device(from)
    // As `verdict flow`: a device the snapshot does not have is refused.
    if case .device(let name) = origin, !snapshot.interfaces.isEmpty, snapshot.interface(named: name) == nil {
        return 0
    }
    options.removeAll { ["--from", "-i", "-o"].contains($0.name) || $0.name.hasPrefix("--reply") }
    let family: Family = options.contains { ($0.name == "-s" || $0.name == "-d") && $0.value.contains(":") }
        ? .ipv6 : .ipv4
    guard var described = try? PacketDescription.describe(options: options, family: family) else { return 0 }
    described.assumeUnmarked()
    described.assumeReassembled()
    let path = HostPath(snapshot)
    let packets = Flow.run(path, request: described.packet, packets: described.packets, from: origin)
    guard let request = packets.first else { return 0 }
    let rules = snapshot.rules(for: described.packet.family).map(RuleBook.init)
    let key = { (answer: FlowAnswer) in
        FlowAnswerRenderer.verdictWord(answer.request) + " "
            + FlowAnswerRenderer.outcomeText(answer, request: request, rules: rules)
    }
    let answers = FlowAnswers.merged(FlowAnswers.answers(packets), key: key)
    let names = SemanticDiff.interfaceNames(snapshot.ruleset) + snapshot.interfaces.map(\.name)
    let checked = FlowAnswers.witnesses(Array(answers.prefix(8)), request: request, interfaceNames: names, key: key) {
        Flow.run(path, request: $0, from: origin)
    }
    _ = PathRenderer.json(packets, notes: snapshot.notes, fromStart: path.tracesFromStart(described.packet.family))
    for answer in checked where answer.confirmed == false {
        Fuzzer.fail("the class of " + (answer.witness.map(PacketDescription.format) ?? "?")
                    + " has a fate its witness does not meet")
    }
    return 0
}

Fuzzer.run(fuzzFlow)
