import Foundation
import Netfilter

/// `verdict flow SNAPSHOT --from IFACE PACKET`: a request and its reply through the host.
/// `verdict trace SNAPSHOT --from IFACE PACKET` runs the same path for one packet.
enum FlowCommand {
    /// The options of `verdict flow` besides the packet's.
    enum Option {
        static let from = OptionDeclaration(
            "--from", placeholder: "IFACE", completion: .interfacesOrLocal,
            help: "the device the packet arrives on (a bridge port such as vethc1 works), or `local` for a packet "
                + "sent by a process of the host")
        static let format = CommonOptions.format(
            [.text, .kernel, .json, .svg, .nft],
            help: "text (default); kernel: per packet `# request SRC > DST` and the TRACE lines dmesg would show, "
                + "each with the packet's fields at that point in the kernel's order and spelling: IN= OUT= "
                + "[PHYSIN= PHYSOUT=] SRC= DST= PROTO= SPT= DPT= (ICMP: TYPE= CODE=) MARK= (printed when not 0). "
                + "Fields verdict does not model (MAC, LEN, TOS, PREC, TTL, ID, DF, TCP flags and sequence numbers, "
                + "an echo's ID and SEQ, an ICMP error's quoted packet) are left out: cut them from dmesg to "
                + "compare; json (docs/json.md); svg: the request's and the reply's path drawn on the netfilter flow "
                + "diagram (docs/pictures.md), e.g. --format svg > path.svg; nft: per packet `# request SRC > DST` "
                + "and the lines nft monitor trace shows for the snapshot's nft rules (trace id 00000000)")
        static let noReply = OptionDeclaration.flag(
            "--no-reply", help: "the request only (what `verdict trace SNAPSHOT` does)")
        static let peerListens = OptionDeclaration(
            "--peer-listens", placeholder: "yes|no", choices: OptionChoices(["yes", "no"], noun: "answer"),
            help: "whether the far end of a packet the host sends on answers (default yes); no: a TCP SYN gets a "
                + "reset, UDP a port unreachable. For the host's own ports, the snapshot's ss.txt decides.")
        static let replyTTL = OptionDeclaration(
            "--reply-ttl", placeholder: "N",
            help: "the far end's reply's TTL (the answering host's default, 64 on Linux); unknown when not given")
        static let replyTOS = OptionDeclaration("--reply-tos", placeholder: "N", help: "the far end's reply's TOS")
        static let replyLength = OptionDeclaration(
            "--reply-length", placeholder: "N",
            help: "the far end's reply's IP length. An echo reply repeats the request's TOS and length; the host's "
                + "own answers use its net.ipv4.ip_default_ttl and what the kernel puts in a reset or an ICMP error.")
        /// Options of `verdict trace` that a host path decides itself: refused with a reason.
        static let refused = [TraceCommand.Option.hook.hiding(), TraceCommand.Option.chain.hiding(),
                              PacketOption.inInterface.hiding(), PacketOption.outInterface.hiding()]
    }

    static let declaration = CommandDeclaration(
        name: "flow", summary: "follow a request and its reply through a host snapshot",
        help: CommandHelp(head: head, sections: [
            OptionSection("OPTIONS:", options: [Option.from, Option.format, AnswerOption.brief, AnswerOption.maxClasses,
                                                Option.noReply, Option.peerListens,
                                                CommonOptions.assume, Option.replyTTL, Option.replyTOS,
                                                Option.replyLength, CommonOptions.help] + Option.refused),
            OptionSection("THE PACKET, as for verdict trace (or --packet \"icmp 172.17.0.2 -> 172.17.0.3\"); the\n"
                          + "connection state defaults to NEW; -i/-o come from the path, not from the options:",
                          options: packetOptions),
        ], tail: tail),
        operands: .paths, run: { arguments throws(UsageError) in try run(arguments, command: "flow", replies: true) })

    /// The packet options a host path takes: all but the devices, which the path decides.
    static let packetOptions = PacketOption.all.filter {
        $0.name != PacketOption.inInterface.name && $0.name != PacketOption.outInterface.name
    }

    static let head = """
    USAGE: verdict flow SNAPSHOT --from IFACE|local PACKET [--format text|kernel|json|svg]

    Follows a packet through the host a snapshot describes (Scripts/snapshot-host): the
    routing decision from its routes, bridges and br_netfilter, every iptables hook in
    the kernel's order with every rule visited, NAT; then the reply, which enters where
    the request left, with the addresses swapped, ESTABLISHED, and the NAT undone.

    SNAPSHOT is a folder with iptables.rules (or nft.rules, nft list ruleset, on a host
    whose firewall is nftables) and, optionally, ip6tables.rules, nft.rules or nft.json,
    ebtables.rules, ip-addr.json, ip-route.json, ip-route6.json, ip-link.json,
    ip-neigh.json, bridge-fdb.json, sysctl.txt, ss.txt and ipset.save (docs/snapshot.md).
    What is missing is said in the output, with what is assumed instead.
    """

    static let tail = """
    EXIT STATUS: 0 simulated, 1 the snapshot's rules have errors, 2 usage error or a
    snapshot file that cannot be read.

    EXAMPLES:
      verdict flow rulesets/docker-17-seed --from vethc1 -p icmp -s 192.168.0.2 -d 192.168.0.3 --icmp-type 8
      verdict flow rulesets/docker-17-seed --from local -p icmp -d 192.168.0.2 --icmp-type 8 --format kernel
    """

    /// The path of a packet, for `verdict flow` (with the reply) and `verdict trace SNAPSHOT`;
    /// `arguments` were parsed with either command's options.
    static func run(_ arguments: ParsedArguments, command: String,
                    replies defaultReplies: Bool) throws(UsageError) -> ExitStatus {
        guard arguments.operands.count == 1, let folder = arguments.operands.first else {
            throw UsageError("give exactly one snapshot folder", showsHelp: true)
        }
        guard let from = arguments.value(Option.from) else {
            throw UsageError("a snapshot needs --from IFACE (the device the packet arrives on) or --from local")
        }
        let format = arguments.value(Option.format, as: OutputFormat.self) ?? .text
        for ignored in Option.refused {
            guard let spelling = ignored.displaySpellings.first, arguments.isSet(ignored) else { continue }
            throw UsageError("\(spelling) does not go with a snapshot: the path decides the hooks and devices")
        }
        let snapshot: HostSnapshot
        switch RulesFile.loadSnapshot(folder, command: command) {
        case .success(let loaded): snapshot = loaded
        case .failure(.invalid): return .findings
        case .failure(.unreadable): return .usage
        }
        let origin = PacketOrigin(named: from)
        if case .device(let name) = origin, !snapshot.interfaces.isEmpty, snapshot.interface(named: name) == nil {
            let names = snapshot.interfaces.map(\.name)
            throw UsageError("the snapshot has no device '\(name)' (it has \(names.joined(separator: ", ")))"
                             + (Suggestion.closest(to: name, among: names).map { "; did you mean '\($0)'?" } ?? ""))
        }
        let addresses = [PacketOption.source, PacketOption.destination].compactMap { arguments.value($0) }
        let isIPv6 = addresses.contains { $0.contains(":") }
            || (arguments.value(PacketOption.packet)?.contains("[") ?? false)
        var described: DescribedPackets
        switch TraceCommand.describePacket(arguments.values(of: PacketOption.all), family: isIPv6 ? .ipv6 : .ipv4) {
        case .success(let value): described = value
        case .failure(let error): throw UsageError(error.message)
        }
        // A packet reaching the host has mark 0; conntrack has reassembled its fragments.
        described.assumeUnmarked()
        described.assumeReassembled()
        var packet = described.packet
        packet.hookState.inInterface = nil
        packet.hookState.outInterface = nil
        let pinned = try TraceCommand.assumptions(arguments)
        let peerListens = arguments.value(Option.peerListens) != "no"
        let shape = try replyShape(arguments)
        let maxClasses = try AnswerOption.maximum(arguments)
        let path = HostPath(snapshot, pinned: pinned)
        let noReplies = !defaultReplies || arguments.isSet(Option.noReply)
        func run(_ request: Packet, _ packets: PacketSpace?) -> [FlowPacket] {
            let flow = Flow.run(path, request: request, packets: packets, from: origin, peerListens: peerListens, shape: shape)
            return noReplies ? flow.filter { $0.direction == .request } : flow
        }
        let packets = run(packet, described.packets)
        let fromStart = path.tracesFromStart(packet.family)
        switch format {
        case .kernel:
            print(PathRenderer.kernel(packets, fromStart: fromStart), terminator: "")
        case .nft:
            let traced = snapshot.nft.map(NftTraceRenderer.setsTrace) ?? false
            print(NftTraceRenderer.flow(packets, fromStart: !traced), terminator: "")
        case .json:
            print(PathRenderer.json(packets, notes: snapshot.notes, fromStart: fromStart))
        case .svg:
            print(PathPictureRenderer.svg(packets, snapshot: snapshot), terminator: "")
        default:
            guard let request = packets.first else { return .success }
            let rules = snapshot.rules(for: packet.family).map(RuleBook.init)
            let key = { (answer: FlowAnswer) in
                FlowAnswerRenderer.verdictWord(answer.request) + " "
                    + FlowAnswerRenderer.outcomeText(answer, request: request, rules: rules)
            }
            var answers = FlowAnswers.merged(FlowAnswers.answers(packets), key: key)
            let names = SemanticDiff.interfaceNames(snapshot.ruleset) + snapshot.interfaces.map(\.name)
            answers = FlowAnswers.witnesses(Array(answers.prefix(maxClasses)), request: request, interfaceNames: names,
                                            key: key) { run($0, nil) } + answers.dropFirst(maxClasses)
            var shown = described.packet
            shown.hookState.inInterface = nil
            shown.hookState.outInterface = nil
            for line in FlowAnswerRenderer.lines(Array(answers.prefix(maxClasses)), request: request, described: shown,
                                                 rules: rules) {
                print(line)
            }
            if answers.count > maxClasses {
                print("... and \(answers.count - maxClasses) more classes of packets (--max-classes \(answers.count) "
                      + "shows them all)")
            }
            for answer in answers.prefix(maxClasses) where answer.confirmed == false {
                printError("warning: the evaluator does not confirm the class of "
                           + (answer.witness.map(PacketDescription.format) ?? "?"))
            }
            guard !arguments.isSet(AnswerOption.brief) else { return .success }
            let colour = isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            print("")
            print(PathRenderer.text(packets, ruleset: snapshot.ruleset, notes: snapshot.notes, colour: colour),
                  terminator: "")
        }
        return .success
    }

    /// The far end's reply as `--reply-ttl`, `--reply-tos` and `--reply-length` describe it.
    static func replyShape(_ arguments: ParsedArguments) throws(UsageError) -> ReplyShape {
        var shape = ReplyShape()
        for (option, limit) in [(Option.replyTTL, 255), (Option.replyTOS, 255), (Option.replyLength, 65535)] {
            guard let text = arguments.value(option) else { continue }
            let number = text.hasPrefix("0x") ? Int(text.dropFirst(2), radix: 16) : Int(text)
            guard let number, (0...limit).contains(number) else {
                throw UsageError("\(option.name) takes a number from 0 to \(limit), not '\(text)'")
            }
            switch option.name {
            case Option.replyTTL.name: shape.ttl = UInt8(number)
            case Option.replyTOS.name: shape.tos = UInt8(number)
            default: shape.length = UInt16(number)
            }
        }
        return shape
    }
}
