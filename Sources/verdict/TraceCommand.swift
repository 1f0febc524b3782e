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
            parsed = try Arguments.parse(words, flags: ["--syn", "-f", "--fragment", "--physdev-is-bridged", "--routed"], valued: valued)
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
        let packet: Packet
        switch describePacket(parsed.options, family: ruleset.family) {
        case .success(let described): packet = described
        case .failure(let error):
            printError("verdict trace: \(error.message)")
            return .usage
        }
        guard let pinned = assumptions(parsed.options, command: "trace") else { return .usage }
        let results: [WalkResult]
        if let hook, let hook {
            results = HookWalker.walk(ruleset, hook: hook, packet: packet, pinned: pinned)
        } else {
            let parts = (chain ?? "").split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, let table = ruleset.table(named: parts[0]), table.chain(named: parts[1]) != nil else {
                printError("verdict trace: no chain '\(chain ?? "")' in this ruleset (give TABLE/CHAIN, e.g. filter/FORWARD)")
                return .usage
            }
            results = ChainWalker(table: table, pinned: pinned).walk(from: parts[1], packet: packet)
        }
        let fromStart = !KernelTraceRenderer.hasTraceRules(ruleset)
        switch format {
        case "kernel":
            for (position, outcome) in results.enumerated() {
                if results.count > 1 { print("# outcome \(position + 1) of \(results.count): \(outcome.assumptions.joined(separator: "; "))") }
                for line in KernelTraceRenderer.lines(outcome.steps, fromStart: fromStart) { print(line) }
            }
        case "json":
            print(JSONTraceRenderer.render(results, packet: packet, ruleset: ruleset, fromStart: fromStart))
        default:
            print("packet: \(PacketDescription.format(packet))")
            let colour = isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            print(TextTraceRenderer.render(results, ruleset: ruleset, colour: colour), terminator: "")
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

    /// The packet from `--packet` or from the iptables-style options.
    static func describePacket(_ options: [String: [String]], family: Family) -> Result<Packet, PacketError> {
        func value(_ names: String...) -> String? { names.lazy.compactMap { options[$0]?.last }.first }
        if let line = value("--packet") {
            do throws(PacketDescription.ParseError) {
                return .success(try PacketDescription.parse(line))
            } catch {
                return .failure(PacketError(message: "--packet: \(error)"))
            }
        }
        var packet = Packet(family: family)
        if let proto = value("-p", "--protocol") {
            guard let number = IPProtocol.number(for: proto) else { return .failure(PacketError(message: "unknown protocol '\(proto)'")) }
            packet.protocol = number
        }
        for (names, keyPath) in [(["-s", "--source"], \Packet.source), (["-d", "--destination"], \Packet.destination)] {
            guard let text = names.lazy.compactMap({ options[$0]?.last }).first else { continue }
            guard let address = IPAddress(parsing: Array(text.utf8), family: family) else {
                return .failure(PacketError(message: "invalid address '\(text)' for \(names[0])"))
            }
            packet[keyPath: keyPath] = address
        }
        for (name, keyPath) in [("--sport", \Packet.sourcePort), ("--dport", \Packet.destinationPort)] {
            guard let text = options[name]?.last else { continue }
            guard let port = UInt16(text) ?? ServiceNames.port(for: text) else { return .failure(PacketError(message: "invalid port '\(text)' for \(name)")) }
            packet[keyPath: keyPath] = port
        }
        packet.inInterface = value("-i", "--in-interface")
        packet.outInterface = value("-o", "--out-interface")
        if let state = value("--ctstate", "--state") {
            guard let parsed = ConntrackState(rawValue: state.uppercased()) else {
                return .failure(PacketError(message: "unknown conntrack state '\(state)'"))
            }
            packet.conntrackState = parsed
        }
        if let mark = value("--mark") {
            guard let number = parseUnsigned(mark), number <= UInt64(UInt32.max) else { return .failure(PacketError(message: "invalid mark '\(mark)'")) }
            packet.mark = UInt32(number)
        }
        if options["--syn"] != nil { packet.tcpFlags = 0x02 }
        if let flags = value("--tcp-flags") {
            guard let bits = PacketDescription.tcpFlagBits(flags) else { return .failure(PacketError(message: "unknown TCP flag in '\(flags)'")) }
            packet.tcpFlags = bits
        }
        if let type = value("--icmp-type") {
            let parts = type.split(separator: "/", maxSplits: 1)
            guard let number = UInt8(parts[0]), let code = parts.count > 1 ? UInt8(parts[1]) : 0 else {
                return .failure(PacketError(message: "invalid ICMP type '\(type)'"))
            }
            packet.icmpType = number
            packet.icmpCode = code
        }
        if options["-f"] != nil || options["--fragment"] != nil { packet.isFragment = true }
        // The remaining fields read as in the compact form.
        var attributes: [String] = []
        for (option, attribute) in [("--length", "length"), ("--ttl", "ttl"), ("--tos", "tos"), ("--connmark", "connmark"),
                                    ("--pkt-type", "pkttype"), ("--mac-source", "mac"), ("--uid-owner", "uid"), ("--gid-owner", "gid"),
                                    ("--physdev-in", "physdev-in"), ("--physdev-out", "physdev-out")] {
            if let text = options[option]?.last { attributes += [attribute, text] }
        }
        if options["--physdev-is-bridged"] != nil { attributes.append("bridged") }
        if options["--routed"] != nil { attributes.append("routed") }
        if !attributes.isEmpty {
            do throws(PacketDescription.ParseError) {
                let extra = try PacketDescription.parse("tcp 0.0.0.0 -> 0.0.0.0 " + attributes.joined(separator: " "))
                packet.length = extra.length
                packet.ttl = extra.ttl
                packet.tos = extra.tos
                packet.connmark = extra.connmark
                packet.packetType = extra.packetType
                packet.sourceMAC = extra.sourceMAC
                packet.uid = extra.uid
                packet.gid = extra.gid
                packet.physdevIn = extra.physdevIn
                packet.physdevOut = extra.physdevOut
                packet.bridged = extra.bridged
            } catch {
                return .failure(PacketError(message: error.message))
            }
        }
        if let locals = options["--local-address"] {
            var set = Set<IPAddress>()
            for text in locals {
                guard let address = IPAddress(parsing: Array(text.utf8), family: family) else {
                    return .failure(PacketError(message: "invalid address '\(text)' for --local-address"))
                }
                set.insert(address)
            }
            packet.localAddresses = set
        }
        return .success(packet)
    }
}
