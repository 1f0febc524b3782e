// libxt_LED.c / net/netfilter/xt_LED.c: blink a LED trigger.

extension ExtensionSpec {
    static let quotedName = ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
        if arguments[0].isEmpty || arguments[0].utf8.count > 26 { throw ValueError("invalid trigger id \"\(arguments[0])\"") }
        return .text(arguments[0], quoted: true)
    }, print: { value, writer in
        if case .text(let text, _) = value { writer.string(text, forceQuotes: true) }
    })

    /// `-j LED --led-trigger-id NAME [--led-delay MS|inf] [--led-always-blink]`.
    public static let led = ExtensionSpec(
        "LED", kind: .target,
        options: [
            OptionSpec("led-trigger-id", quotedName, required: true),
            OptionSpec("led-delay", .number(0...UInt64(UInt32.max), name: "delay")),
            OptionSpec("led-always-blink", .flag),
        ])
}
