import Foundation
import Netfilter

/// `verdict flow SNAPSHOT --from IFACE PACKET`: a request and its reply through the host.
/// `verdict trace SNAPSHOT --from IFACE PACKET` runs the same path for one packet.
enum FlowCommand {
    static let help = """
    USAGE: verdict flow SNAPSHOT --from IFACE|local PACKET [--format text|kernel|json|svg]

    Follows a packet through the host a snapshot describes (Scripts/snapshot-host): the
    routing decision from its routes, bridges and br_netfilter, every iptables hook in
    the kernel's order with every rule visited, NAT; then the reply, which enters where
    the request left, with the addresses swapped, ESTABLISHED, and the NAT undone.

    SNAPSHOT is a folder with iptables.rules and, optionally, ip6tables.rules,
    ebtables.rules, ip-addr.json, ip-route.json, ip-route6.json, ip-link.json,
    ip-neigh.json, bridge-fdb.json, sysctl.txt, ss.txt and ipset.save (docs/snapshot.md).
    What is missing is said in the output, with what is assumed instead.

    OPTIONS:
      --from IFACE        the device the packet arrives on (a bridge port such as vethc1
                          works), or `local` for a packet sent by a process of the host
      --format F          text (default); kernel: per packet `# request SRC > DST` and the
                          TRACE lines dmesg would show; json (docs/json.md); svg: the
                          request's and the reply's path drawn on the netfilter flow
                          diagram (docs/pictures.md), e.g. --format svg > path.svg
      --no-reply          the request only (what `verdict trace SNAPSHOT` does)
      --peer-listens yes|no  whether the far end of a packet the host sends on answers
                          (default yes); no: a TCP SYN gets a reset, UDP a port unreachable.
                          For the host's own ports, the snapshot's ss.txt decides.
      --assume M=true|false  as for verdict trace
      --reply-ttl N, --reply-tos N, --reply-length N
                          the far end's reply: its TTL (the answering host's default, 64
                          on Linux), TOS and IP length; unknown when not given. An echo
                          reply repeats the request's TOS and length; the host's own
                          answers use its net.ipv4.ip_default_ttl and what the kernel puts
                          in a reset or an ICMP error.
    THE PACKET: as for verdict trace (-p, -s, -d, --sport, --dport, --ctstate, --syn,
    --icmp-type, --mark, ... or --packet "icmp 172.17.0.2 -> 172.17.0.3"); the
    connection state defaults to NEW; -i/-o come from the path, not from the options.

    EXIT STATUS: 0 simulated, 1 the snapshot's rules have errors, 2 usage error or a
    snapshot file that cannot be read.

    EXAMPLES:
      verdict flow rulesets/docker-17-seed --from vethc1 -p icmp -s 192.168.0.2 -d 192.168.0.3 --icmp-type 8
      verdict flow rulesets/docker-17-seed --from local -p icmp -d 192.168.0.2 --icmp-type 8 --format kernel
    """

    static func run(_ words: [String]) -> ExitStatus { run(words, command: "flow", replies: true) }

    static func run(_ words: [String], command: String, replies defaultReplies: Bool) -> ExitStatus {
        let parsed: (options: [String: [String]], operands: [String])
        do {
            parsed = try Arguments.parse(words, flags: ["--syn", "-f", "--fragment", "--no-reply", "--brief"],
                                         valued: TraceCommand.valued.union(["--max-classes", "--from", "--peer-listens", "--reply-ttl", "--reply-tos", "--reply-length"]))
        } catch let error as Arguments.UsageError {
            printError("verdict \(command): \(error.message)")
            return .usage
        } catch {
            return .usage
        }
        func option(_ name: String) -> String? { parsed.options[name]?.last }
        guard parsed.operands.count == 1, let folder = parsed.operands.first else {
            printError("verdict \(command): give exactly one snapshot folder\n\n" + help)
            return .usage
        }
        guard let from = option("--from") else {
            printError("verdict \(command): a snapshot needs --from IFACE (the device the packet arrives on) or --from local")
            return .usage
        }
        let format = option("--format") ?? "text"
        guard ["text", "kernel", "json", "svg"].contains(format) else {
            printError("verdict \(command): unknown format '\(format)' (text, kernel, json or svg)")
            return .usage
        }
        for ignored in ["--hook", "--chain", "-i", "--in-interface", "-o", "--out-interface"] where parsed.options[ignored] != nil {
            printError("verdict \(command): \(ignored) does not go with a snapshot: the path decides the hooks and devices")
            return .usage
        }
        let snapshot: HostSnapshot
        switch RulesFile.loadSnapshot(folder, command: command) {
        case .success(let loaded): snapshot = loaded
        case .failure(.invalid): return .findings
        case .failure(.unreadable): return .usage
        }
        let origin: PacketOrigin = from == "local" ? .local : .device(from)
        if case .device(let name) = origin, !snapshot.interfaces.isEmpty, snapshot.interface(named: name) == nil {
            printError("verdict \(command): the snapshot has no device '\(name)' (it has \(snapshot.interfaces.map(\.name).joined(separator: ", ")))")
            return .usage
        }
        var packet: Packet
        var described = Packet()
        var requestPackets: PacketSpace?
        let addresses = ["-s", "--source", "-d", "--destination"].compactMap { parsed.options[$0]?.last }
        let family: Family = addresses.contains { $0.contains(":") } || (option("--packet")?.contains("[") ?? false) ? .ipv6 : .ipv4
        switch TraceCommand.describePacket(parsed.options, family: family) {
        case .success(var value):
            value.assumeUnmarked()
            value.assumeReassembled()
            described = value.packet
            described.inInterface = nil
            described.outInterface = nil
            packet = value.packet
            requestPackets = value.packets
        case .failure(let error):
            printError("verdict \(command): \(error.message)")
            return .usage
        }
        packet.inInterface = nil
        packet.outInterface = nil
        guard let pinned = TraceCommand.assumptions(parsed.options, command: command) else { return .usage }
        let peerListens: Bool
        switch option("--peer-listens")?.lowercased() {
        case nil, "yes": peerListens = true
        case "no": peerListens = false
        case let other?:
            printError("verdict \(command): --peer-listens takes yes or no, not '\(other)'")
            return .usage
        }
        var shape = ReplyShape()
        for (name, limit) in [("--reply-ttl", 255), ("--reply-tos", 255), ("--reply-length", 65535)] {
            guard let text = option(name) else { continue }
            let number = text.hasPrefix("0x") ? Int(text.dropFirst(2), radix: 16) : Int(text)
            guard let number, (0...limit).contains(number) else {
                printError("verdict \(command): \(name) takes a number from 0 to \(limit), not '\(text)'")
                return .usage
            }
            switch name {
            case "--reply-ttl": shape.ttl = UInt8(number)
            case "--reply-tos": shape.tos = UInt8(number)
            default: shape.length = UInt16(number)
            }
        }
        let path = HostPath(snapshot, pinned: pinned)
        var packets = Flow.run(path, request: packet, packets: requestPackets, from: origin, peerListens: peerListens, shape: shape)
        let noReplies = !defaultReplies || parsed.options["--no-reply"] != nil
        if noReplies { packets = packets.filter { $0.direction == .request } }
        var maxClasses = 50
        if let text = option("--max-classes") {
            guard let number = Int(text), number > 0 else {
                printError("verdict \(command): --max-classes takes a number above 0, not '\(text)'")
                return .usage
            }
            maxClasses = number
        }
        var answers = packets.first.map { _ in FlowAnswers.answers(packets) } ?? []
        if let request = packets.first {
            let key = { (answer: FlowAnswer) in
                FlowAnswerRenderer.verdictWord(answer.request, rules: snapshot.rules(for: request.packet.family)) + " "
                    + FlowAnswerRenderer.outcomeText(answer, request: request, snapshot: snapshot)
            }
            answers = FlowAnswers.merged(answers, key: key)
            let names = SemanticDiff.interfaceNames(snapshot.ruleset) + snapshot.interfaces.map(\.name)
            answers = FlowAnswers.witnesses(Array(answers.prefix(maxClasses)), request: request, interfaceNames: names,
                                            key: key) { witness in
                let flow = Flow.run(path, request: witness, from: origin, peerListens: peerListens, shape: shape)
                return noReplies ? flow.filter { $0.direction == .request } : flow
            } + answers.dropFirst(maxClasses)
        }
        let fromStart = path.tracesFromStart(packet.family)
        switch format {
        case "kernel":
            print(PathRenderer.kernel(packets, fromStart: fromStart), terminator: "")
        case "json":
            print(PathRenderer.json(packets, notes: snapshot.notes, fromStart: fromStart))
        case "svg":
            print(PathPictureRenderer.svg(packets, snapshot: snapshot), terminator: "")
        default:
            let colour = isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            if let request = packets.first {
                for line in FlowAnswerRenderer.lines(Array(answers.prefix(maxClasses)), request: request, described: described,
                                                     snapshot: snapshot) {
                    print(line)
                }
                if answers.count > maxClasses {
                    print("... and \(answers.count - maxClasses) more classes of packets (--max-classes \(answers.count) shows them all)")
                }
                for answer in answers.prefix(maxClasses) where answer.confirmed == false {
                    print("warning: the evaluator does not confirm the class of \(answer.witness.map(PacketDescription.format) ?? "?")")
                }
            }
            if parsed.options["--brief"] == nil {
                print("")
                print(PathRenderer.text(packets, ruleset: snapshot.ruleset, notes: snapshot.notes, colour: colour), terminator: "")
            }
        }
        return .success
    }
}
