// libxt_tcp / xt_tcpudp.c: ports, flags and options of TCP segments.

extension ExtensionSpec {
    /// The TCP flag names in the order iptables prints them.
    static let tcpFlagNames = ["FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"]

    static let tcpFlagList = ValueType(arity: .two, parse: { arguments, _ throws(ValueError) in
        func flags(_ text: String) throws(ValueError) -> [String] {
            var names = Set<String>()
            for part in text.split(separator: ",", omittingEmptySubsequences: false) {
                let upper = part.uppercased()
                switch upper {
                case "ALL": names.formUnion(tcpFlagNames)
                case "NONE": break
                default:
                    guard tcpFlagNames.contains(upper) else { throw ValueError("unknown TCP flag \"\(part)\"") }
                    names.insert(upper)
                }
            }
            return tcpFlagNames.filter(names.contains)
        }
        return .tuple([.words(try flags(arguments[0])), .words(try flags(arguments[1]))])
    }, print: { value, writer in
        guard case .tuple(let parts) = value, parts.count == 2 else { return }
        for part in parts {
            guard case .words(let names) = part else { continue }
            if names.count == tcpFlagNames.count {
                writer.word("FIN,SYN,RST,PSH,ACK,URG,ECE,CWR")
            } else {
                writer.word(names.isEmpty ? "NONE" : names.joined(separator: ","))
            }
        }
    })

    /// `-m tcp` (also loaded by `-p tcp`).
    public static let tcp = ExtensionSpec(
        "tcp", kind: .match,
        options: [
            OptionSpec("sport", aliases: ["source-port", "source-ports"], .portRange, negatable: true),
            OptionSpec("dport", aliases: ["destination-port", "destination-ports"], .portRange, negatable: true),
            OptionSpec("tcp-flags", tcpFlagList, negatable: true),
            OptionSpec("syn", .flag, negatable: true),
            OptionSpec("tcp-option", .number(1...255, name: "TCP option"), negatable: true),
        ],
        protocols: [IPProtocol.tcp],
        finalize: { call, context in
            tcpFinalize(&call, &context)
        },
        printer: { call, writer in printPortsDestinationFirstIfOld(call, &writer) })

    /// iptables 1.2 printed `--dport` before `--sport`.
    static func printPortsDestinationFirstIfOld(_ call: ExtensionCall, _ writer: inout SaveWriter) {
        let spec = call.spec
        var settings = call.settings
        if writer.style <= .v1_2, let sport = settings.firstIndex(where: { spec.options[$0.option].name == "sport" }),
           let dport = settings.firstIndex(where: { spec.options[$0.option].name == "dport" }) {
            settings.swapAt(sport, dport)
        }
        for setting in settings { spec.printSetting(setting, to: &writer) }
    }

    static func tcpFinalize(_ call: inout ExtensionCall, _ context: inout FinalizeContext) {
        // --syn is shorthand for --tcp-flags FIN,SYN,RST,ACK SYN.
        if let syn = call.setting("syn") {
            if call.has("tcp-flags") { context.error("--syn and --tcp-flags cannot be combined") }
            call.remove("syn")
            call.set("tcp-flags", .tuple([.words(["FIN", "SYN", "RST", "ACK"]), .words(["SYN"])]), negated: syn.negated)
        }
        dropFullPortRange(&call, "sport")
        dropFullPortRange(&call, "dport")
    }

    /// A port option covering 0:65535 without `!` matches everything; iptables omits it.
    static func dropFullPortRange(_ call: inout ExtensionCall, _ name: String) {
        if let setting = call.setting(name), !setting.negated, setting.value == .ports([.all]) {
            call.remove(name)
        }
    }
}
