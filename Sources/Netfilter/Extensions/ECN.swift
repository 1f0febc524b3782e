// libxt_ecn.c / net/netfilter/xt_ecn.c: ECN bits of IP and TCP headers.

extension ExtensionSpec {
    /// `-m ecn [!] --ecn-tcp-cwr [!] --ecn-tcp-ece [!] --ecn-ip-ect N`.
    public static let ecn = ExtensionSpec(
        "ecn", kind: .match,
        options: [
            OptionSpec("ecn-tcp-cwr", .flag, negatable: true),
            OptionSpec("ecn-tcp-ece", .flag, negatable: true),
            OptionSpec("ecn-ip-ect", .number(0...3, name: "ECT"), negatable: true),
        ],
        requiresOption: true,
        finalize: { call, context in
            // ecn_mt_check: the TCP bits need -p tcp.
            if (call.has("ecn-tcp-cwr") || call.has("ecn-tcp-ece")) && context.requiredProtocol != IPProtocol.tcp {
                context.error("--ecn-tcp-cwr and --ecn-tcp-ece need -p tcp")
            }
        },
        printer: { call, writer in
            // libxt_ecn prints ECE before CWR.
            for name in ["ecn-tcp-ece", "ecn-tcp-cwr", "ecn-ip-ect"] {
                if let setting = call.setting(name) { call.spec.printSetting(setting, to: &writer) }
            }
        })
}
