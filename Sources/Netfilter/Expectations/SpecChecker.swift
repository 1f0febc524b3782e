/// The checks a spec needs its target for: a snapshot's case says where the packet arrives
/// (`from`) and a rules file's case where it is evaluated (`at`); chains, rules, devices and
/// matches it names exist. Run before any case, so that a spec with an error runs nothing.
public enum SpecChecker {
    public static func check(_ spec: ExpectationSpec, against target: SpecTarget) -> [Diagnostic] {
        spec.cases.flatMap { check($0, against: target) }
    }

    public static func check(_ item: ExpectationCase, against target: SpecTarget) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        func error(_ message: String, _ column: Int) {
            diagnostics.append(.error(message, at: SourceLocation(line: item.line, column: column)))
        }
        let expectations = [item.request, item.reply].compactMap { $0 }
        switch target {
        case .snapshot(let snapshot):
            let devices = snapshot.interfaces.map(\.name)
            func known(_ origin: PacketOrigin, _ column: Int, _ role: String) {
                guard case .device(let name) = origin, !devices.isEmpty, !devices.contains(name) else { return }
                error("the snapshot has no device '\(name)'\(Suggestion.hint(name, among: devices)); \(role) takes one of \(devices.joined(separator: ", ")) or local", column)
            }
            if let origin = item.origin {
                known(origin.value, origin.column, "'from'")
            } else {
                error("a case on a snapshot needs 'from IFACE' or 'from local': where the packet arrives", item.column)
            }
            if let point = item.point {
                error("'at' is for a rules file: on a snapshot the host's path decides the hooks (check them with 'via')", point.column)
            }
            if let column = item.deviceColumn {
                error("'in' and 'out' do not go with a snapshot: the path decides the devices ('from IFACE' says where the packet arrives, 'to IFACE' where it must leave)", column)
            }
            for expectation in expectations {
                if let exit = expectation.exit { known(exit.value, exit.column, "'to'") }
                if expectation.fate.value == .return {
                    error("RETURN is the end of a walk from a user chain ('at TABLE/CHAIN' on a rules file); a host's packet is accepted or dropped",
                          expectation.fate.column)
                }
            }
        case .rules(let ruleset):
            if item.packet.family != ruleset.family {
                error("an \(item.packet.family == .ipv6 ? "IPv6" : "IPv4") packet, but the rules are \(ruleset.family == .ipv6 ? "IPv6" : "IPv4")", item.packetColumn)
            }
            if let origin = item.origin {
                error("'from' needs a host snapshot folder; on a rules file say where the packet is evaluated with 'at HOOK' or 'at TABLE/CHAIN'", origin.column)
            }
            switch item.point?.value {
            case nil:
                if item.origin == nil {
                    error("a case on a rules file needs 'at HOOK[,HOOK...]' or 'at TABLE/CHAIN': where the packet is evaluated", item.column)
                }
            case .chain(let table, let chain)?:
                if let column = item.point?.column { checkChain(table, chain, in: ruleset, column: column, error) }
            case .hooks?:
                break
            }
            for expectation in expectations {
                if let hooks = expectation.hooks {
                    error("'via' checks a snapshot's path; on a rules file 'at' says which hooks are walked", hooks.column)
                }
                if let exit = expectation.exit {
                    error("'to' checks where a packet leaves a snapshot's host; a rules file has no devices to leave by", exit.column)
                }
            }
            if let reply = item.reply {
                error("'reply' needs a host snapshot: a rules file has no host that answers", reply.fate.column)
            }
        }
        if let rules = target.rules(for: item.packet.family) {
            for expectation in expectations {
                guard let decider = expectation.decider, case .rule(let table, let chain, let number) = decider.value else { continue }
                if rules.table(named: table) == nil, let nft = target.nft {
                    checkNftChain(table, chain, number: number, in: nft, column: decider.column, error)
                    continue
                }
                guard checkChain(table, chain, in: rules, column: decider.column, error),
                      let found = rules.table(named: table)?.chain(named: chain) else { continue }
                let builtin = rules.table(named: table)?.builtinChainNames.contains(chain) ?? false
                if let number, number > found.rules.count + 1 {
                    error("\(table)/\(chain) has \(found.rules.count) rule\(found.rules.count == 1 ? "" : "s"); rule \(number) does not exist", decider.column)
                } else if number == nil, !builtin {
                    error("\(table)/\(chain) is a user chain: it has no policy (name a rule by its number)", decider.column)
                }
            }
        }
        for (name, column) in item.pinnedColumns.sorted(by: { $0.value < $1.value }) {
            if ExtensionRegistry.match(named: name, family: item.packet.family) == nil {
                let names = ExtensionRegistry.all.filter { $0.kind == .match }.map(\.name)
                error("'assume' names a match: no match '\(name)'\(Suggestion.hint(name, among: names))", column)
            }
        }
        return diagnostics
    }

    /// An nft chain's rule (`TABLE/CHAIN:N`, a base chain's policy), in a table of any family.
    static func checkNftChain(_ table: String, _ chain: String, number: Int?, in nft: NftRuleset, column: Int,
                              _ error: (String, Int) -> Void) {
        let tables = nft.tables.filter { $0.name == table }
        guard !tables.isEmpty else {
            error("the rules have no \(table) table (iptables' or nft's)", column)
            return
        }
        guard let found = tables.lazy.compactMap({ $0.chains.first { $0.name == chain } }).first else {
            let names = tables.flatMap { $0.chains.map(\.name) }
            error("no chain \(table)/\(chain)\(Suggestion.hint(chain, among: names))", column)
            return
        }
        if let number, number > found.rules.count + (found.base == nil ? 0 : 1) {
            error("\(table)/\(chain) has \(found.rules.count) rule\(found.rules.count == 1 ? "" : "s"); rule \(number) "
                  + "does not exist", column)
        } else if number == nil, found.base == nil {
            error("\(table)/\(chain) is a regular chain: it has no policy (name a rule by its number)", column)
        }
    }

    /// Whether the table and chain exist; says why not.
    @discardableResult
    static func checkChain(_ table: String, _ chain: String, in ruleset: Ruleset, column: Int, _ error: (String, Int) -> Void) -> Bool {
        guard let found = ruleset.table(named: table) else {
            error("the rules have no \(table) table", column)
            return false
        }
        guard found.chain(named: chain) != nil else {
            let names = found.chains.map(\.name)
            error("no chain \(table)/\(chain)\(Suggestion.hint(chain, among: names))", column)
            return false
        }
        return true
    }
}
