// libxt_mac.c / net/netfilter/xt_mac.c: the Ethernet source address.

extension ExtensionSpec {
    /// `-m mac [!] --mac-source XX:XX:XX:XX:XX:XX`; only where a MAC header exists.
    public static let mac = ExtensionSpec(
        "mac", kind: .match,
        options: [OptionSpec("mac-source", .mac, negatable: true, required: true)],
        hooks: [.prerouting, .input, .forward],
        evaluate: { call, packet in
            guard let setting = call.setting("mac-source"), case .mac(let wanted) = setting.value else { return .matches }
            guard let actual = packet.sourceMAC else { return .unknown("--mac-source \(wanted): the source MAC was not given") }
            return MatchOutcome.check(actual == wanted, "source MAC \(actual) is not \(wanted)").negated(setting.negated, "source MAC \(wanted)")
        }, listing: .mac)
}

// libxt_mac.c mac_print: `MAC [! ]XX:XX:XX:XX:XX:XX`.
extension ListingForm {
    static let mac = ListingForm(leads: ["MAC"]) { reader in
        readMarkMatch(&reader, leads: ["MAC"], option: "mac-source")
    }
}
