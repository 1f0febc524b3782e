import Foundation
import Netfilter

/// `verdict reach SNAPSHOT`: who can reach what on the host, as a matrix; `verdict reach
/// OLD NEW`: what a change opens or closes.
enum ReachCommand {
    /// The options of `verdict reach`.
    enum Option {
        static let from = OptionDeclaration(
            "--from", placeholder: "IFACE", completion: .interfacesOrLocal,
            help: "only the sources entering on this device (a bridge port such as vethc1 works), or `local` for "
                + "the host's own connections")
        static let source = OptionDeclaration(
            "--source", aliases: ["-s"], placeholder: "ADDR",
            help: "only sources with these addresses (ADDR, ADDR/LEN, LOW-HIGH, a comma list); with --from, exactly "
                + "one source: these addresses on that device")
        static let to = OptionDeclaration(
            "--to", placeholder: "ADDR[:PORT]",
            help: "only the services at this address (and port; [ADDR]:PORT for IPv6); one the snapshot does not "
                + "offer is tried as asked (TCP and UDP, or -p; echo without a port)")
        static let `protocol` = OptionDeclaration(
            "--protocol", aliases: ["-p"], placeholder: "PROTO",
            completion: .words(["tcp", "udp", "icmp", "ipv6-icmp"]),
            help: "only the services of this protocol (icmp: echo)")
        static let format = CommonOptions.format(
            [.text, .json, .svg],
            help: "text (default): the matrix, a legend, then every cell in words; json (docs/json.md); svg: the "
                + "matrix as a picture (docs/reach.md), e.g. --format svg > reach.svg")
        static let brief = OptionDeclaration.flag("--brief", help: "the matrix and its legend only")
        static let noWitness = OptionDeclaration.flag(
            "--no-witness", help: "skip finding and confirming a witness request for every class (faster)")
    }

    static let declaration = CommandDeclaration(
        name: "reach", summary: "who can reach what on a host, as a matrix; what a change opens",
        help: CommandHelp(head: head, sections: [
            OptionSection("OPTIONS:", options: [Option.from, Option.source, Option.to, Option.protocol, Option.format,
                                                Option.brief, Option.noWitness, CommonOptions.help]),
        ], tail: tail),
        operands: .paths, run: run)

    static let head = """
    USAGE: verdict reach SNAPSHOT [NEW] [--from IFACE|local] [-s ADDR] [--to ADDR[:PORT]] [-p PROTO]
                         [--format text|json|svg]

    Computes, from a host snapshot (Scripts/snapshot-host), who can reach what:
    - sources: every device that is not a bridge or a bridge port, with the networks on
      its link (`eth0 link`) and what its routes reach through a gateway (`eth0
      elsewhere`: behind a default route, the Internet); every bridge port with the
      addresses of the containers behind it; and the host itself (`local`);
    - services: every listening socket of the host (ss.txt), every address and port a
      DNAT or REDIRECT rule leads on (published ports, NodePorts, ClusterIPs), the
      containers' addresses and ports NAT leads to, and echo (ping) of the host's and the
      containers' addresses;
    - cells: for each source and service, a connection's first packet (a TCP SYN, a UDP
      datagram, an echo request) from every address of the source, followed through the
      host as `verdict flow` follows it, with its reply. Outcomes: open, dropped (the client
      times out), refused (a REJECT answers), blocked-locally (the host's own send is
      dropped: EPERM), closed (nothing listens), partly (some of the source's packets one
      way, others another), depends (a probability or a condition verdict cannot decide).
      Each cell names the deciding rules and the NAT, with a witness request.

    With two operands, OLD NEW (two snapshots, or a snapshot and a changed rules file for
    it), prints only the cells whose outcome changed. IPv6 has its own matrix where the
    snapshot has ip6tables.rules.
    """

    static let tail = """
    EXIT STATUS: one snapshot: 0 computed, 1 the snapshot's rules have errors; OLD NEW: as
    diff(1), 0 no cell changed, 1 some did; 2 usage error or input that cannot be read
    (and, with OLD NEW, rules that do not load).

    EXAMPLES:
      verdict reach rulesets/docker-default
      verdict reach rulesets/docker-default --from eth0 -s 93.184.216.34 --format json
      verdict reach rulesets/docker-default new-rules.v4
    """

    static func run(_ arguments: ParsedArguments) throws(UsageError) -> ExitStatus {
        guard (1...2).contains(arguments.operands.count) else {
            throw UsageError("give a snapshot folder, or two (OLD NEW, or a snapshot and a rules file)",
                             showsHelp: true)
        }
        let format = arguments.value(Option.format, as: OutputFormat.self) ?? .text
        let snapshot: HostSnapshot
        switch RulesFile.loadSnapshot(arguments.operands[0], command: "reach") {
        case .success(let loaded): snapshot = loaded
        case .failure(.invalid): return arguments.operands.count == 2 ? .usage : .findings
        case .failure(.unreadable): return .usage
        }
        let families: [Family] = snapshot.ipv6Ruleset == nil ? [.ipv4] : [.ipv4, .ipv6]
        var queries: [Family: ReachQuery] = [:]
        for family in families { queries[family] = try query(arguments, family: family, snapshot: snapshot) }
        let chosen = families.filter { queries[$0] != nil }
        let witnesses = !arguments.isSet(Option.noWitness)
        func matrices(_ snapshot: HostSnapshot) -> [ReachMatrix] {
            let path = HostPath(snapshot)
            return chosen.compactMap { family in
                queries[family].map { ReachMatrix.compute(path, family: family, query: $0, witnesses: witnesses) }
            }
        }
        guard arguments.operands.count == 2 else {
            let computed = matrices(snapshot)
            switch format {
            case .json: print(ReachRenderer.json(computed, notes: snapshot.notes))
            case .svg: print(ReachPictureRenderer.svg(computed), terminator: "")
            default:
                print(ReachRenderer.text(computed, notes: snapshot.notes, brief: arguments.isSet(Option.brief)),
                      terminator: "")
            }
            return .success
        }
        guard format != .svg else { throw UsageError("--format svg draws one snapshot's matrix, not a change") }
        guard let changed = changedSnapshot(arguments.operands[1], from: snapshot) else { return .usage }
        let (old, new) = (matrices(snapshot), matrices(changed))
        let diffs = zip(old, new).map { ReachDiff.compare($0, $1) }
        print(format == .json ? ReachRenderer.diffJSON(diffs) : ReachRenderer.diffText(diffs), terminator: "")
        if format == .json { print("") }
        return diffs.contains { !$0.changes.isEmpty } ? .findings : .success
    }

    /// The snapshot after the change: another snapshot folder, or this one with a rules file
    /// in place of its rules of that file's family. Nil after saying why.
    static func changedSnapshot(_ path: String, from snapshot: HostSnapshot) -> HostSnapshot? {
        if path != "-", HostSnapshot.isSnapshot(path) {
            guard case .success(let loaded) = RulesFile.loadSnapshot(path, command: "reach") else { return nil }
            return loaded
        }
        guard case .success(let loaded) = RulesFile.load(path, family: nil, command: "reach") else { return nil }
        var changed = snapshot
        if loaded.ruleset.family == .ipv6 {
            changed.ipv6Ruleset = loaded.ruleset
        } else {
            changed.ruleset = loaded.ruleset
        }
        return changed
    }

    /// What the options ask about, for one family; nil when they name addresses of the other.
    static func query(_ arguments: ParsedArguments, family: Family,
                      snapshot: HostSnapshot) throws(UsageError) -> ReachQuery? {
        var query = ReachQuery()
        if let from = arguments.value(Option.from) {
            if from != "local", !snapshot.interfaces.isEmpty, snapshot.interface(named: from) == nil {
                let names = snapshot.interfaces.map(\.name)
                throw UsageError("the snapshot has no device '\(from)' (it has \(names.joined(separator: ", ")))"
                                 + (Suggestion.closest(to: from, among: names).map { "; did you mean '\($0)'?" } ?? ""))
            }
            query.from = from
        }
        if let text = arguments.value(Option.source) {
            guard isFamily(text, family) else { return nil }
            query.sourceAddresses = try addresses(text, option: "-s", family: family)
        }
        if let text = arguments.value(Option.to) {
            guard isFamily(text, family) else { return nil }
            let described: DescribedPackets
            do throws(PacketDescription.ParseError) {
                described = try PacketDescription.describe("* * -> \(text)", family: family)
            } catch {
                throw UsageError("--to takes ADDR, ADDR:PORT or [ADDR]:PORT, not '\(text)' (\(error.message))")
            }
            guard let address = described.packet.destination else {
                throw UsageError("--to takes one address (and a port), not '\(text)'")
            }
            query.destinations = IntervalSet(value: RuleSpace.value(of: address))
            query.port = described.packet.destinationPort
        }
        if let text = arguments.value(Option.protocol) {
            guard let number = IPProtocol.number(for: text) else {
                throw UsageError("-p takes tcp, udp, icmp, ipv6-icmp or a protocol number, not '\(text)'")
            }
            let echo = family == .ipv6 ? IPProtocol.icmpv6 : IPProtocol.icmp
            query.protocol = number == IPProtocol.icmp || number == IPProtocol.icmpv6 ? echo : number
        }
        return query
    }

    /// Whether an address option's value is of a family (IPv6 has colons outside a port).
    static func isFamily(_ text: String, _ family: Family) -> Bool {
        let isIPv6 = text.hasPrefix("[") || text.filter { $0 == ":" }.count > 1
        return isIPv6 == (family == .ipv6)
    }

    /// The addresses an address option gives, as packet descriptions read them.
    static func addresses(_ text: String, option: String, family: Family) throws(UsageError) -> IntervalSet {
        let described: DescribedPackets
        do throws(PacketDescription.ParseError) {
            described = try PacketDescription.describe(options: [DescribedOption(option, text)], family: family)
        } catch {
            throw UsageError("\(option): \(error.message)")
        }
        if let address = described.packet.source { return IntervalSet(value: RuleSpace.value(of: address)) }
        var set = IntervalSet()
        for cube in described.packets?.cubes ?? [] {
            if case .intervals(let values)? = cube[.source] { set = set.union(values) }
        }
        guard !set.isEmpty else { throw UsageError("\(option) names no address: '\(text)'") }
        return set
    }
}
