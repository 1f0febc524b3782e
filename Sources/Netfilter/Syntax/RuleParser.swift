/// Reads the options of one rule (everything after `-A CHAIN`) the way iptables'
/// command parser does: standard options, `-m` loading a match whose declared options
/// then become available, `-p` loading its protocol match on demand, `-j`/`-g`, and
/// `!` before any option that may be negated.
struct RuleParser {
    private let family: Family
    private let table: String
    private let line: Int
    private let options: ParseOptions
    private var rule = Rule()
    private var errors: [Diagnostic] = []
    private var unknowns: [Diagnostic] = []
    private var warnings: [Diagnostic] = []
    /// Loaded extensions in load order: matches, and the target (if any) by index.
    private var loaded: [ExtensionCall] = []
    private var targetIndex: Int?
    /// Loaded extensions with an option whose value was refused: their combination
    /// checks would only repeat that error in other words, so they are skipped.
    private var callsWithBadValues: Set<Int> = []
    private var implicitProtocolLoaded = false
    /// The standard options already given (one bit per option letter).
    private var seenStandard = StandardOptionSet()
    /// Set after `-m UNKNOWN`: the options that follow probably belong to it, so they
    /// are skipped instead of reported once more.
    private var skippingUnknownModule = false

    static func parse(_ tokens: ArraySlice<Token>, family: Family, table: String, line: Int,
                      options: ParseOptions, diagnostics: inout [Diagnostic]) -> Rule {
        var parser = RuleParser(family: family, table: table, line: line, options: options)
        parser.run(tokens)
        if !parser.unknowns.isEmpty && options.lenient {
            var opaque = Rule()
            opaque.opaqueText = ""
            diagnostics += parser.unknowns.map { Diagnostic(.warning, $0.message + " (rule kept as opaque text)", at: $0.location, length: $0.length) }
            return opaque
        }
        diagnostics += parser.unknowns + parser.errors + parser.warnings
        return parser.rule
    }

    private init(family: Family, table: String, line: Int, options: ParseOptions) {
        self.family = family
        self.table = table
        self.line = line
        self.options = options
    }

    private mutating func fail(_ message: String, _ token: Token) {
        errors.append(.error(message, at: SourceLocation(line: line, column: token.column), length: token.length))
    }

    private mutating func unknown(_ message: String, _ token: Token) {
        unknowns.append(.error(message, at: SourceLocation(line: line, column: token.column), length: token.length))
    }

    // MARK: - The option loop

    private mutating func run(_ tokens: ArraySlice<Token>) {
        var index = tokens.startIndex
        var negation: Token?
        while index < tokens.endIndex {
            let token = tokens[index]
            index += 1
            if token.text == "!" && !token.quoted {
                if negation != nil { fail("multiple '!' flags are not allowed", token) }
                negation = token
                continue
            }
            guard token.text.hasPrefix("-"), token.text.count >= 2, !token.quoted else {
                fail("unexpected argument '\(token.text)' (an option starting with - was expected)", token)
                continue
            }
            if token.text.hasPrefix("--") {
                let utf8 = token.text.utf8
                var name = String(Substring(token.text.utf8.dropFirst(2)))
                var attached: String?
                if let equals = utf8.firstIndex(of: 0x3D) {
                    attached = String(Substring(utf8[utf8.index(after: equals)...]))
                    name = String(Substring(utf8[utf8.index(utf8.startIndex, offsetBy: 2)..<equals]))
                }
                handleLong(name, attached: attached, token: token, negation: negation, tokens: tokens, index: &index)
            } else {
                let letter = token.text[token.text.index(after: token.text.startIndex)]
                let rest = String(token.text.dropFirst(2))
                handleShort(letter, attached: rest.isEmpty ? nil : rest, token: token, negation: negation, tokens: tokens, index: &index)
            }
            negation = nil
        }
        if let negation { fail("'!' at the end of the rule negates nothing", negation) }
        finish()
    }

    /// Takes the argument of an option: the attached `=value`/`-xVALUE`, else the next word.
    /// An intrapositioned `!` (`--dport ! 22`, iptables 1.4 style) negates the option.
    private mutating func argument(attached: String?, token: Token, tokens: ArraySlice<Token>, index: inout Int,
                                   negated: inout Bool, negatable: Bool) -> String? {
        if let attached { return attached }
        guard index < tokens.endIndex else {
            fail("option '\(token.text)' requires an argument", token)
            return nil
        }
        var value = tokens[index]
        index += 1
        if value.text == "!" && !value.quoted && negatable && index < tokens.endIndex {
            if negated { fail("multiple '!' flags are not allowed", value) }
            negated = true
            value = tokens[index]
            index += 1
        }
        return value.text
    }

    private static let longStandard: [String: Character] = [
        "protocol": "p", "source": "s", "src": "s", "destination": "d", "dst": "d",
        "in-interface": "i", "out-interface": "o", "fragments": "f", "fragment": "f",
        "jump": "j", "goto": "g", "match": "m", "set-counters": "c", "ipv4": "4", "ipv6": "6",
    ]

    private mutating func handleLong(_ name: String, attached: String?, token: Token, negation: Token?,
                                     tokens: ArraySlice<Token>, index: inout Int) {
        // Standard options take precedence over extension options, as in iptables.
        if let standard = Self.longStandard[name] {
            handleShort(standard, attached: attached, token: token, negation: negation, tokens: tokens, index: &index)
            return
        }
        switch resolveExtensionOption(name) {
        case .found(let callIndex, let optionIndex):
            applyExtensionOption(callIndex: callIndex, optionIndex: optionIndex, attached: attached, token: token,
                                 negation: negation, tokens: tokens, index: &index)
        case .ambiguous(let candidates):
            fail("option '--\(name)' is ambiguous (could be \(candidates.map { "--" + $0 }.joined(separator: ", ")))", token)
        case .missing:
            // As iptables does: load the protocol's match once and try again.
            if !implicitProtocolLoaded, let proto = rule.header.requiredProtocol,
               let id = ExtensionRegistry.protocolMatch(for: proto, family: family) {
                implicitProtocolLoaded = true
                loaded.append(ExtensionCall(id: id, location: SourceLocation(line: line, column: token.column)))
                handleLong(name, attached: attached, token: token, negation: negation, tokens: tokens, index: &index)
                return
            }
            if skippingUnknownModule {
                if attached == nil, index < tokens.endIndex, !tokens[index].text.hasPrefix("-") { index += 1 }
                return
            }
            let context = loaded.map { ExtensionRegistry.spec($0.id).name }
            let hint = context.isEmpty ? "" : " (loaded: \(context.joined(separator: ", ")))"
            unknown("unknown option '--\(name)'\(hint)", token)
            // Skip what is probably its argument, so one mistake gives one error.
            if attached == nil, index < tokens.endIndex, !tokens[index].text.hasPrefix("-") { index += 1 }
        }
    }

    private enum Resolution {
        case found(Int, Int)
        case ambiguous([String])
        case missing
    }

    /// Finds the option among loaded extensions, newest first (iptables merges each new
    /// extension's options in front); exact names win, then unambiguous prefixes.
    private func resolveExtensionOption(_ name: String) -> Resolution {
        for callIndex in loaded.indices.reversed() {
            let spec = ExtensionRegistry.spec(loaded[callIndex].id)
            if let optionIndex = spec.optionsBySpelling[name] {
                return .found(callIndex, optionIndex)
            }
        }
        var candidates: [(Int, Int, String)] = []
        for callIndex in loaded.indices.reversed() {
            let spec = ExtensionRegistry.spec(loaded[callIndex].id)
            for (optionIndex, option) in spec.options.enumerated()
            where ([option.name] + option.aliases).contains(where: { $0.hasPrefix(name) }) {
                candidates.append((callIndex, optionIndex, option.name))
            }
        }
        let standardPrefixes = Self.longStandard.filter { $0.key.hasPrefix(name) }
        if candidates.count == 1 && standardPrefixes.isEmpty { return .found(candidates[0].0, candidates[0].1) }
        if candidates.count + standardPrefixes.count > 1 {
            return .ambiguous(candidates.map(\.2) + standardPrefixes.map(\.key).sorted())
        }
        return .missing
    }

    private mutating func applyExtensionOption(callIndex: Int, optionIndex: Int, attached: String?, token: Token,
                                               negation: Token?, tokens: ArraySlice<Token>, index: inout Int) {
        let spec = ExtensionRegistry.spec(loaded[callIndex].id)
        let option = spec.options[optionIndex]
        var negated = negation != nil
        var arguments = OptionArguments("")
        switch option.value.arity {
        case .none:
            if attached != nil { fail("option '--\(option.name)' takes no argument", token) }
        case .one:
            guard let value = argument(attached: attached, token: token, tokens: tokens, index: &index,
                                       negated: &negated, negatable: option.negatable) else { return }
            arguments = OptionArguments(value)
        case .two:
            guard let first = argument(attached: attached, token: token, tokens: tokens, index: &index,
                                       negated: &negated, negatable: option.negatable) else { return }
            guard index < tokens.endIndex else {
                fail("option '--\(option.name)' requires two arguments", token)
                return
            }
            arguments = OptionArguments(first, tokens[index].text)
            index += 1
        case .optional:
            if let attached {
                arguments = OptionArguments(attached)
            } else if index < tokens.endIndex, !tokens[index].text.hasPrefix("-"), tokens[index].text != "!" {
                arguments = OptionArguments(tokens[index].text)
                index += 1
            }
        }
        if negated && !option.negatable {
            fail("option '--\(option.name)' of \(spec.name) cannot be negated with '!'", negation ?? token)
        }
        if !option.repeatable && loaded[callIndex].settings.contains(where: { $0.option == optionIndex }) {
            fail("option '--\(option.name)' may only be given once", token)
            return
        }
        do throws(ValueError) {
            var value = try option.value.parse(arguments, ValueContext(family: family))
            if let kept = option.value.keepsBytes, arguments[0].utf8.count > kept,
               let argumentToken = attached == nil ? tokens[safe: index - 1] : token {
                warnings.append(.warning("\(spec.name): --\(option.name): iptables keeps only the first \(kept) bytes "
                                         + "of the \(arguments[0].utf8.count) given",
                                         at: SourceLocation(line: line, column: argumentToken.column),
                                         length: argumentToken.length))
            }
            if case .text(let text, _) = value, let argumentToken = tokens[safe: index - 1], attached == nil {
                value = .text(text, quoted: argumentToken.quoted)
            }
            loaded[callIndex].settings.append(OptionSetting(option: optionIndex, negated: negated, value: value))
        } catch {
            fail("\(spec.name): --\(option.name): \(error.message)", attached == nil ? (tokens[safe: index - 1] ?? token) : token)
            callsWithBadValues.insert(callIndex)
        }
    }

    // MARK: - Standard options

    private mutating func handleShort(_ letter: Character, attached: String?, token: Token, negation: Token?,
                                      tokens: ArraySlice<Token>, index: inout Int) {
        var negated = negation != nil
        func value(_ parser: inout RuleParser, negatable: Bool) -> String? {
            parser.argument(attached: attached, token: token, tokens: tokens, index: &index, negated: &negated, negatable: negatable)
        }
        func once(_ parser: inout RuleParser) -> Bool {
            if parser.seenStandard.contains(letter) {
                parser.fail("option '-\(letter)' may only be given once", token)
                return false
            }
            parser.seenStandard.insert(letter)
            return true
        }
        switch letter {
        case "p":
            guard let text = value(&self, negatable: true), once(&self) else { return }
            guard let number = IPProtocol.number(for: text) else {
                fail("unknown protocol '\(text)'", tokens[safe: index - 1] ?? token)
                return
            }
            if number == 0 && negated {
                fail("'! -p \(text)' matches no packet; iptables refuses it", tokens[safe: index - 1] ?? token)
                return
            }
            rule.header.protocol = Negatable(number, negated: negated)
            if UInt8(text) == nil { rule.header.protocolSpelling = text.lowercased() }
        case "s", "d":
            guard let text = value(&self, negatable: true), once(&self) else { return }
            do throws(ValueError) {
                let network = try parseNetwork(text, family: family)
                if letter == "s" { rule.header.source = Negatable(network, negated: negated) }
                else { rule.header.destination = Negatable(network, negated: negated) }
            } catch {
                fail(error.message, tokens[safe: index - 1] ?? token)
            }
        case "i", "o":
            guard let text = value(&self, negatable: true), once(&self) else { return }
            do throws(ValueError) {
                let name = try parseInterface(text)
                if text.contains(" ") || text.contains("/"), let argument = tokens[safe: index - 1] {
                    // xtables_parse_interface's own warning: it loads the name all the same.
                    warnings.append(.warning("weird character in interface '\(text)' ('/' and ' ' are not allowed "
                                             + "by the kernel in device names: it matches no device)",
                                             at: SourceLocation(line: line, column: argument.column),
                                             length: argument.length))
                }
                if letter == "i" { rule.header.inInterface = Negatable(name, negated: negated) }
                else { rule.header.outInterface = Negatable(name, negated: negated) }
            } catch {
                fail(error.message, tokens[safe: index - 1] ?? token)
            }
        case "f":
            guard once(&self) else { return }
            if family == .ipv6 {
                fail("-f is not available in ip6tables (use -m frag)", token)
                return
            }
            rule.header.fragment = Negatable(true, negated: negated)
        case "m":
            skippingUnknownModule = false
            guard let name = value(&self, negatable: false) else { return }
            if negated { fail("'!' cannot be used with -m", negation ?? token) }
            guard let id = ExtensionRegistry.match(named: name, family: family) else {
                unknown("unknown match module '\(name)'", tokens[safe: index - 1] ?? token)
                skippingUnknownModule = true
                return
            }
            loaded.append(ExtensionCall(id: id, location: SourceLocation(line: line, column: token.column)))
        case "j", "g":
            skippingUnknownModule = false
            guard let name = value(&self, negatable: false) else { return }
            if negated { fail("'!' cannot be used with -\(letter)", negation ?? token) }
            if seenStandard.contains("j") || seenStandard.contains("g") {
                fail("a rule has only one target (-j or -g given twice)", token)
                return
            }
            seenStandard.insert(letter)
            rule.targetLocation = SourceLocation(line: line, column: token.column)
            let nameToken = tokens[safe: index - 1] ?? token
            if name.isEmpty {
                fail("empty target name", nameToken)
            } else if letter == "g" {
                if let problem = ChainNameRules.problem(with: name) { fail("-g: " + problem, nameToken) }
                rule.target = .goto(name)
            } else if let verdict = StandardVerdict(rawValue: name) {
                rule.target = .verdict(verdict)
            } else if let id = ExtensionRegistry.target(named: name, family: family) {
                targetIndex = loaded.count
                loaded.append(ExtensionCall(id: id, location: SourceLocation(line: line, column: token.column)))
            } else if let problem = ChainNameRules.problem(with: name) {
                fail("-j: " + problem, nameToken)
            } else {
                rule.target = .jump(name)
            }
        case "c":
            guard var packets = value(&self, negatable: false) else { return }
            var bytes: String
            if let comma = packets.utf8.firstIndex(of: 0x2C) {
                // iptables also takes `-c PACKETS,BYTES`.
                bytes = String(Substring(packets.utf8[packets.utf8.index(after: comma)...]))
                packets = String(Substring(packets.utf8[..<comma]))
            } else {
                guard index < tokens.endIndex else {
                    fail("-c requires two arguments: packets and bytes", token)
                    return
                }
                bytes = tokens[index].text
                index += 1
            }
            guard let p = UInt64(packets), let b = UInt64(bytes) else {
                fail("-c: invalid counters '\(packets) \(bytes)'", token)
                return
            }
            rule.counters = Counters(packets: p, bytes: b)
        case "4":
            if family != .ipv4 { fail("-4 in an IPv6 dump: the rule would be skipped by ip6tables-restore", token) }
        case "6":
            if family != .ipv6 { fail("-6 in an IPv4 dump: the rule would be skipped by iptables-restore", token) }
        default:
            unknown("unknown option '\(token.text)'", token)
            return
        }
    }

    // MARK: - After the last word

    private mutating func finish() {
        let requiredProtocol = rule.header.requiredProtocol
        // Matches first, in order, then the target, whose check may look at them.
        rule.matches.reserveCapacity(loaded.count)
        for step in 0..<loaded.count {
            let position: Int
            if let targetIndex {
                position = step == loaded.count - 1 ? targetIndex : (step >= targetIndex ? step + 1 : step)
            } else {
                position = step
            }
            var call = loaded[position]
            let spec = call.spec
            let anchor = Token(text: spec.name, column: Int(call.location.column), length: 2, quoted: false)
            if let protocols = spec.protocols {
                if let proto = requiredProtocol, protocols.contains(proto) {
                    // fine
                } else {
                    let names = protocols.map { IPProtocol.saveName(for: $0, family: family) ?? String($0) }
                    fail("\(spec.name) match needs -p \(names.joined(separator: " or ")) (the kernel refuses it for other protocols)", anchor)
                }
            }
            if callsWithBadValues.contains(position) {
                if !spec.preservesOptionOrder { call.settings.sort { $0.option < $1.option } }
                if position == targetIndex { rule.target = .extension(call) } else { rule.matches.append(call) }
                continue
            }
            if spec.requiresOption && call.settings.isEmpty {
                fail("\(spec.name) needs at least one option", anchor)
            }
            for (optionIndex, option) in spec.options.enumerated() where option.required {
                if !call.settings.contains(where: { $0.option == optionIndex }) {
                    fail("\(spec.name): option --\(option.name) is required", anchor)
                }
            }
            for group in spec.groups {
                if let problem = group.violation(in: call) { fail("\(spec.name): \(problem)", anchor) }
            }
            if !spec.preservesOptionOrder { call.settings.sort { $0.option < $1.option } }
            if let finalize = spec.finalize {
                var context = FinalizeContext(family: family, requiredProtocol: requiredProtocol, table: table)
                if position == targetIndex { context.matches = rule.matches }
                finalize(&call, &context)
                for message in context.errors { fail("\(spec.name): \(message)", anchor) }
            }
            if position == targetIndex {
                rule.target = .extension(call)
            } else {
                rule.matches.append(call)
            }
        }
    }
}

extension RandomAccessCollection where Index == Int {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

/// A set of standard option letters (`p`, `s`, `j`, ...), as bits.
struct StandardOptionSet {
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    func contains(_ letter: Character) -> Bool {
        guard let ascii = letter.asciiValue else { return false }
        return ascii < 64 ? low & (1 << UInt64(ascii)) != 0 : high & (1 << UInt64(ascii - 64)) != 0
    }

    mutating func insert(_ letter: Character) {
        guard let ascii = letter.asciiValue else { return }
        if ascii < 64 { low |= 1 << UInt64(ascii) } else { high |= 1 << UInt64(ascii - 64) }
    }
}
