import XCTest
@testable import Netfilter

/// nft base chains walked at their hooks as the kernel runs them; each order and trace line
/// here was seen from `nft monitor trace` with nft 1.0.6 on this machine (docs/semantics.md).
final class NftHookWalkerTests: XCTestCase {
    func walker(_ text: String) -> NftHookWalker {
        let parsed = NftParser.parse(text)
        XCTAssertEqual(parsed.diagnostics, [], "the text parses")
        XCTAssertEqual(NftValidator.validate(parsed.ruleset), [], "the kernel loads it")
        return NftHookWalker(parsed.ruleset)
    }

    func packet(_ proto: UInt8 = IPProtocol.tcp, from source: String = "10.9.0.1", to destination: String = "10.9.0.2",
                dport: UInt16? = 22, in device: String = "vb", state: ConntrackState = .new) -> Packet {
        var packet = Packet()
        packet.protocol = proto
        packet.source = IPAddress(parsing: Array(source.utf8), family: .ipv4)
        packet.destination = IPAddress(parsing: Array(destination.utf8), family: .ipv4)
        if proto == IPProtocol.tcp || proto == IPProtocol.udp {
            packet.sourcePort = 40000
            packet.destinationPort = dport
            if proto == IPProtocol.tcp { packet.tcpFlags = 0x02 }
        } else {
            packet.icmpType = 8
            packet.icmpCode = 0
        }
        packet.hookState.inInterface = device
        packet.hookState.outInterface = "eth1"
        packet.conntrack.state = state
        return packet
    }

    /// The base chains entered, in order.
    func entered(_ result: WalkResult) -> [String] {
        result.steps.compactMap { $0.nftPacket == nil ? nil : "\($0.table) \($0.chain)" }
    }

    /// An entry as the text trace prints it.
    func entry(_ step: TraceStep?) -> String {
        guard let step else { return "" }
        if case .policy = step.kind {
            return "\(step.table) \(step.chain) policy \(NftTraceRenderer.verdictWord(step.effect))"
        }
        let verdict = NftTraceRenderer.verdictWord(step.effect)
        return "\(step.table) \(step.chain) #\(step.number) \(step.nftRule ?? ""): \(verdict)"
    }

    func only(_ results: [WalkResult], file: StaticString = #filePath, line: UInt = #line) -> WalkResult? {
        XCTAssertEqual(results.count, 1, "one class", file: file, line: line)
        return results.first
    }

    static let layered = """
    table ip t {
    \tchain pre {
    \t\ttype filter hook prerouting priority -400; policy accept;
    \t\tmeta mark set 0x00000042
    \t}

    \tchain n {
    \t\ttype nat hook prerouting priority -150; policy accept;
    \t\ttcp dport 81 dnat to 10.9.0.2:80
    \t}

    \tchain f {
    \t\ttype filter hook prerouting priority -120; policy accept;
    \t\ttcp dport 81 counter packets 0 bytes 0
    \t}

    \tchain f2 {
    \t\ttype filter hook prerouting priority -50; policy accept;
    \t\ttcp dport 80 meta mark 0x00000042 counter packets 0 bytes 0
    \t}

    \tchain input {
    \t\ttype filter hook input priority filter; policy drop;
    \t\ttcp dport 80 ct state new accept
    \t}
    }
    table inet u {
    \tchain in2 {
    \t\ttype filter hook input priority filter + 10; policy accept;
    \t\tip saddr 10.9.0.1 drop
    \t}
    }
    table ip6 v {
    \tchain in6 {
    \t\ttype filter hook input priority -10; policy drop;
    \t}
    }

    """

    /// A nat chain runs at nf_nat's priority (-100) whatever its own: after a filter chain at
    /// -120 although its priority is -150; its DNAT is what the later chains see; an accept
    /// goes on to the next base chain (of any table whose family sees the packet), a drop
    /// ends the packet.
    func testBaseChainsRunInTheKernelsOrder() throws {
        let result = try XCTUnwrap(only(walker(Self.layered).walk(hooks: [.prerouting, .input],
                                                                  packet: packet(dport: 81))))
        XCTAssertEqual(entered(result), ["ip t pre", "ip t f", "ip t n", "ip t f2", "ip t input", "inet u in2"])
        XCTAssertEqual(result.verdict, .drop)
        XCTAssertEqual(result.packet.destinationPort, 80)
        XCTAssertEqual(result.packet.mark, 0x42)
        XCTAssertEqual(result.steps.last?.nftRule, "ip saddr 10.9.0.1 drop")
        let lines = NftTraceRenderer.traceLines(result, fromStart: true)
        XCTAssertEqual(lines.filter { $0.contains(" f2 ") }, [
            "trace id 00000000 ip t f2 packet: iif \"vb\" ip saddr 10.9.0.1 ip daddr 10.9.0.2 tcp sport 40000 "
                + "tcp dport 80",
            "trace id 00000000 ip t f2 rule tcp dport 80 meta mark 0x00000042 counter packets 0 bytes 0 "
                + "(verdict continue)",
            "trace id 00000000 ip t f2 policy accept meta mark 0x00000042",
        ])
    }

    /// Base chains of equal priority run the last registered first (nf_hook_entries_grow puts
    /// a new hook before those of its priority): the last listed first, across tables.
    func testEqualPrioritiesRunTheLastListedFirst() throws {
        let text = """
        table ip a {
        \tchain first {
        \t\ttype filter hook input priority filter; policy accept;
        \t}

        \tchain second {
        \t\ttype filter hook input priority filter; policy accept;
        \t}
        }
        table ip b {
        \tchain third {
        \t\ttype filter hook input priority filter; policy accept;
        \t}
        }

        """
        let result = try XCTUnwrap(only(walker(text).walk(hooks: [.input], packet: packet())))
        XCTAssertEqual(entered(result), ["ip b third", "ip a second", "ip a first"])
    }

    /// `fib daddr type local` reads the host's addresses: where the description gives them, it
    /// is decided; where not, a named condition.
    func testFibTypeReadsTheHostsAddresses() throws {
        let text = """
        table ip t {
        \tchain input {
        \t\ttype filter hook input priority filter; policy drop;
        \t\tfib daddr type local accept
        \t}
        }

        """
        var local = packet()
        local.host.localAddresses = [try XCTUnwrap(IPAddress(parsing: Array("10.9.0.2".utf8), family: .ipv4))]
        XCTAssertEqual(try XCTUnwrap(only(walker(text).walk(hooks: [.input], packet: local))).verdict, .accept)
        var elsewhere = local
        elsewhere.destination = IPAddress(parsing: Array("10.9.0.7".utf8), family: .ipv4)
        XCTAssertEqual(try XCTUnwrap(only(walker(text).walk(hooks: [.input], packet: elsewhere))).verdict, .drop)
        let unknown = walker(text).walk(hooks: [.input], packet: packet())
        XCTAssertEqual(unknown.map(\.verdict), [.accept, .drop])
        XCTAssertEqual(unknown.first?.conditions.map(\.text), ["fib daddr type local"])
    }

    /// Concatenated keys (kube-proxy's `ip daddr . meta l4proto . th dport vmap @service-ips`):
    /// each part in its own field, exact for described and partly described packets.
    func testConcatenatedKeys() throws {
        let text = """
        table ip kube-proxy {
        \tmap service-ips {
        \t\ttype ipv4_addr . inet_proto . inet_service : verdict
        \t\telements = { 172.30.0.41 . tcp . 80 : goto service-web,
        \t\t\t     172.30.0.42 . udp . 53 : drop }
        \t}

        \tset allowed {
        \t\ttype ipv4_addr . inet_service
        \t\tflags interval
        \t\telements = { 10.9.0.0/24 . 22 }
        \t}

        \tchain services {
        \t\ttype filter hook input priority filter; policy accept;
        \t\tip daddr . meta l4proto . th dport vmap @service-ips
        \t\tip saddr . tcp dport != @allowed drop
        \t}

        \tchain service-web {
        \t\tmeta mark set 0x00004000 accept
        \t}
        }

        """
        var web = packet(to: "172.30.0.41", dport: 80)
        XCTAssertEqual(verdict(text, web),
                       "ACCEPT ip kube-proxy service-web #1 meta mark set 0x00004000 accept: accept")
        web.destinationPort = 81
        XCTAssertEqual(verdict(text, web), "DROP ip kube-proxy services #2 ip saddr . tcp dport != @allowed drop: drop")
        XCTAssertEqual(verdict(text, packet(to: "10.9.0.2", dport: 22)), "ACCEPT ip kube-proxy services policy accept")
        var open = packet(to: "172.30.0.41", dport: nil)
        open.protocol = nil
        open.sourcePort = nil
        let results = walker(text).walk(hooks: [.input], packet: open)
        XCTAssert(results.allSatisfy { $0.conditions.isEmpty }, "no conditions: every part is a modelled field")
        XCTAssertEqual(Set(results.map(\.verdict)), [.accept, .drop])
    }

    /// kube-proxy's pieces: a random pick among endpoints (`numgen random mod N vmap`) gives
    /// each its chance as a condition; a dynamic set's members are a condition; marks set
    /// from themselves (`meta mark set meta mark | 0x4000`) are followed bit by bit.
    func testRandomPicksDynamicSetsAndMarkBits() throws {
        let text = """
        table ip k {
        \tset aff {
        \t\ttype ipv4_addr
        \t\tsize 65535
        \t\tflags dynamic,timeout
        \t\ttimeout 3h
        \t}

        \tchain input {
        \t\ttype filter hook input priority filter; policy accept;
        \t\tip saddr @aff drop
        \t\tupdate @aff { ip saddr }
        \t\tnumgen random mod 4 vmap { 0 : jump a, 1-3 : jump b }
        \t\tmeta mark & 0x00004000 == 0x00004000 drop
        \t}

        \tchain a {
        \t\tmeta mark set meta mark | 0x00004000
        \t}

        \tchain b {
        \t\tmeta mark set meta mark ^ 0x00000001
        \t}
        }

        """
        var marked = packet()
        marked.mark = 0x10
        let results = walker(text).walk(hooks: [.input], packet: marked)
        let summary = results.map { result in
            "\(result.verdict?.rawValue ?? "-") \(result.probability.map { String($0) } ?? "?") mark "
                + String(result.packet.mark, radix: 16) + " " + result.assumptions.joined(separator: " ")
        }
        XCTAssertEqual(summary.sorted(), [
            "ACCEPT 0.75 mark 11 unless [ip saddr @aff] unless [numgen random mod 4 0 (ip k input #3)] "
                + "when [numgen random mod 4 1-3 (ip k input #3)]",
            "DROP 0.25 mark 4010 unless [ip saddr @aff] when [numgen random mod 4 0 (ip k input #3)]",
            "DROP 1.0 mark 10 when [ip saddr @aff]",
        ])
    }

    /// A later packet of a connection does not see the nat chains.
    func testNATChainsSeeFirstPacketsOnly() throws {
        let result = try XCTUnwrap(only(walker(Self.layered).walk(hooks: [.prerouting],
                                                                  packet: packet(dport: 81, state: .established))))
        XCTAssertEqual(entered(result), ["ip t pre", "ip t f", "ip t f2"])
        XCTAssertEqual(result.packet.destinationPort, 81)
    }

    static let chains = """
    table inet t {
    \tset allowed {
    \t\ttype inet_service
    \t\tflags interval
    \t\telements = { 22, 8000-8100 }
    \t}

    \tmap ports {
    \t\ttype inet_service : verdict
    \t\telements = { 443 : goto web, 53 : drop }
    \t}

    \tchain input {
    \t\ttype filter hook input priority filter; policy drop;
    \t\tip saddr 10.9.0.1 jump web
    \t\ttcp dport @allowed accept
    \t\ttcp dport vmap @ports
    \t\tudp dport vmap { 53 : accept, 5353 : return }
    \t\treturn
    \t}

    \tchain web {
    \t\ttcp dport 8080 return
    \t\ttcp dport 9000 accept
    \t}
    }

    """

    func verdict(_ text: String, _ packet: Packet, file: StaticString = #filePath, line: UInt = #line) -> String {
        guard let result = only(walker(text).walk(hooks: [.input], packet: packet), file: file, line: line) else {
            return "several"
        }
        return (result.verdict?.rawValue ?? "none") + " " + entry(result.steps.last)
    }

    /// jump pushes, goto does not, return and a regular chain's end pop; a return in the base
    /// chain is its policy; interval sets and verdict maps (a key in no element breaks the rule).
    func testJumpsSetsAndVerdictMaps() {
        let text = Self.chains
        XCTAssertEqual(verdict(text, packet(dport: 9000)), "ACCEPT inet t web #2 tcp dport 9000 accept: accept")
        XCTAssertEqual(verdict(text, packet(dport: 8050)), "ACCEPT inet t input #2 tcp dport @allowed accept: accept")
        // web returns 8080 to input, where the interval set has it.
        XCTAssertEqual(verdict(text, packet(dport: 8080)), "ACCEPT inet t input #2 tcp dport @allowed accept: accept")
        XCTAssertEqual(verdict(text, packet(dport: 8200)), "DROP inet t input policy drop")
        // goto web: web's end returns to input's caller, none here: the base chain's policy, by
        // the base chain's name.
        XCTAssertEqual(verdict(text, packet(from: "10.9.0.5", dport: 443)), "DROP inet t input policy drop")
        XCTAssertEqual(verdict(text, packet(IPProtocol.udp, from: "10.9.0.5", dport: 53)),
                       "ACCEPT inet t input #4 udp dport vmap { 53 : accept, 5353 : return }: accept")
        XCTAssertEqual(verdict(text, packet(IPProtocol.udp, from: "10.9.0.5", dport: 5353)),
                       "DROP inet t input policy drop")
        XCTAssertEqual(verdict(text, packet(IPProtocol.udp, from: "10.9.0.5", dport: 99)),
                       "DROP inet t input policy drop")
    }

    /// A packet described in part is a set: the rules split it into disjoint classes, each
    /// with its verdict, and each class's packets all get it.
    func testOpenFieldsSplitIntoClasses() throws {
        var open = packet(from: "10.9.0.5", dport: nil)
        open.conntrack.state = nil
        let results = walker(Self.chains).walk(hooks: [.input], packet: open)
        let accepted = results.filter { $0.verdict == .accept }
        let dropped = results.filter { $0.verdict == .drop }
        XCTAssertEqual(accepted.count + dropped.count, results.count)
        func ports(_ results: [WalkResult]) -> IntervalSet {
            results.reduce(IntervalSet()) { set, result in
                (result.packets?.cubes ?? []).reduce(set) { set, cube in
                    guard case .intervals(let ports)? = cube[.destinationPort] else { return set }
                    return set.union(ports)
                }
            }
        }
        XCTAssertEqual(ports(accepted), IntervalSet(22, 22).union(IntervalSet(8000, 8100)))
        XCTAssertFalse(ports(dropped).contains(22))
        // Each class's own packets, walked one by one, end as the class does.
        for result in results {
            for port: UInt16 in [22, 80, 443, 8050, 9000] {
                guard result.packets?.cubes.contains(where: { cube in
                    guard case .intervals(let set)? = cube[.destinationPort] else { return true }
                    return set.contains(UInt128(port))
                }) ?? true else { continue }
                let concrete = walker(Self.chains).walk(hooks: [.input], packet: packet(from: "10.9.0.5", dport: port))
                XCTAssertEqual(concrete.map(\.verdict), [result.verdict], "port \(port)")
            }
        }
    }

    /// Chains below conntrack's priority (-200) at PREROUTING see no connection: `ct state`
    /// reads invalid there; notrack there makes the packet untracked for the later chains.
    func testChainsBeforeConntrack() throws {
        let text = """
        table ip t {
        \tchain raw {
        \t\ttype filter hook prerouting priority raw; policy accept;
        \t\tct state invalid meta mark set 0x00000001
        \t\ttcp dport 23 notrack
        \t}

        \tchain later {
        \t\ttype filter hook prerouting priority filter; policy accept;
        \t\tct state untracked drop
        \t}
        }

        """
        let first = try XCTUnwrap(only(walker(text).walk(hooks: [.prerouting], packet: packet(dport: 22))))
        XCTAssertEqual(first.packet.mark, 1)
        XCTAssertEqual(first.verdict, .accept)
        let untracked = try XCTUnwrap(only(walker(text).walk(hooks: [.prerouting], packet: packet(dport: 23))))
        XCTAssertEqual(untracked.verdict, .drop)
    }

    /// Only what follows `meta nftrace set 1` is traced, with the chain's packet line first.
    func testTraceLinesFollowTheTraceBit() throws {
        let text = """
        table ip t {
        \tchain input {
        \t\ttype filter hook input priority filter; policy accept;
        \t\ttcp dport 22 counter packets 0 bytes 0
        \t\tmeta nftrace set 1
        \t\ttcp dport 22 reject with tcp reset
        \t}
        }

        """
        let parsed = NftParser.parse(text)
        let result = try XCTUnwrap(only(NftHookWalker(parsed.ruleset).walk(hooks: [.input], packet: packet())))
        XCTAssertEqual(result.steps.last?.effect?.answer, "tcp-reset")
        XCTAssertEqual(NftTraceRenderer.traceLines(result, fromStart: !NftTraceRenderer.setsTrace(parsed.ruleset)), [
            "trace id 00000000 ip t input packet: iif \"vb\" ip saddr 10.9.0.1 ip daddr 10.9.0.2 tcp sport 40000 "
                + "tcp dport 22",
            "trace id 00000000 ip t input rule meta nftrace set 1 (verdict continue)",
            "trace id 00000000 ip t input rule tcp dport 22 reject with tcp reset (verdict drop)",
        ])
    }
}
