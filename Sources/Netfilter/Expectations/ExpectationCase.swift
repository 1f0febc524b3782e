/// A value from a spec file with the 1-based column where it was written, so that checks
/// made after parsing (against the rules or the snapshot) can point at it.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var column: Int

    public init(_ value: Value, column: Int) {
        self.value = value
        self.column = column
    }
}

/// What must happen to a packet: `ACCEPT`, `DROP`, `REJECT` (with the kind of answer when
/// given), or `RETURN` (a walk started in a user chain fell off its end).
public enum ExpectedFate: Sendable, Hashable, CustomStringConvertible {
    case accept
    case drop
    /// `REJECT` alone accepts any `--reject-with`; `REJECT tcp-reset` only that one.
    case reject(String?)
    case `return`

    public var description: String {
        switch self {
        case .accept: return "ACCEPT"
        case .drop: return "DROP"
        case .reject(let kind?): return "REJECT \(kind)"
        case .reject(nil): return "REJECT"
        case .return: return "RETURN"
        }
    }
}

/// The rule that decided, as `by` names it: a rule by the kernel's numbering
/// (`filter/DOCKER-USER:3`; `policy` for a built-in chain's policy), or a rule by its
/// `-m comment` text.
public enum RuleReference: Sendable, Hashable, CustomStringConvertible {
    /// `number` nil: the chain's policy.
    case rule(table: String, chain: String, number: Int?)
    case comment(String)

    public var description: String {
        switch self {
        case .rule(let table, let chain, let number?): return "\(table)/\(chain):\(number)"
        case .rule(let table, let chain, nil): return "\(table)/\(chain):policy"
        case .comment(let text): return "\"" + SpecQuoting.escaped(text) + "\""
        }
    }
}

/// Where a case on a plain rules file is evaluated (`at`): hooks in packet order (every
/// table at each, the packet after one hook going on to the next), or one chain.
public enum EvaluationPoint: Sendable, Hashable, CustomStringConvertible {
    case hooks([Hook])
    case chain(table: String, chain: String)

    public var description: String {
        switch self {
        case .hooks(let hooks): return hooks.map(\.rawValue).joined(separator: ",")
        case .chain(let table, let chain): return "\(table)/\(chain)"
        }
    }
}

/// What one packet (the request, or its reply) must come to. Only the clauses given are
/// checked.
public struct Expectation: Sendable {
    public var fate: Located<ExpectedFate>
    /// `maybe`: at least one possible outcome must match (instead of every one).
    public var maybe = false
    public var decider: Located<RuleReference>?
    /// `dnat ADDR[:PORT]`, `snat ADDR[:PORT]`: the address (and port) after NAT.
    public var destinationNAT: Located<Endpoint>?
    public var sourceNAT: Located<Endpoint>?
    /// `masquerade`: a MASQUERADE rule rewrote the source.
    public var masquerade: Located<Bool>?
    /// `via H,H`: these hooks were passed, in this order (others may come between).
    public var hooks: Located<[Hook]>?
    /// `to IFACE|local`: the device the packet left by, or `local` for delivery to a
    /// process of the host.
    public var exit: Located<PacketOrigin>?

    public init(fate: Located<ExpectedFate>) {
        self.fate = fate
    }
}

/// One case of a spec file: a packet, where it starts, and what must happen to it (and
/// to its reply). In a packet list for `--record` the expectations are absent.
public struct ExpectationCase: Sendable {
    /// The 1-based line of the case in its file.
    public var line: Int
    /// The column of the case's first word.
    public var column: Int
    /// The packets the case describes (fields left open stand for every value).
    public var described: DescribedPackets
    /// The packet with the fields given one value.
    public var packet: Packet {
        get { described.packet }
        set { described.packet = newValue }
    }
    /// The packet as written (the compact form, docs/grammar.md section 2).
    public var packetText: String
    /// Columns of the packet's `in` / `out` attributes, when given (a snapshot refuses them).
    public var deviceColumn: Int?
    /// The column where the packet starts.
    public var packetColumn: Int
    /// `from IFACE|local`: where the packet arrives on a snapshot's host.
    public var origin: Located<PacketOrigin>?
    /// `at ...`: where a case on a rules file is evaluated.
    public var point: Located<EvaluationPoint>?
    /// `with ...`: the packet's connection state and marks, as written (`ctstate ESTABLISHED`).
    public var state: [String] = []
    /// `assume M=true|false`: undecidable matches decided this way for this case.
    public var pinned: [String: Bool] = [:]
    public var pinnedColumns: [String: Int] = [:]
    public var request: Expectation?
    public var reply: Expectation?
    /// In a packet list: `reply` without an outcome asks `--record` to record the reply.
    public var recordsReply = false
    /// The `# ...` comment at the end of the line, as written.
    public var trailingComment: String?

    public init(line: Int, column: Int, packet: Packet, packetText: String, packetColumn: Int) {
        self.init(line: line, column: column, described: DescribedPackets(packet: packet), packetText: packetText,
                  packetColumn: packetColumn)
    }

    public init(line: Int, column: Int, described: DescribedPackets, packetText: String, packetColumn: Int) {
        self.line = line
        self.column = column
        self.described = described
        self.packetText = packetText
        self.packetColumn = packetColumn
    }

    /// The conditions after the packet (`from`, `at`, `with`, `assume`), in the order the
    /// recorder writes them.
    public var conditionText: [String] {
        var words: [String] = []
        if let origin { words.append("from \(origin.value)") }
        if let point { words.append("at \(point.value)") }
        if !state.isEmpty { words.append("with " + state.joined(separator: " ")) }
        for (name, value) in pinned.sorted(by: { $0.key < $1.key }) { words.append("assume \(name)=\(value)") }
        return words
    }
}

/// A parsed spec file: its cases, and every line as it was (the recorder keeps comments
/// and blank lines where they stood).
public struct ExpectationSpec: Sendable {
    public enum Line: Sendable {
        /// A blank or comment line, verbatim.
        case text(String)
        case `case`(ExpectationCase)
    }

    public var file: String
    public var lines: [Line]

    public var cases: [ExpectationCase] {
        lines.compactMap { if case .case(let item) = $0 { return item } else { return nil } }
    }
}

/// iptables-save's quoting, for comments written back into a spec (`by "text"`).
public enum SpecQuoting {
    /// Whether a word needs quotes: empty, or with a byte outside `[A-Za-z0-9_-]`.
    public static func needsQuotes(_ text: String) -> Bool {
        text.isEmpty || text.utf8.contains { !(($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F || $0 == 0x2D) }
    }

    /// `"` and `\` escaped with a backslash.
    public static func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            if character == "\\" || character == "\"" { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// The word as a spec writes it: bare when it can be, else quoted.
    public static func word(_ text: String) -> String {
        needsQuotes(text) ? "\"" + escaped(text) + "\"" : text
    }
}
