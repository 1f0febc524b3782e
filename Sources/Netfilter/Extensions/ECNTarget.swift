// libipt_ECN.c / net/ipv4/netfilter/ipt_ECN.c: rewrite ECN bits (IPv4).

extension ExtensionSpec {
    /// `-j ECN --ecn-tcp-remove | --ecn-tcp-cwr N | --ecn-tcp-ece N | --ecn-ip-ect N`, mangle table.
    public static let ecnTarget = ExtensionSpec(
        "ECN", kind: .target, families: .ipv4,
        options: [
            OptionSpec("ecn-tcp-remove", .flag),
            OptionSpec("ecn-tcp-cwr", .number(0...1, name: "value")),
            OptionSpec("ecn-tcp-ece", .number(0...1, name: "value")),
            OptionSpec("ecn-ip-ect", .number(0...3, name: "value")),
        ],
        requiresOption: true, tables: ["mangle"],
        finalize: { call, context in
            let tcp = call.has("ecn-tcp-remove") || call.has("ecn-tcp-cwr") || call.has("ecn-tcp-ece")
            if tcp && context.requiredProtocol != IPProtocol.tcp { context.error("the TCP options need -p tcp") }
        }, listing: .ecnTarget)
}

// libipt_ECN.c ECN_print: `ECN TCP remove`, or `ECN [ECE=N] [CWR=N] [ECT codepoint=N]`.
extension ListingForm {
    static let ecnTarget = ListingForm(leads: ["ECN"]) { reader in
        guard reader.cursor.takeWord("ECN") else { return false }
        let column = reader.cursor.columnAfterBlanks
        if reader.cursor.takeWord("TCP remove") {
            reader.option("ecn-tcp-remove", column: column)
            return true
        }
        while true {
            let itemColumn = reader.cursor.columnAfterBlanks
            if reader.cursor.takePrefix("ECE="), let (value, _) = reader.cursor.gluedWord() {
                reader.option("ecn-tcp-ece", [value], column: itemColumn)
            } else if reader.cursor.takePrefix("CWR="), let (value, _) = reader.cursor.gluedWord() {
                reader.option("ecn-tcp-cwr", [value], column: itemColumn)
            } else if reader.cursor.takePrefix("ECT codepoint="), let (value, _) = reader.cursor.gluedWord() {
                reader.option("ecn-ip-ect", [value], column: itemColumn)
            } else {
                break
            }
        }
        return true
    }
}
