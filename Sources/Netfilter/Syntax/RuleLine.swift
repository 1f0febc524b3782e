/// One rule line of a dump (`[counters] -A|-I|-N CHAIN ...`) read as far as it can be
/// without the parser's state (the chains declared so far): its counters, words, command
/// and options, which are most of a dump's reading. `SaveParser` then files the rule in
/// its chain.
struct RuleLine {
    enum Content {
        /// `-A CHAIN ...` or `-I CHAIN [N] ...`: the rule, its chain's word (an index into the
        /// line's words), and for `-I` the position (1 without a number) and the number's word.
        case rule(Rule, chainWord: Int, insertPosition: Int?, positionWord: Token?)
        /// `-N CHAIN`: a chain declared in rule form.
        case newChain(Token)
        /// Nothing to file: the diagnostics say why.
        case refused
    }

    var content: Content
    /// What preparing found, in the order the sequential reading reports it.
    var diagnostics: [Diagnostic]

    /// Reads one rule line of table `table` into `words` (reused from line to line);
    /// `column` is where its text starts, `lineStart` the byte index of the line's start.
    static func prepare(_ text: ArraySlice<UInt8>, line: Int, column: Int, lineStart: Int, table: String,
                        family: Family, options: ParseOptions, words: inout RuleWords,
                        texts: inout TextPool) -> RuleLine {
        var diagnostics: [Diagnostic] = []
        func refuse(_ message: String, column: Int, length: Int = 1) -> RuleLine {
            diagnostics.append(.error(message, at: SourceLocation(line: line, column: column), length: length))
            return RuleLine(content: .refused, diagnostics: diagnostics)
        }
        var ruleText = text
        var counters: Counters?
        if text.first == 0x5B {
            let close = text.firstIndex(of: 0x5D) ?? text.endIndex
            let counterBytes = text[text.startIndex..<min(close + 1, text.endIndex)]
            guard let parsed = SaveParser.parseCounters(counterBytes) else {
                return refuse("invalid counters '\(String(decoding: counterBytes, as: UTF8.self))' "
                              + "(expected [packets:bytes])", column: column, length: counterBytes.count)
            }
            counters = parsed
            ruleText = text[min(close + 1, text.endIndex)...]
        }
        let textColumn = ruleText.startIndex - lineStart + 1
        if let quoteColumn = words.split(ruleText, firstColumn: textColumn) {
            diagnostics.append(.warning("unterminated quote: as in iptables-restore, the rest of the line is one word",
                                        at: SourceLocation(line: line, column: quoteColumn)))
        }
        guard words.count > 0 else { return refuse("counters without a rule", column: column) }
        let command = words.token(0)
        var insertPosition: Int?
        switch command.text {
        case "-A", "--append":
            break
        case "-I", "--insert":
            insertPosition = 1
        case "-N", "--new-chain", "--new":
            guard words.count == 2 else {
                return refuse("'\(command.text)' takes exactly one chain name", column: command.column,
                              length: command.length)
            }
            return RuleLine(content: .newChain(words.token(1)), diagnostics: diagnostics)
        default:
            return refuse("unsupported command '\(command.text)' in a rule line (verdict reads -A, -I and -N)",
                          column: command.column, length: command.length)
        }
        guard words.count >= 2 else {
            return refuse("'\(command.text)' without a chain name", column: command.column, length: command.length)
        }
        var optionStart = 2
        var positionWord: Token?
        if insertPosition != nil, words.count > 2, let position = Int(words.text(2)) {
            insertPosition = position
            positionWord = words.token(2)
            optionStart = 3
        }
        var rule = RuleParser.parse(words, from: optionStart, family: family, table: table, line: line,
                                    options: options, texts: &texts, diagnostics: &diagnostics)
        rule.location = SourceLocation(line: line, column: command.column)
        if let counters { rule.counters = counters }
        if rule.isOpaque {
            let firstOption = optionStart < words.count ? Int(words[optionStart].column) - textColumn : ruleText.count
            rule.opaqueText = String(decoding: ruleText.dropFirst(max(0, firstOption)), as: UTF8.self)
        }
        let content = Content.rule(rule, chainWord: 1, insertPosition: insertPosition, positionWord: positionWord)
        return RuleLine(content: content, diagnostics: diagnostics)
    }
}
