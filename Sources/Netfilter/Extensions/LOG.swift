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
        apply: { _, _ in .continue }, traits: [.observes, .logsPackets], listing: .log)
}

// libxt_LOG.c LOG_print: `LOG flags N level N [prefix "P"]` with -n (flags: 1 tcp-sequence,
// 2 tcp-options, 4 ip-options, 8 uid, 0x20 macdecode), `LOG level NAME [tcp-sequence]
// [tcp-options] [ip-options] [uid] [macdecode] [prefix "P"]` without it. The prefix is
// printed unescaped and last, so it runs to the line's last quote; iptables before 1.4.11
// quoted it as `prefix `P'`.
extension ListingForm {
    static let log = ListingForm(leads: ["LOG"]) { reader in
        let column = reader.cursor.columnAfterBlanks
        guard reader.cursor.takeWord("LOG") else { return false }
        let flagNames: [(UInt64, String, String)] = [
            (0x01, "tcp-sequence", "log-tcp-sequence"), (0x02, "tcp-options", "log-tcp-options"),
            (0x04, "ip-options", "log-ip-options"), (0x08, "uid", "log-uid"), (0x20, "macdecode", "log-macdecode"),
        ]
        if reader.cursor.takeWord("flags") {
            guard let (flags, flagsColumn) = reader.cursor.word(), let bits = parseUnsigned(flags),
                  reader.cursor.takeWord("level"), let (level, levelColumn) = reader.cursor.word() else {
                reader.fail("LOG flags without 'N level N'", column: column)
                return true
            }
            for (bit, _, option) in flagNames where bits & bit != 0 { reader.option(option, column: flagsColumn) }
            if bits & ~0x2F != 0 { reader.lost("LOG flags 0x\(String(bits, radix: 16)) hold bits verdict does not know", column: flagsColumn) }
            reader.option("log-level", [level], column: levelColumn)
        } else {
            let levelColumn = reader.cursor.columnAfterBlanks
            _ = reader.cursor.takeWord("UNKNOWN")
            guard reader.cursor.takeWord("level"), let (level, _) = reader.cursor.word() else {
                reader.fail("LOG without its level", column: column)
                return true
            }
            reader.option("log-level", [level], column: levelColumn)
            while let word = reader.cursor.peekWord(), let flag = flagNames.first(where: { $0.1 == word }) {
                let flagColumn = reader.cursor.columnAfterBlanks
                _ = reader.cursor.word()
                reader.option(flag.2, column: flagColumn)
            }
        }
        let prefixColumn = reader.cursor.columnAfterBlanks
        if reader.cursor.takeWord("prefix") {
            guard let prefix = reader.cursor.quotedToLineEnd(open: "\"", close: 0x22)
                    ?? reader.cursor.quotedToLineEnd(open: "`", close: 0x27) else {
                reader.fail("LOG prefix without its quotes", column: prefixColumn)
                return true
            }
            reader.option("log-prefix", [prefix], column: prefixColumn)
        }
        return true
    }
}
