// One rule's options, read the way ebtables-nft's getopt loop reads them (xtables-eb.c
// do_commandeb): `!` before an option or right after it negates it, each option at most
// once, a target's options only after its -j.

/// Reads one ebtables rule's words into an `EbtablesRule`, driven by `EbtablesModule`'s
/// option tables; every problem a diagnostic.
enum EbtablesRuleParser {
    static func parse(_ tokens: [Token], line: Int, lenient: Bool) -> (rule: EbtablesRule, diagnostics: [Diagnostic]) {
        var rule = EbtablesRule(line: line)
        var diagnostics: [Diagnostic] = []
        var seen: Set<String> = []
        var index = 0
        var negated = false
        var readable: [EbtablesRule.WrittenOption] = []
        var unknown: [String] = []
        func error(_ message: String, _ token: Token) {
            diagnostics.append(.error(message, at: SourceLocation(line: line, column: token.column),
                                      length: token.length))
        }
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            if token.text == "!" {
                if negated { error("'!' given twice", token) }
                negated = true
                continue
            }
            guard let option = EbtablesModule.option(token.text) else {
                if !token.text.hasPrefix("-") {
                    error("unexpected '\(token.text)' (an option was expected)", token)
                } else if lenient {
                    let location = SourceLocation(line: line, column: token.column)
                    diagnostics.append(.warning("unknown option '\(token.text)': kept, not evaluated",
                                                at: location, length: token.length))
                    var text = (negated ? "! " : "") + token.text
                    if index < tokens.count, !tokens[index].text.hasPrefix("-") {
                        text += " " + tokens[index].text
                        index += 1
                    }
                    unknown.append(text)
                } else {
                    error("unknown option '\(token.text)'", token)
                }
                negated = false
                continue
            }
            if seen.contains(option.name) {
                error("\(token.text): multiple use of the same option is not allowed", token)
            }
            seen.insert(option.name)
            if option.module != "", EbtablesModule.named(option.module)?.kind == .target,
               option.module != rule.target.lowercased() {
                error("\(token.text) belongs to the \(option.module) target: give it after -j \(option.module)", token)
            }
            var values: [String] = []
            var problem = false
            for _ in 0..<option.words {
                if index < tokens.count, tokens[index].text == "!", values.isEmpty {
                    if negated { error("'!' given twice", tokens[index]) }
                    negated = true
                    index += 1
                }
                guard index < tokens.count else {
                    error("\(token.text) needs a value", token)
                    problem = true
                    break
                }
                let value = tokens[index]
                if let message = option.value?.problem(value.text) {
                    error(message, value)
                    problem = true
                } else if option.value == .target, option.name != "-j", !standardVerdicts.contains(value.text) {
                    error("\(token.text) \(value.text): the target's verdict is ACCEPT, DROP, CONTINUE or RETURN",
                          value)
                    problem = true
                }
                values.append(value.text)
                index += 1
            }
            if negated, !option.negatable, option.name != "-j" {
                error("\(token.text) cannot be negated", token)
            }
            let written = EbtablesRule.WrittenOption(option: option, values: values,
                                                     negated: negated && option.negatable,
                                                     column: token.column, length: token.length)
            rule.options.append(written)
            if !problem, option.module.isEmpty {
                EbtBasic.apply(written, to: &rule)
            } else if !problem {
                readable.append(written)
            }
            negated = false
        }
        if let last = tokens.last, negated { error("'!' at the end of the rule", last) }
        model(&rule, readable, unknown: unknown)
        return (rule, diagnostics)
    }

    /// The rule's modules' values from their options read without a problem: each module
    /// reads its own options once; an unknown option is a condition.
    static func model(_ rule: inout EbtablesRule, _ options: [EbtablesRule.WrittenOption], unknown: [String]) {
        var modules: [String] = []
        for written in options where !modules.contains(written.option.module) {
            modules.append(written.option.module)
        }
        let target = rule.target.lowercased()
        if let module = EbtablesModule.named(target), module.kind == .target, !modules.contains(target) {
            modules.append(target)
        }
        for name in modules {
            guard let module = EbtablesModule.named(name), let read = module.read else { continue }
            let own = EbtablesOptions(written: options.filter { $0.option.module == name })
            let value = EbtablesExtensionValue(read(own), module: name)
            switch module.kind {
            case .match: rule.matches.append(value)
            case .watcher: rule.watchers.append(value)
            case .target where name == target: rule.action = value
            case .target, .basic: break
            }
        }
        rule.matches += unknown.map { EbtablesExtensionValue(EbtUnknownOption(text: $0), module: "") }
    }

    static let standardVerdicts: Set<String> = ["ACCEPT", "DROP", "CONTINUE", "RETURN"]
}
