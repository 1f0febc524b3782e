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
        ], traits: .observes, listing: .led)
}

// libxt_LED.c led_print: `led-trigger-id:"ID" [led-delay:Nms|inf] [led-always-blink]`.
extension ListingForm {
    static let led = ListingForm(leads: ["led-trigger-id:"]) { reader in
        let column = reader.cursor.columnAfterBlanks
        guard reader.cursor.takePrefix("led-trigger-id:"), let id = reader.cursor.savedString() else { return false }
        reader.option("led-trigger-id", [id], column: column)
        let delayColumn = reader.cursor.columnAfterBlanks
        if reader.cursor.takePrefix("led-delay:"), let (delay, _) = reader.cursor.gluedWord() {
            reader.option("led-delay", [delay.hasSuffix("ms") ? String(delay.dropLast(2)) : delay], column: delayColumn)
        }
        let blinkColumn = reader.cursor.columnAfterBlanks
        if reader.cursor.takeWord("led-always-blink") { reader.option("led-always-blink", column: blinkColumn) }
        return true
    }
}
