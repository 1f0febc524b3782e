import Foundation
import Netfilter

/// `verdict trace RULES --hook H | --chain T/C PACKET`: what the rules do to one packet.
enum TraceCommand {
    static let help = """
    USAGE: verdict trace RULES (--hook HOOK | --chain TABLE/CHAIN) PACKET [--format text|kernel|json]
           verdict trace SNAPSHOT --from IFACE|local PACKET [--format ...]   (see verdict help flow)

    Walks the packet through the rules as the kernel does (jump, goto, RETURN, policies,
    tables in priority order at a hook, nat only for a connection's first packet) and
    prints every rule visited: why each rule did not match, what each matching rule did,
    and the verdict. A match that cannot be decided from what was described (a field not
    given, statistic random, a module verdict does not model yet) splits the walk: every
    possible outcome is printed with the assumptions that lead to it.

    THE PACKET, with iptables' own spellings:
      -p PROTO            tcp, udp, icmp, ... or a number
      -s ADDR, -d ADDR    source and destination address
      --sport N, --dport N
      -i IF, -o IF        input and output device (none where the hook has none)
      --ctstate STATE     NEW, ESTABLISHED, RELATED, INVALID, UNTRACKED (--state too)
      --mark N            the packet's mark
      --syn               a TCP SYN; --tcp-flags FLAGS sets the flags that are set (SYN,ACK)
      --icmp-type T[/C]   ICMP type and code
      -f                  a second or later fragment
      --length N, --ttl N, --tos N, --connmark N, --pkt-type unicast|broadcast|multicast,
      --mac-source MAC, --uid-owner N, --gid-owner N
      --physdev-in P, --physdev-out P, --physdev-is-bridged: a bridged packet's ports;
      --routed: a packet that was not bridged
      --local-address A   an address of the host (repeatable), for addrtype LOCAL
    or in one line:
      --packet "tcp 10.0.0.1:40000 -> 10.0.0.2:22 in eth0 ctstate NEW"

    RULES is an iptables-save dump or an `iptables -L -n -v` listing.

    OPTIONS:
      --hook HOOK         PREROUTING, INPUT, FORWARD, OUTPUT or POSTROUTING: every table there
      --chain T/C         one chain, e.g. filter/FORWARD or filter/DOCKER-USER
      --format F          text (default); kernel: the TRACE lines dmesg would show; json
      --assume M=true|false  decide every undecidable use of match M (statistic, limit, ...)
                          that way instead of following both outcomes (repeatable)
      --family F          ipv4, ipv6 or auto (default)

    EXIT STATUS: 0 traced, 1 the rules have errors, 2 usage error or unreadable file.

    EXAMPLES:
      verdict trace rulesets/docker-default/iptables.rules --hook FORWARD \\
          -p tcp -s 172.17.0.2 -d 93.184.216.34 --sport 40000 --dport 443 -i docker0 -o eth0 --ctstate NEW
      verdict trace rules.v4 --chain filter/INPUT --packet "tcp 203.0.113.5:50000 -> 10.0.0.2:22 in eth0 ctstate NEW" --format kernel
    """

    static let valued: Set<String> = ["--assume", "--from", "--hook", "--chain", "--format", "--family", "--packet", "-p", "--protocol", "-s", "--source",
                                      "-d", "--destination", "--sport", "--dport", "-i", "--in-interface", "-o", "--out-interface",
                                      "--ctstate", "--state", "--mark", "--tcp-flags", "--icmp-type", "--local-address",
                                      "--length", "--ttl", "--tos", "--connmark", "--pkt-type", "--mac-source", "--uid-owner", "--gid-owner",
                                      "--physdev-in", "--physdev-out"]

    static func run(_ words: [String]) -> ExitStatus {
        let parsed: (options: [String: [String]], operands: [String])
        do {
            parsed = try Arguments.parse(words, flags: ["--syn", "-f", "--fragment", "--physdev-is-bridged", "--routed", "--brief"],
                                         valued: valued.union(["--max-classes"]))
        } catch let error as Arguments.UsageError {
            printError("verdict trace: \(error.message)")
            return .usage
        } catch {
            return .usage
        }
        func option(_ names: String...) -> String? { names.lazy.compactMap { parsed.options[$0]?.last }.first }
        if parsed.operands.count == 1, let folder = parsed.operands.first, HostSnapshot.isSnapshot(folder) {
            return FlowCommand.run(words, command: "trace", replies: false)
        }
        if parsed.options["--from"] != nil {
            printError("verdict trace: --from needs a host snapshot folder, not a rules file")
            return .usage
        }
        guard parsed.operands.count == 1, let path = parsed.operands.first else {
            printError("verdict trace: give exactly one rules file\n\n" + help)
            return .usage
        }
        let format = option("--format") ?? "text"
        if format == "svg" {
            printError("verdict trace: --format svg draws a host path: give a snapshot folder and --from (see verdict help flow)")
            return .usage
        }
        guard ["text", "kernel", "json"].contains(format) else {
            printError("verdict trace: unknown format '\(format)' (text, kernel or json)")
            return .usage
        }
        let hook = option("--hook").map { Hook(rawValue: $0.uppercased()) }
        let chain = option("--chain")
        guard (hook == nil) != (chain == nil) else {
            printError("verdict trace: give one of --hook HOOK and --chain TABLE/CHAIN")
            return .usage
        }
        if let hook, hook == nil {
            printError("verdict trace: unknown hook '\(option("--hook") ?? "")' (PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING)")
            return .usage
        }
        let ruleset: Ruleset
        switch RulesFile.load(path, family: option("--family"), command: "trace") {
        case .success(let loaded): ruleset = loaded.ruleset
        case .failure(.invalid): return .findings
        case .failure(.unreadable): return .usage
        }
        var described: DescribedPackets
        switch describePacket(parsed.options, family: ruleset.family) {
        case .success(let value): described = value
        case .failure(let error):
            printError("verdict trace: \(error.message)")
            return .usage
        }
        guard let pinned = assumptions(parsed.options, command: "trace") else { return .usage }
        if HookEvaluator.tracksConnections(ruleset) { described.assumeReassembled() }
        let packet = described.packet
        let results: [WalkResult]
        let evaluate: (Packet) -> [WalkResult]
        var walkHook: Hook?
        if let hook, let hook {
            let evaluator = HookEvaluator(ruleset, pinned: pinned)
            results = evaluator.walk(hook: hook, packet: packet, packets: described.packets)
            evaluate = { evaluator.walk(hook: hook, packet: $0) }
            walkHook = hook
        } else {
            let parts = (chain ?? "").split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, let table = ruleset.table(named: parts[0]), table.chain(named: parts[1]) != nil else {
                printError("verdict trace: no chain '\(chain ?? "")' in this ruleset (give TABLE/CHAIN, e.g. filter/FORWARD)")
                return .usage
            }
            let walker = ChainWalker(table: table, pinned: pinned)
            results = walker.walk(from: parts[1], packet: packet, packets: described.packets)
            evaluate = { walker.walk(from: parts[1], packet: $0) }
            walkHook = Hook(rawValue: parts[1])
        }
        var maxClasses = 50
        if let text = option("--max-classes") {
            guard let number = Int(text), number > 0 else {
                printError("verdict trace: --max-classes takes a number above 0, not '\(text)'")
                return .usage
            }
            maxClasses = number
        }
        var classes = OutcomeClasses.merge(results)
        classes = OutcomeClasses.witnesses(Array(classes.prefix(maxClasses)), described: described, hook: walkHook,
                                           interfaceNames: SemanticDiff.interfaceNames(ruleset), evaluate: evaluate)
            + classes.dropFirst(maxClasses)
        let fromStart = !KernelTraceRenderer.hasTraceRules(ruleset)
        switch format {
        case "kernel":
            for (position, item) in classes.prefix(maxClasses).enumerated() {
                if classes.count > 1 || item.packets != nil {
                    print("# class \(position + 1) of \(classes.count): "
                          + AnswerRenderer.line(item, described: described, ruleset: ruleset))
                }
                for line in KernelTraceRenderer.lines(item.result.steps, fromStart: fromStart) { print(line) }
            }
        case "json":
            print(JSONTraceRenderer.render(classes, described: described, ruleset: ruleset, fromStart: fromStart))
        default:
            let colour = isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            print(AnswerRenderer.text(classes, described: described, ruleset: ruleset, brief: parsed.options["--brief"] != nil,
                                      maxClasses: maxClasses, colour: colour), terminator: "")
        }
        Leak.keep(ruleset)
        return .success
    }

    /// The matches pinned with `--assume MATCH=true|false`; nil (after saying why) when one
    /// is malformed.
    static func assumptions(_ options: [String: [String]], command: String) -> [String: Bool]? {
        var pinned: [String: Bool] = [:]
        for assumption in options["--assume"] ?? [] {
            let parts = assumption.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = ["true": true, "false": false][parts[1].lowercased()] else {
                printError("verdict \(command): --assume takes MATCH=true or MATCH=false, not '\(assumption)'")
                return nil
            }
            pinned[parts[0]] = value
        }
        return pinned
    }

    struct PacketError: Error {
        var message: String
    }

    /// The packets from `--packet` or from the iptables-style options (`! ` before a value
    /// negates it).
    static func describePacket(_ options: [String: [String]], family: Family) -> Result<DescribedPackets, PacketError> {
        if let line = options["--packet"]?.last {
            do throws(PacketDescription.ParseError) {
                return .success(try PacketDescription.describe(line, family: family))
            } catch {
                return .failure(PacketError(message: "--packet: \(error)"))
            }
        }
        let aliases = ["--protocol": "-p", "--source": "-s", "--destination": "-d", "--in-interface": "-i",
                       "--out-interface": "-o", "--state": "--ctstate", "--fragment": "-f"]
        var list: [PacketOption] = []
        for (name, values) in options {
            let canonical = aliases[name] ?? name
            guard PacketDescription.optionNames.contains(canonical) else { continue }
            for value in canonical == "--local-address" ? values : Array(values.suffix(1)) {
                let negated = value.hasPrefix("! ")
                list.append(PacketOption(canonical, negated ? String(value.dropFirst(2)) : value, negated: negated))
            }
        }
        let order = PacketDescription.optionNames
        list.sort { (order.firstIndex(of: $0.name) ?? 0) < (order.firstIndex(of: $1.name) ?? 0) }
        do throws(PacketDescription.ParseError) {
            return .success(try PacketDescription.describe(options: list, family: family))
        } catch {
            return .failure(PacketError(message: error.message))
        }
    }
}
