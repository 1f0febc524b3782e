// libxt_LOG.c / net/netfilter/xt_LOG.c (nf_log_syslog.c): log the packet to the kernel log.

extension ExtensionSpec {
    /// Syslog level names and numbers; iptables prints the number.
    static let logLevel = ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
        let names = ["emerg": 0, "alert": 1, "crit": 2, "error": 3, "err": 3, "warning": 4, "warn": 4,
                     "notice": 5, "info": 6, "debug": 7, "panic": 0]
        if let level = names[arguments[0].lowercased()] { return .number(UInt64(level)) }
        return .number(try parseNumber(arguments[0], in: 0...7, name: "log level"))
    }, print: { value, writer in
        if case .number(let level) = value { writer.word(String(level)) }
    })

    /// `-j LOG [--log-level L] [--log-prefix P] [--log-tcp-sequence] [--log-tcp-options]
    /// [--log-ip-options] [--log-uid] [--log-macdecode]`; level 4 is the default and not printed.
    public static let log = ExtensionSpec(
        "LOG", kind: .target,
        options: [
            OptionSpec("log-prefix", .text(maximumLength: 29)),
            OptionSpec("log-level", logLevel),
            OptionSpec("log-tcp-sequence", .flag),
            OptionSpec("log-tcp-options", .flag),
            OptionSpec("log-ip-options", .flag),
            OptionSpec("log-uid", .flag),
            OptionSpec("log-macdecode", .flag),
        ],
        finalize: { call, _ in
            if call.setting("log-level")?.value == .number(4) { call.remove("log-level") }
        },
        apply: { _, _ in .continue })
}
