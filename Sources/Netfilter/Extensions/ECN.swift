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
        }, listing: .ecn)
}

// libxt_ecn.c ecn_print: `ECN match [!]ECE [!]CWR [!]ECT=N`.
extension ListingForm {
    static let ecn = ListingForm(leads: ["ECN match"]) { reader in
        guard reader.cursor.takeWord("ECN match") else { return false }
        while let word = reader.cursor.peekWord() {
            let column = reader.cursor.columnAfterBlanks
            let negated = word.hasPrefix("!")
            let name = negated ? String(word.dropFirst()) : word
            if name == "ECE" || name == "CWR" {
                reader.option(name == "ECE" ? "ecn-tcp-ece" : "ecn-tcp-cwr", negated: negated, column: column)
            } else if name.hasPrefix("ECT=") {
                reader.option("ecn-ip-ect", [String(name.dropFirst(4))], negated: negated, column: column)
            } else {
                break
            }
            _ = reader.cursor.word()
        }
        return true
    }
}
