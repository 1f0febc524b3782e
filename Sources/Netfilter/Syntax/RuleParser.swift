/// Reads the options of one rule (everything after `-A CHAIN`) the way iptables'
/// command parser does: standard options, `-m` loading a match whose declared options
/// then become available, `-p` loading its protocol match on demand, `-j`/`-g`, and
/// `!` before any option that may be negated. Words are read by their bytes: option and
/// extension names are looked up without making text of them, and only the values kept
/// become `String`s (repeated ones shared through the `TextPool`).
struct RuleParser {
    /// Where a diagnostic points: a column and a length in the line.
    private struct Place {
        var column: Int
        var length: Int
    }

    /// An option's value: word `word` from byte `offset` on (past `--name=` or `-p`).
    private struct ValueWord {
        var word: Int
        var offset: Int
    }

    private let words: [RuleWords.Word]
    private let bytes: UnsafeBufferPointer<UInt8>
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

    /// Reads the words from `start` on.
    static func parse(_ words: RuleWords, from start: Int, family: Family, table: String, line: Int,
                      options: ParseOptions, texts: inout TextPool, diagnostics: inout [Diagnostic]) -> Rule {
        words.bytes.withUnsafeBufferPointer { bytes in
            var parser = RuleParser(words: words.words, bytes: bytes, family: family, table: table, line: line,
                                    options: options)
            parser.run(from: start, texts: &texts)
            if !parser.unknowns.isEmpty && options.lenient {
                var opaque = Rule()
                opaque.opaqueText = ""
                diagnostics += parser.unknowns.map {
                    Diagnostic(.warning, $0.message + " (rule kept as opaque text)", at: $0.location, length: $0.length)
                }
                return opaque
            }
            diagnostics += parser.unknowns + parser.errors + parser.warnings
            return parser.rule
        }
    }

    private init(words: [RuleWords.Word], bytes: UnsafeBufferPointer<UInt8>, family: Family, table: String,
                 line: Int, options: ParseOptions) {
        self.words = words
        self.bytes = bytes
        self.family = family
        self.table = table
        self.line = line
        self.options = options
    }

    // MARK: - Words

    private func place(_ word: Int) -> Place {
        Place(column: Int(words[word].column), length: Int(words[word].length))
    }

    private func buffer(_ word: Int, from offset: Int = 0) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[(Int(words[word].start) + offset)..<Int(words[word].end)])
    }

    private func text(_ word: Int, from offset: Int = 0) -> String {
        String(decoding: buffer(word, from: offset), as: UTF8.self)
    }

    private func text(_ value: ValueWord) -> String { text(value.word, from: value.offset) }

    /// The value's text, shared with an equal pooled text when there is one.
    private func pooledText(_ value: ValueWord, _ texts: TextPool) -> String {
        texts.text(bytes: buffer(value.word, from: value.offset)) ?? text(value)
    }

    /// The value's text, from the pool when the option's values repeat; kept there after.
    private func argumentText(_ value: ValueWord, _ type: ValueType, _ texts: inout TextPool) -> String {
        guard type.repeats else { return text(value) }
        if let pooled = texts.text(bytes: buffer(value.word, from: value.offset)) { return pooled }
        let made = text(value)
        texts.keep(made)
        return made
    }

    /// Whether the word is `!`; a quoted `"!"` counts only when `evenQuoted`.
    private func isBang(_ word: Int, evenQuoted: Bool = false) -> Bool {
        (evenQuoted || !words[word].quoted) && words[word].count == 1 && bytes[Int(words[word].start)] == 0x21
    }

    private func startsWithDash(_ word: Int) -> Bool {
        words[word].count > 0 && bytes[Int(words[word].start)] == 0x2D
    }

    private mutating func fail(_ message: String, _ place: Place) {
        errors.append(.error(message, at: SourceLocation(line: line, column: place.column), length: place.length))
    }

    private mutating func fail(_ message: String, word: Int) { fail(message, place(word)) }

    private mutating func unknown(_ message: String, word: Int) {
        let place = place(word)
        unknowns.append(.error(message, at: SourceLocation(line: line, column: place.column), length: place.length))
    }

    // MARK: - The option loop

    private mutating func run(from start: Int, texts: inout TextPool) {
        var index = start
        var negation: Int?
        while index < words.count {
            let word = index
            index += 1
            if isBang(word) {
                if negation != nil { fail("multiple '!' flags are not allowed", word: word) }
                negation = word
                continue
            }
            let letters = buffer(word)
            guard letters.count >= 2, letters[0] == 0x2D, !words[word].quoted else {
                fail("unexpected argument '\(text(word))' (an option starting with - was expected)", word: word)
                continue
            }
            if letters[1] == 0x2D {
                let equals = letters.firstIndex(of: 0x3D)
                let name = UnsafeBufferPointer(rebasing: letters[2..<(equals ?? letters.count)])
                let attached = equals.map { ValueWord(word: word, offset: $0 + 1) }
                handleLong(name, attached: attached, word: word, negation: negation, index: &index, texts: &texts)
            } else {
                let attached = letters.count > 2 ? ValueWord(word: word, offset: 2) : nil
                handleShort(letters[1], attached: attached, word: word, negation: negation, index: &index,
                            texts: &texts)
            }
            negation = nil
        }
        if let negation { fail("'!' at the end of the rule negates nothing", word: negation) }
        finish()
    }

    /// Takes the argument of an option: the attached `=value`/`-xVALUE`, else the next word.
    /// An intrapositioned `!` (`--dport ! 22`, iptables 1.4 style) negates the option.
    private mutating func argument(attached: ValueWord?, word: Int, index: inout Int, negated: inout Bool,
                                   negatable: Bool) -> ValueWord? {
        if let attached { return attached }
        guard index < words.count else {
            fail("option '\(text(word))' requires an argument", word: word)
            return nil
        }
        var value = index
        index += 1
        if isBang(value) && negatable && index < words.count {
            if negated { fail("multiple '!' flags are not allowed", word: value) }
            negated = true
            value = index
            index += 1
        }
        return ValueWord(word: value, offset: 0)
    }

    /// The long spellings of the standard options, and their letters.
    private static let longStandard: [(name: String, letter: UInt8)] = [
        ("protocol", "p"), ("source", "s"), ("src", "s"), ("destination", "d"), ("dst", "d"),
        ("in-interface", "i"), ("out-interface", "o"), ("fragments", "f"), ("fragment", "f"),
        ("jump", "j"), ("goto", "g"), ("match", "m"), ("set-counters", "c"), ("ipv4", "4"), ("ipv6", "6"),
    ].map { ($0.0, UInt8(ascii: $0.1)) }

    private static let longStandardIndex: NameIndex = {
        var index = NameIndex()
        for (position, entry) in longStandard.enumerated() { index.insert(entry.name, position: position) }
        return index
    }()

    private mutating func handleLong(_ name: UnsafeBufferPointer<UInt8>, attached: ValueWord?, word: Int,
                                     negation: Int?, index: inout Int, texts: inout TextPool) {
        // Standard options take precedence over extension options, as in iptables.
        if let standard = Self.longStandardIndex[buffer: name] {
            handleShort(Self.longStandard[standard].letter, attached: attached, word: word, negation: negation,
                        index: &index, texts: &texts)
            return
        }
        switch resolveExtensionOption(name) {
        case .found(let callIndex, let optionIndex):
            applyExtensionOption(callIndex: callIndex, optionIndex: optionIndex, attached: attached, word: word,
                                 negation: negation, index: &index, texts: &texts)
        case .ambiguous(let candidates):
            let spelled = candidates.map { "--" + $0 }.joined(separator: ", ")
            fail("option '--\(String(decoding: name, as: UTF8.self))' is ambiguous (could be \(spelled))", word: word)
        case .missing:
            // As iptables does: load the protocol's match once and try again.
            if !implicitProtocolLoaded, let proto = rule.header.requiredProtocol,
               let id = ExtensionRegistry.protocolMatch(for: proto, family: family) {
                implicitProtocolLoaded = true
                loaded.append(ExtensionCall(id: id, location: SourceLocation(line: line, column: Int(words[word].column))))
                handleLong(name, attached: attached, word: word, negation: negation, index: &index, texts: &texts)
                return
            }
            if skippingUnknownModule {
                if attached == nil, index < words.count, !startsWithDash(index) { index += 1 }
                return
            }
            let context = loaded.map { ExtensionRegistry.spec($0.id).name }
            let hint = context.isEmpty ? "" : " (loaded: \(context.joined(separator: ", ")))"
            unknown("unknown option '--\(String(decoding: name, as: UTF8.self))'\(hint)", word: word)
            // Skip what is probably its argument, so one mistake gives one error.
            if attached == nil, index < words.count, !startsWithDash(index) { index += 1 }
        }
    }

    private enum Resolution {
        case found(Int, Int)
        case ambiguous([String])
        case missing
    }

    /// Finds the option among loaded extensions, newest first (iptables merges each new
    /// extension's options in front); exact names win, then unambiguous prefixes.
    private func resolveExtensionOption(_ nameBytes: UnsafeBufferPointer<UInt8>) -> Resolution {
        for callIndex in loaded.indices.reversed() {
            let spec = ExtensionRegistry.spec(loaded[callIndex].id)
            if let optionIndex = spec.optionsBySpelling[buffer: nameBytes] {
                return .found(callIndex, optionIndex)
            }
        }
        let name = String(decoding: nameBytes, as: UTF8.self)
        var candidates: [(Int, Int, String)] = []
        for callIndex in loaded.indices.reversed() {
            let spec = ExtensionRegistry.spec(loaded[callIndex].id)
            for (optionIndex, option) in spec.options.enumerated()
            where ([option.name] + option.aliases).contains(where: { $0.hasPrefix(name) }) {
                candidates.append((callIndex, optionIndex, option.name))
            }
        }
        let standardPrefixes = Self.longStandard.map(\.name).filter { $0.hasPrefix(name) }
        if candidates.count == 1 && standardPrefixes.isEmpty { return .found(candidates[0].0, candidates[0].1) }
        if candidates.count + standardPrefixes.count > 1 {
            return .ambiguous(candidates.map(\.2) + standardPrefixes.sorted())
        }
        return .missing
    }

    private mutating func applyExtensionOption(callIndex: Int, optionIndex: Int, attached: ValueWord?, word: Int,
                                               negation: Int?, index: inout Int, texts: inout TextPool) {
        let spec = ExtensionRegistry.spec(loaded[callIndex].id)
        let option = spec.options[optionIndex]
        var negated = negation != nil
        var arguments = OptionArguments("")
        switch option.value.arity {
        case .none:
            if attached != nil { fail("option '--\(option.name)' takes no argument", word: word) }
        case .one:
            guard let value = argument(attached: attached, word: word, index: &index, negated: &negated,
                                       negatable: option.negatable) else { return }
            arguments = OptionArguments(argumentText(value, option.value, &texts))
        case .two:
            guard let first = argument(attached: attached, word: word, index: &index, negated: &negated,
                                       negatable: option.negatable) else { return }
            guard index < words.count else {
                fail("option '--\(option.name)' requires two arguments", word: word)
                return
            }
            arguments = OptionArguments(text(first), text(index))
            index += 1
        case .optional:
            if let attached {
                arguments = OptionArguments(text(attached))
            } else if index < words.count, !startsWithDash(index), !isBang(index, evenQuoted: true) {
                arguments = OptionArguments(argumentText(ValueWord(word: index, offset: 0), option.value, &texts))
                index += 1
            }
        }
        if negated && !option.negatable {
            fail("option '--\(option.name)' of \(spec.name) cannot be negated with '!'", word: negation ?? word)
        }
        if !option.repeatable && loaded[callIndex].settings.contains(where: { $0.option == optionIndex }) {
            fail("option '--\(option.name)' may only be given once", word: word)
            return
        }
        // The word the value came from, for diagnostics about it.
        let valueWord = attached == nil && index - 1 > word ? index - 1 : word
        do throws(ValueError) {
            var value = try option.value.parse(arguments, ValueContext(family: family))
            if let kept = option.value.keepsBytes, arguments[0].utf8.count > kept {
                warnings.append(.warning("\(spec.name): --\(option.name): iptables keeps only the first \(kept) bytes "
                                         + "of the \(arguments[0].utf8.count) given",
                                         at: SourceLocation(line: line, column: Int(words[valueWord].column)),
                                         length: Int(words[valueWord].length)))
            }
            if case .text(let text, _) = value, attached == nil, valueWord != word {
                value = .text(text, quoted: words[valueWord].quoted)
            }
            loaded[callIndex].settings.append(OptionSetting(option: optionIndex, negated: negated, value: value))
        } catch {
            fail("\(spec.name): --\(option.name): \(error.message)", word: valueWord)
            callsWithBadValues.insert(callIndex)
        }
    }

    // MARK: - Standard options

    private mutating func handleShort(_ letter: UInt8, attached: ValueWord?, word: Int, negation: Int?,
                                      index: inout Int, texts: inout TextPool) {
        var negated = negation != nil
        let spelled = String(UnicodeScalar(letter))
        func value(_ parser: inout RuleParser, negatable: Bool) -> ValueWord? {
            parser.argument(attached: attached, word: word, index: &index, negated: &negated, negatable: negatable)
        }
        func once(_ parser: inout RuleParser) -> Bool {
            if parser.seenStandard.contains(letter) {
                parser.fail("option '-\(spelled)' may only be given once", word: word)
                return false
            }
            parser.seenStandard.insert(letter)
            return true
        }
        switch letter {
        case UInt8(ascii: "p"):
            guard let valueWord = value(&self, negatable: true), once(&self) else { return }
            let spelling = text(valueWord)
            guard let number = IPProtocol.number(for: spelling) else {
                fail("unknown protocol '\(spelling)'", word: valueWord.word)
                return
            }
            if number == 0 && negated {
                fail("'! -p \(spelling)' matches no packet; iptables refuses it", word: valueWord.word)
                return
            }
            rule.header.protocol = Negatable(number, negated: negated)
            if UInt8(spelling) == nil { rule.header.protocolSpelling = spelling.lowercased() }
        case UInt8(ascii: "s"), UInt8(ascii: "d"):
            guard let valueWord = value(&self, negatable: true), once(&self) else { return }
            do throws(ValueError) {
                let network = try parseNetwork(text(valueWord), family: family)
                if letter == UInt8(ascii: "s") {
                    rule.header.source = Negatable(network, negated: negated)
                } else {
                    rule.header.destination = Negatable(network, negated: negated)
                }
            } catch {
                fail(error.message, word: valueWord.word)
            }
        case UInt8(ascii: "i"), UInt8(ascii: "o"):
            guard let valueWord = value(&self, negatable: true), once(&self) else { return }
            let spelling = text(valueWord)
            do throws(ValueError) {
                let name = try parseInterface(spelling)
                if spelling.contains(" ") || spelling.contains("/") {
                    // xtables_parse_interface's own warning: it loads the name all the same.
                    let place = place(valueWord.word)
                    warnings.append(.warning("weird character in interface '\(spelling)' ('/' and ' ' are not allowed "
                                             + "by the kernel in device names: it matches no device)",
                                             at: SourceLocation(line: line, column: place.column),
                                             length: place.length))
                }
                if letter == UInt8(ascii: "i") {
                    rule.header.inInterface = Negatable(name, negated: negated)
                } else {
                    rule.header.outInterface = Negatable(name, negated: negated)
                }
            } catch {
                fail(error.message, word: valueWord.word)
            }
        case UInt8(ascii: "f"):
            guard once(&self) else { return }
            if family == .ipv6 {
                fail("-f is not available in ip6tables (use -m frag)", word: word)
                return
            }
            rule.header.fragment = Negatable(true, negated: negated)
        case UInt8(ascii: "m"):
            skippingUnknownModule = false
            guard let valueWord = value(&self, negatable: false) else { return }
            if negated { fail("'!' cannot be used with -m", word: negation ?? word) }
            guard let id = ExtensionRegistry.named(bytes: buffer(valueWord.word, from: valueWord.offset),
                                                   kind: .match, family: family) else {
                unknown("unknown match module '\(text(valueWord))'", word: valueWord.word)
                skippingUnknownModule = true
                return
            }
            loaded.append(ExtensionCall(id: id, location: SourceLocation(line: line, column: Int(words[word].column))))
        case UInt8(ascii: "j"), UInt8(ascii: "g"):
            skippingUnknownModule = false
            guard let valueWord = value(&self, negatable: false) else { return }
            if negated { fail("'!' cannot be used with -\(spelled)", word: negation ?? word) }
            if seenStandard.contains(UInt8(ascii: "j")) || seenStandard.contains(UInt8(ascii: "g")) {
                fail("a rule has only one target (-j or -g given twice)", word: word)
                return
            }
            seenStandard.insert(letter)
            rule.targetLocation = SourceLocation(line: line, column: Int(words[word].column))
            let nameBytes = buffer(valueWord.word, from: valueWord.offset)
            if nameBytes.isEmpty {
                fail("empty target name", word: valueWord.word)
            } else if letter == UInt8(ascii: "g") {
                let name = pooledText(valueWord, texts)
                if let problem = ChainNameRules.problem(with: name) { fail("-g: " + problem, word: valueWord.word) }
                rule.target = .goto(name)
            } else if let verdict = standardVerdict(nameBytes) {
                rule.target = .verdict(verdict)
            } else if let id = ExtensionRegistry.named(bytes: nameBytes, kind: .target, family: family) {
                targetIndex = loaded.count
                loaded.append(ExtensionCall(id: id, location: SourceLocation(line: line, column: Int(words[word].column))))
            } else {
                let name = pooledText(valueWord, texts)
                if let problem = ChainNameRules.problem(with: name) {
                    fail("-j: " + problem, word: valueWord.word)
                } else {
                    rule.target = .jump(name)
                }
            }
        case UInt8(ascii: "c"):
            guard let valueWord = value(&self, negatable: false) else { return }
            var packets = text(valueWord)
            var bytes: String
            if let comma = packets.utf8.firstIndex(of: 0x2C) {
                // iptables also takes `-c PACKETS,BYTES`.
                bytes = String(Substring(packets.utf8[packets.utf8.index(after: comma)...]))
                packets = String(Substring(packets.utf8[..<comma]))
            } else {
                guard index < words.count else {
                    fail("-c requires two arguments: packets and bytes", word: word)
                    return
                }
                bytes = text(index)
                index += 1
            }
            guard let p = UInt64(packets), let b = UInt64(bytes) else {
                fail("-c: invalid counters '\(packets) \(bytes)'", word: word)
                return
            }
            rule.counters = Counters(packets: p, bytes: b)
        case UInt8(ascii: "4"):
            if family != .ipv4 { fail("-4 in an IPv6 dump: the rule would be skipped by ip6tables-restore", word: word) }
        case UInt8(ascii: "6"):
            if family != .ipv6 { fail("-6 in an IPv4 dump: the rule would be skipped by iptables-restore", word: word) }
        default:
            unknown("unknown option '\(text(word))'", word: word)
            return
        }
    }

    /// ACCEPT, DROP, QUEUE or RETURN, read from bytes.
    private func standardVerdict(_ name: UnsafeBufferPointer<UInt8>) -> StandardVerdict? {
        guard (4...6).contains(name.count), name[0] >= 0x41, name[0] <= 0x5A else { return nil }
        return StandardVerdict(rawValue: String(decoding: name, as: UTF8.self))
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
            let anchor = Place(column: Int(call.location.column), length: 2)
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
            for optionIndex in spec.requiredOptions where !call.settings.contains(where: { $0.option == optionIndex }) {
                fail("\(spec.name): option --\(spec.options[optionIndex].name) is required", anchor)
            }
            if !spec.groups.isEmpty {
                for group in spec.groups {
                    if let problem = group.violation(in: call) { fail("\(spec.name): \(problem)", anchor) }
                }
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

    func contains(_ ascii: UInt8) -> Bool {
        ascii < 64 ? low & (1 << UInt64(ascii)) != 0 : high & (1 << UInt64(ascii - 64)) != 0
    }

    mutating func insert(_ ascii: UInt8) {
        if ascii < 64 { low |= 1 << UInt64(ascii) } else { high |= 1 << UInt64(ascii - 64) }
    }
}
