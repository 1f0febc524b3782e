// libxt_physdev.c / net/netfilter/xt_physdev.c: bridge ports of bridged packets.

extension ExtensionSpec {
    /// `-m physdev [!] --physdev-in IF [!] --physdev-out IF [!] --physdev-is-in
    /// [!] --physdev-is-out [!] --physdev-is-bridged`.
    public static let physdev = ExtensionSpec(
        "physdev", kind: .match,
        options: [
            OptionSpec("physdev-is-in", .flag, negatable: true),
            OptionSpec("physdev-in", .interface, negatable: true),
            OptionSpec("physdev-is-out", .flag, negatable: true),
            OptionSpec("physdev-out", .interface, negatable: true),
            OptionSpec("physdev-is-bridged", .flag, negatable: true),
        ],
        requiresOption: true,
        hookCheck: { call in
            // physdev_mt_check: the output port is known only for bridged packets; without
            // --physdev-is-bridged it is refused at OUTPUT, FORWARD and POSTROUTING.
            let usesOut = call.has("physdev-out") || call.has("physdev-is-out")
            let bridged = call.setting("physdev-is-bridged").map { !$0.negated } ?? false
            return usesOut && !bridged ? [.prerouting, .input] : nil
        },
        evaluate: { call, packet in
            // xt_physdev.c physdev_mt: a packet that was not bridged has no bridge ports.
            guard let bridged = packet.bridged else { return .unknown("physdev: whether the packet was bridged was not given") }
            return call.spec.evaluateAll(call, packet) { setting, name in
                let outcome: MatchOutcome
                switch (name, setting.value) {
                case ("physdev-is-bridged", _):
                    outcome = .check(bridged, "the packet was not bridged")
                case ("physdev-is-in", _):
                    outcome = .check(bridged && packet.physdevIn != nil, "no input bridge port")
                case ("physdev-is-out", _):
                    outcome = .check(bridged && packet.physdevOut != nil, "no output bridge port")
                case ("physdev-in", .interface(let port)):
                    outcome = .check(bridged && packet.physdevIn.map(port.matches) == true, "input bridge port is not \(port)")
                case ("physdev-out", .interface(let port)):
                    outcome = .check(bridged && packet.physdevOut.map(port.matches) == true, "output bridge port is not \(port)")
                default:
                    return .matches
                }
                return outcome.negated(setting.negated, "--\(name) matches")
            }
        })
}
