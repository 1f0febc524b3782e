@testable import Netfilter

/// A repeatable random number generator (SplitMix64), so that a failing seed replays.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random rulesets over the matches and targets the diff models exactly (addresses,
/// interfaces, protocols, ports, ICMP, TCP flags, conntrack states, marks, fragments;
/// ACCEPT, DROP, RETURN, REJECT, jumps and gotos, LOG, MARK, CONNMARK, NOTRACK, DNAT,
/// SNAT, MASQUERADE, REDIRECT), and random edits of them: the inputs of the diff's
/// property tests.
struct RandomRulesets {
    struct Chain {
        var name: String
        var policy: String?
        var rules: [String]
    }

    struct Table {
        var name: String
        var chains: [Chain]
    }

    var generator: SeededGenerator
    /// Whether rules also use matches the packet-class algebra cannot express (length,
    /// statistic, limit, recent, ttl, tos, addrtype), which become conditions of classes.
    /// Off, the rulesets (and the seeds' streams) are those the diff tests were written with.
    var unmodelled = false

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    static let networks = ["10.0.0.0/8", "10.1.0.0/16", "10.1.2.3/32", "192.168.0.0/24", "192.168.0.7/32", "172.17.0.2/32", "0.0.0.0/1", "8.8.8.8/32"]
    static let interfaces = ["eth0", "eth1", "eth+", "docker0", "br-+", "lo"]
    static let ports = ["22", "80", "443", "1000:2000", "53", "8080"]

    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &generator)] }
    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &generator) < percent }

    /// A ruleset (raw, mangle, nat, filter) as iptables-save text.
    mutating func ruleset() -> [Table] {
        var tables: [Table] = []
        for (name, builtins) in [("raw", ["PREROUTING", "OUTPUT"]), ("mangle", ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"]),
                                 ("nat", ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"]), ("filter", ["INPUT", "FORWARD", "OUTPUT"])] {
            if name != "filter" && !chance(55) { continue }
            let users = name == "filter" ? Int.random(in: 0...3, using: &generator) : (name == "nat" ? 1 : Int.random(in: 0...1, using: &generator))
            var chains = builtins.map { Chain(name: $0, policy: name == "filter" && chance(40) ? "DROP" : "ACCEPT", rules: []) }
            chains += (0..<users).map { Chain(name: "U\(name.prefix(1))\($0)", policy: nil, rules: []) }
            var table = Table(name: name, chains: chains)
            for position in table.chains.indices {
                let count = Int.random(in: 0...(table.chains[position].policy == nil ? 4 : 6), using: &generator)
                for _ in 0..<count { table.chains[position].rules.append(rule(in: table, chain: position)) }
            }
            tables.append(table)
        }
        return tables
    }

    /// A kube-proxy-like ruleset: long chains of rules for single destinations (which the
    /// diff and the evaluator index) with a few rules for any destination among them.
    mutating func serviceRuleset() -> [Table] {
        let filterServices = services(Int.random(in: 40...70, using: &generator), nat: false)
        let natServices = services(Int.random(in: 40...70, using: &generator), nat: true)
        return [
            Table(name: "nat", chains: [Chain(name: "PREROUTING", policy: "ACCEPT", rules: ["-j SVC"]), Chain(name: "INPUT", policy: "ACCEPT", rules: []),
                                        Chain(name: "OUTPUT", policy: "ACCEPT", rules: ["-j SVC"]), Chain(name: "POSTROUTING", policy: "ACCEPT", rules: []),
                                        Chain(name: "SVC", policy: nil, rules: natServices)]),
            Table(name: "filter", chains: [Chain(name: "INPUT", policy: pick(["ACCEPT", "DROP"]), rules: ["-m conntrack --ctstate NEW -j SVC"]),
                                           Chain(name: "FORWARD", policy: "ACCEPT", rules: ["-j SVC"]),
                                           Chain(name: "OUTPUT", policy: "ACCEPT", rules: ["-j SVC"]),
                                           Chain(name: "SVC", policy: nil, rules: filterServices)]),
        ]
    }

    /// Rules for one service address each (a few random rules among them).
    mutating func services(_ count: Int, nat: Bool) -> [String] {
        var rules: [String] = []
        let other = Table(name: "filter", chains: [Chain(name: "SVC", policy: nil, rules: [])])
        for _ in 0..<count {
            if !nat && chance(8) {
                rules.append(rule(in: other, chain: 0))
                continue
            }
            let address = "10.96.0.\(Int.random(in: 1...40, using: &generator))"
            let target = nat ? "-j DNAT --to-destination 10.244.\(Int.random(in: 0...3, using: &generator)).\(Int.random(in: 1...9, using: &generator)):8080"
                             : pick(["-j ACCEPT", "-j DROP", "-j REJECT", "-j LOG --log-prefix s"])
            rules.append("-d \(address)/32 -p tcp -m tcp --dport \(pick(["80", "443", "53"])) " + target)
        }
        return rules
    }

    /// The hooks a chain of the table runs at (user chains of nat: PREROUTING only, so that
    /// their DNAT rules load).
    func hooks(of table: Table, chain position: Int) -> [String] {
        let chain = table.chains[position]
        if chain.policy != nil { return [chain.name] }
        switch table.name {
        case "nat": return ["PREROUTING"]
        case "raw": return ["PREROUTING", "OUTPUT"]
        case "mangle": return ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"]
        default: return ["INPUT", "FORWARD", "OUTPUT"]
        }
    }

    mutating func rule(in table: Table, chain position: Int) -> String {
        let chain = table.chains[position]
        let hooks = hooks(of: table, chain: position)
        var words: [String] = []
        var proto: String?
        let conditions = Int.random(in: 0...3, using: &generator)
        var used = Set<Int>()
        for _ in 0..<conditions {
            let kind = Int.random(in: 0...(unmodelled ? 13 : 9), using: &generator)
            guard used.insert(kind).inserted else { continue }
            switch kind {
            case 0: words += [chance(25) ? "! -s" : "-s", pick(Self.networks)]
            case 1: words += [chance(25) ? "! -d" : "-d", pick(Self.networks)]
            case 2 where chain.policy == nil || !["OUTPUT", "POSTROUTING"].contains(chain.name):
                words += [chance(25) ? "! -i" : "-i", pick(Self.interfaces)]
            case 3 where chain.policy == nil || !["PREROUTING", "INPUT"].contains(chain.name):
                words += [chance(25) ? "! -o" : "-o", pick(Self.interfaces)]
            case 4:
                proto = pick(["tcp", "tcp", "udp", "icmp"])
                words += ["-p", proto ?? "tcp"]
                switch proto {
                case "icmp"?:
                    if chance(60) { words += ["-m", "icmp", chance(20) ? "!" : "", "--icmp-type", pick(["8", "0", "3/3", "3", "echo-reply"])] }
                case "tcp"?:
                    switch Int.random(in: 0...5, using: &generator) {
                    case 0: words += ["-m", "tcp", chance(20) ? "!" : "", "--dport", pick(Self.ports)]
                    case 1: words += ["-m", "tcp", "--sport", pick(Self.ports)]
                    case 2: words += ["-m", "tcp", chance(20) ? "!" : "", "--syn"]
                    case 3: words += ["-m", "tcp", "--tcp-flags", "SYN,ACK", pick(["SYN", "ACK", "SYN,ACK", "NONE"])]
                    case 4: words += ["-m", "multiport", "--dports", pick(["22,80,443", "80,8080", "1000:1500,53"])]
                    default: break
                    }
                default:
                    if chance(60) { words += ["-m", "udp", chance(20) ? "!" : "", "--dport", pick(Self.ports)] }
                }
            case 5: words += ["-m", "conntrack", chance(20) ? "!" : "", "--ctstate", pick(["NEW", "ESTABLISHED", "RELATED,ESTABLISHED", "INVALID", "UNTRACKED", "NEW,INVALID"])]
            case 6: words += ["-m", "state", "--state", pick(["NEW", "ESTABLISHED,RELATED"])]
            case 7: words += ["-m", "mark", chance(20) ? "!" : "", "--mark", pick(["0x1", "0x1/0x1", "0x2/0xff", "0x0"])]
            case 8: words += ["-m", "connmark", chance(20) ? "!" : "", "--mark", pick(["0x1", "0x2/0x2", "0x0"])]
            case 10: words += ["-m", "length", chance(20) ? "!" : "", "--length", pick(["28:100", "0:60", "1500"])]
            case 11: words += ["-m", "statistic", "--mode", "random", "--probability", pick(["0.5", "0.25"])]
            case 12: words += pick([["-m", "limit", "--limit", "5/sec"], ["-m", "recent", "--rcheck", "--name", "x"]])
            case 13: words += pick([["-m", "ttl", "--ttl-eq", "64"], ["-m", "tos", "--tos", "0x10"],
                                    ["-m", "addrtype", "--dst-type", "LOCAL"]])
            default: words += [chance(30) ? "! -f" : "-f"]
            }
        }
        words += target(table: table, chain: position, hooks: hooks, proto: proto)
        return words.filter { !$0.isEmpty }.joined(separator: " ")
    }

    mutating func target(table: Table, chain position: Int, hooks: [String], proto: String?) -> [String] {
        let later = table.chains.indices.filter { $0 > position && table.chains[$0].policy == nil }.map { table.chains[$0].name }
        let users = table.chains[position].policy == nil ? later : table.chains.filter { $0.policy == nil }.map(\.name)
        var choices: [[String]] = [["-j", "ACCEPT"], ["-j", "RETURN"], ["-j", "LOG", "--log-prefix", "x\(Int.random(in: 0...2, using: &generator))"]]
        switch table.name {
        case "filter":
            choices += [["-j", "DROP"], ["-j", "DROP"], ["-j", "REJECT"], ["-j", "ACCEPT"]]
            if proto == "tcp" { choices.append(["-j", "REJECT", "--reject-with", "tcp-reset"]) }
            choices.append(["-j", "MARK", "--set-xmark", pick(["0x1/0xffffffff", "0x2/0x2", "0x0/0x1"])])
        case "mangle":
            choices += [["-j", "MARK", "--set-xmark", pick(["0x1/0xffffffff", "0x2/0x2", "0x0/0x1", "0x101/0xfff"])],
                        ["-j", "CONNMARK", "--set-xmark", pick(["0x1/0xffffffff", "0x2/0x2"])],
                        ["-j", "CONNMARK", pick(["--save-mark", "--restore-mark"])], ["-j", "DROP"]]
        case "raw":
            choices += [["-j", "NOTRACK"], ["-j", "CT", "--notrack"], ["-j", "DROP"]]
        default:
            let withPort = proto == "tcp" || proto == "udp"
            if hooks.allSatisfy({ ["PREROUTING", "OUTPUT"].contains($0) }) {
                choices += [["-j", "DNAT", "--to-destination", withPort && chance(50) ? "10.9.9.9:8080" : "10.9.9.9"]]
                choices += [["-j", "REDIRECT"] + (withPort && chance(50) ? ["--to-ports", "3128"] : [])]
            }
            if hooks.allSatisfy({ ["POSTROUTING", "INPUT"].contains($0) }) {
                choices += [["-j", "SNAT", "--to-source", "10.8.8.8"]]
            }
            if hooks == ["POSTROUTING"] { choices += [["-j", "MASQUERADE"]] }
        }
        if !users.isEmpty && chance(30) {
            return [chance(75) ? "-j" : "-g", pick(users)]
        }
        return pick(choices)
    }

    /// The save text of tables.
    static func text(_ tables: [Table]) -> String {
        var out = ""
        for table in tables {
            out += "*\(table.name)\n"
            for chain in table.chains { out += ":\(chain.name) \(chain.policy ?? "-") [0:0]\n" }
            for chain in table.chains {
                for rule in chain.rules { out += "-A \(chain.name) \(rule)\n" }
            }
            out += "COMMIT\n"
        }
        return out
    }

    /// One random edit: a rule removed, added, replaced, moved, duplicated, a policy
    /// flipped, or a user chain renamed.
    mutating func edit(_ tables: [Table]) -> [Table] {
        var tables = tables
        let t = Int.random(in: 0..<tables.count, using: &generator)
        let c = Int.random(in: 0..<tables[t].chains.count, using: &generator)
        let count = tables[t].chains[c].rules.count
        switch Int.random(in: 0...7, using: &generator) {
        case 0 where count > 0:
            tables[t].chains[c].rules.remove(at: Int.random(in: 0..<count, using: &generator))
        case 1 where count > 0:
            tables[t].chains[c].rules[Int.random(in: 0..<count, using: &generator)] = rule(in: tables[t], chain: c)
        case 2 where count > 1:
            let i = Int.random(in: 0..<(count - 1), using: &generator)
            tables[t].chains[c].rules.swapAt(i, i + 1)
        case 3 where count > 0:
            let i = Int.random(in: 0..<count, using: &generator)
            tables[t].chains[c].rules.insert(tables[t].chains[c].rules[i], at: Int.random(in: 0...count, using: &generator))
        case 4 where tables[t].chains[c].policy != nil && tables[t].name == "filter":
            tables[t].chains[c].policy = tables[t].chains[c].policy == "DROP" ? "ACCEPT" : "DROP"
        case 5 where tables[t].chains[c].policy == nil:
            let old = tables[t].chains[c].name, new = old + "r"
            tables[t].chains[c].name = new
            for i in tables[t].chains.indices {
                tables[t].chains[i].rules = tables[t].chains[i].rules.map { rule in
                    rule.hasSuffix("-j \(old)") || rule.hasSuffix("-g \(old)") ? String(rule.dropLast(old.count)) + new : rule
                }
            }
        default:
            tables[t].chains[c].rules.insert(rule(in: tables[t], chain: c), at: Int.random(in: 0...count, using: &generator))
        }
        return tables
    }
}
