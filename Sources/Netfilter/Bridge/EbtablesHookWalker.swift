// net/bridge/br_input.c, br_forward.c, br_netfilter: the ebtables chains each bridge hook
// runs, in priority order (broute's BROUTING before the bridge's PREROUTING, nat before
// filter at OUTPUT for legacy ebtables, after it for ebtables-nft: see EbtablesRuleset).

/// Walks a frame through every ebtables table at one bridge hook.
public enum EbtablesHookWalker {
    /// The table/chain pairs a hook runs, in order.
    public static func chains(at hook: Hook, in ruleset: EbtablesRuleset) -> [(table: String, chain: String)] {
        switch hook {
        case .prerouting: return [("broute", "BROUTING"), ("nat", "PREROUTING")]
        case .input: return [("filter", "INPUT")]
        case .forward: return [("filter", "FORWARD")]
        case .output: return ruleset.isNFTables ? [("filter", "OUTPUT"), ("nat", "OUTPUT")]
                                                : [("nat", "OUTPUT"), ("filter", "OUTPUT")]
        case .postrouting: return [("nat", "POSTROUTING")]
        }
    }

    /// One result per class of the packets: a table's ACCEPT goes on to the next table, DROP
    /// (or an undecided walk) ends there; the steps of every table walked, in order.
    public static func walk(_ ruleset: EbtablesRuleset, hook: Hook, packet: Packet, devices: BridgeDevices,
                            packets: PacketSpace? = nil) -> [EbtablesResult] {
        var pending = [EbtablesResult(verdict: .accept, logLines: [], steps: [], packet: packet, packets: packets)]
        for (tableName, chain) in chains(at: hook, in: ruleset) {
            guard let table = ruleset.table(named: tableName), table.chain(named: chain) != nil else { continue }
            pending = pending.flatMap { state -> [EbtablesResult] in
                guard state.verdict == .accept else { return [state] }
                return EbtablesWalker.walk(table, chain: chain, packet: state.packet, devices: devices,
                                           packets: state.packets, environment: state.environment).map { result in
                    var result = result
                    result.steps = state.steps + result.steps
                    result.logLines = state.logLines + result.logLines
                    return result
                }
            }
        }
        return pending
    }
}
