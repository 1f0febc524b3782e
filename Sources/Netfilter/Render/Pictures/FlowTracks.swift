// net/bridge/br_netfilter_hooks.c (br_nf_pre_routing, br_nf_forward_ip and
// br_nf_post_routing call the IPv4/IPv6 hooks from the bridge's), net/bridge/br_input.c
// (broute, then NF_BR_PRE_ROUTING, the forwarding decision, NF_BR_LOCAL_IN or
// NF_BR_FORWARD), br_forward.c (NF_BR_FORWARD, NF_BR_POST_ROUTING), HostPath (the order
// verdict follows).

/// The tracks of the netfilter flow diagram: which station leads to which, the way the
/// kernel passes packets between hooks. A packet's journey is drawn along them; the
/// diagram draws them all in grey.
enum FlowTracks {
    /// Every track, in drawing order.
    static let all: [(from: FlowStation, to: FlowStation)] = [
        (.entry(.ip), .ipHook(.prerouting)),
        (.ipHook(.prerouting), .routing),
        (.routing, .ipHook(.input)),
        (.routing, .ipHook(.forward)),
        (.ipHook(.input), .localProcess),
        (.localProcess, .localRouting),
        (.localRouting, .ipHook(.output)),
        (.ipHook(.output), .ipHook(.postrouting)),
        (.ipHook(.forward), .ipHook(.postrouting)),
        (.ipHook(.postrouting), .exit(.ip)),
        (.ipHook(.postrouting), .ipHook(.prerouting)),
        (.ipHook(.postrouting), .bridgeHook("OUTPUT")),
        (.entry(.bridge), .bridgeHook("BROUTING")),
        (.bridgeHook("BROUTING"), .bridgeHook("PREROUTING")),
        (.bridgeHook("PREROUTING"), .bridgedHook(.prerouting)),
        (.bridgedHook(.prerouting), .bridging),
        (.bridging, .bridgeHook("INPUT")),
        (.bridgeHook("INPUT"), .routing),
        (.bridging, .bridgeHook("FORWARD")),
        (.bridgeHook("FORWARD"), .bridgedHook(.forward)),
        (.bridgedHook(.forward), .bridgeHook("POSTROUTING")),
        (.bridgeHook("POSTROUTING"), .bridgedHook(.postrouting)),
        (.bridgedHook(.postrouting), .exit(.bridge)),
        (.bridgeHook("OUTPUT"), .bridgeHook("POSTROUTING")),
        (.bridgeHook("POSTROUTING"), .exit(.bridge)),
    ]

    /// Tracks drawn only when a packet takes them (bridge-nf-call-iptables 0: the bridge
    /// without iptables).
    static let rare: [(from: FlowStation, to: FlowStation)] = [
        (.bridgeHook("PREROUTING"), .bridging),
        (.bridgeHook("FORWARD"), .bridgeHook("POSTROUTING")),
    ]

    static func connects(_ from: FlowStation, _ to: FlowStation) -> Bool {
        (all + rare).contains { $0.from == from && $0.to == to }
    }

    /// The stations a packet passes between two stations with no track between them: the
    /// shortest way along the tracks through stations where nothing may be recorded
    /// (ebtables hooks without rules, a routing decision the path does not note).
    static func passage(from: FlowStation, to: FlowStation) -> [FlowStation]? {
        func passable(_ station: FlowStation) -> Bool {
            switch station {
            case .bridgeHook, .routing: return true
            default: return false
            }
        }
        var previous: [FlowStation: FlowStation] = [:]
        var queue = [from]
        var index = 0
        while index < queue.count {
            let station = queue[index]
            index += 1
            for track in all where track.from == station && previous[track.to] == nil && track.to != from {
                previous[track.to] = station
                if track.to == to {
                    var path: [FlowStation] = []
                    var cursor = station
                    while cursor != from {
                        path.append(cursor)
                        guard let back = previous[cursor] else { return nil }
                        cursor = back
                    }
                    return path.reversed()
                }
                if passable(track.to) { queue.append(track.to) }
            }
        }
        return nil
    }
}
