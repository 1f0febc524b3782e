// libxt_TCPMSS.c / net/netfilter/xt_TCPMSS.c: rewrite the MSS option of SYN segments.

extension ExtensionSpec {
    /// `-j TCPMSS --set-mss N | --clamp-mss-to-pmtu`; needs `-p tcp` and, in the kernel's
    /// check (tcpmss_tg4_check), a tcp match that only lets SYN segments through.
    public static let tcpmssTarget = ExtensionSpec(
        "TCPMSS", kind: .target,
        options: [
            OptionSpec("set-mss", .number(0...65535, name: "MSS")),
            OptionSpec("clamp-mss-to-pmtu", .flag),
        ],
        hooks: [.forward, .output, .postrouting],
        finalize: { call, context in
            if context.requiredProtocol != IPProtocol.tcp {
                context.error("needs -p tcp")
                return
            }
            let synOnly = context.matches.contains { match in
                guard match.spec.name == "tcp", let flags = match.setting("tcp-flags"), !flags.negated,
                      case .masked(let compare, let mask) = flags.value else { return false }
                let syn = KeywordSet(["SYN"], in: tcpFlagNames).bits
                return mask & syn != 0 && compare & syn != 0
            }
            if !synOnly {
                context.error("only works on TCP SYN packets: add -m tcp --tcp-flags SYN,RST SYN (the kernel refuses the rule otherwise)")
            }
        },
        apply: { _, _ in .continue }, listing: .tcpmssTarget,
        groups: [.exactlyOne("set-mss", "clamp-mss-to-pmtu")])
}

// libxt_TCPMSS.c TCPMSS_print: `TCPMSS set N` or `TCPMSS clamp to PMTU`.
extension ListingForm {
    static let tcpmssTarget = ListingForm.keywords(lead: "TCPMSS", [
        ListingKeyword("set", "set-mss"), ListingKeyword("clamp to PMTU", "clamp-mss-to-pmtu", values: 0),
    ])
}
