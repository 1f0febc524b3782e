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
            // physdev_mt_check: a locally generated packet has no output port yet; without
            // --physdev-is-bridged, --physdev-out and --physdev-is-out are refused at OUTPUT
            // (only there: this kernel loads them at PREROUTING, INPUT, FORWARD and POSTROUTING).
            let usesOut = call.has("physdev-out") || call.has("physdev-is-out")
            let bridged = call.setting("physdev-is-bridged").map { !$0.negated } ?? false
            return usesOut && !bridged ? [.prerouting, .input, .forward, .postrouting] : nil
        },
        evaluate: { call, packet in
            // xt_physdev.c physdev_mt. A packet that did not come in by a bridge port has no
            // bridge info: every option fails unless it is negated. With bridge info, the
            // out port is known only from FORWARD on (br_nf_forward_ip sets it), so at
            // PREROUTING even a bridged packet is not "--physdev-is-bridged"; --physdev-in
            // is skipped without an in port, and --physdev-out fails without an out port
            // whether negated or not.
            guard let bridged = packet.bridged else { return .unknown("physdev: whether the packet was bridged was not given") }
            guard let inPort = packet.physdevIn else {
                return call.spec.evaluateAll(call, packet) { setting, name in
                    setting.negated ? .matches : .fails("--\(name): the packet did not come in by a bridge port")
                }
            }
            let outPort = packet.physdevOut
            if bridged, outPort == nil, packet.hookState.hook == .forward || packet.hookState.hook == .postrouting,
               call.has("physdev-out") || call.has("physdev-is-out") || call.has("physdev-is-bridged") {
                return .unknown("physdev: the bridge port the frame leaves by is not known (flooded)")
            }
            return call.spec.evaluateAll(call, packet) { setting, name in
                let outcome: MatchOutcome
                switch (name, setting.value) {
                case ("physdev-is-bridged", _):
                    outcome = .check(outPort != nil, "the packet is not bridged (no output bridge port here)")
                case ("physdev-is-in", _):
                    outcome = .matches
                case ("physdev-is-out", _):
                    outcome = .check(outPort != nil, "no output bridge port")
                case ("physdev-in", .interface(let port)):
                    outcome = .check(port.matches(inPort), "input bridge port is not \(port)")
                case ("physdev-out", .interface(let port)):
                    guard let outPort else { return .fails("--physdev-out: no output bridge port here") }
                    outcome = .check(port.matches(outPort), "output bridge port is not \(port)")
                default:
                    return .matches
                }
                return outcome.negated(setting.negated, "--\(name) matches")
            }
        }, listing: .physdev)
}

// libxt_physdev.c physdev_print: `PHYSDEV match [!] --physdev-is-in [!] --physdev-in NAME
// [!] --physdev-is-out [!] --physdev-out NAME [!] --physdev-is-bridged`.
extension ListingForm {
    static let physdev = ListingForm.keywords(lead: "PHYSDEV match", [
        ListingKeyword("--physdev-is-in", "physdev-is-in", values: 0), ListingKeyword("--physdev-in", "physdev-in"),
        ListingKeyword("--physdev-is-out", "physdev-is-out", values: 0), ListingKeyword("--physdev-out", "physdev-out"),
        ListingKeyword("--physdev-is-bridged", "physdev-is-bridged", values: 0),
    ])
}
