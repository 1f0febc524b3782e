/// Numbers structures (rule spaces, actions, chains, chain suffixes) so that two rulesets
/// compiled with the same interner give equal numbers exactly to equal structures: the
/// diff compares what is left of two walks by comparing numbers.
final class StructureInterner {
    /// A space with its hash worked out once (when the rule was compiled, on both sides at
    /// once): numbering hashes many large spaces.
    struct HashedSpace: Hashable, Sendable {
        let hash: Int
        let space: PacketSpace

        init(_ space: PacketSpace) {
            self.space = space
            hash = space.hashValue
        }

        func hash(into hasher: inout Hasher) { hasher.combine(hash) }
        static func == (lhs: HashedSpace, rhs: HashedSpace) -> Bool { lhs.hash == rhs.hash && lhs.space == rhs.space }
    }

    enum Key: Hashable {
        case space(HashedSpace)
        case text(String)
        case list([Int])
        /// A small list without an allocation.
        case four(Int, Int, Int, Int)
        case call(ExtensionCall)
    }

    private var numbers: [Key: Int] = [:]
    private var next = 0
    /// Structures every program has (an action without options, a chain's end), numbered
    /// once each instead of hashing their text at every rule.
    enum Fixed: Int, CaseIterable {
        case none, accept, drop, queue, `return`, jump, goto, notrack, policyAccept, policyDrop, chainReturn

        /// The text they are numbered by.
        var text: String {
            switch self {
            case .none: return "none"
            case .accept: return "ACCEPT"
            case .drop: return "DROP"
            case .queue: return "QUEUE"
            case .return: return "RETURN"
            case .jump: return "jump"
            case .goto: return "goto"
            case .notrack: return "notrack"
            case .policyAccept: return "policy ACCEPT"
            case .policyDrop: return "policy DROP"
            case .chainReturn: return "return"
            }
        }
    }

    private var fixedNumbers = [Int?](repeating: nil, count: Fixed.allCases.count)

    func number(_ key: Key) -> Int {
        // One hash: the key is stored with the next number unless it is there.
        let candidate = next + 1
        let number = Self.read(&numbers[key, default: candidate])
        if number == candidate { next = candidate }
        return number
    }

    private static func read(_ value: inout Int) -> Int { value }

    /// The number of a fixed structure: its text's, kept after the first time.
    func number(_ fixed: Fixed) -> Int {
        if let known = fixedNumbers[fixed.rawValue] { return known }
        let made = number(fixed.text)
        fixedNumbers[fixed.rawValue] = made
        return made
    }

    /// A number no structure has (for chains in a jump loop, which have no finite shape).
    func fresh() -> Int {
        next += 1
        return next
    }

    func number(_ parts: [Int]) -> Int {
        switch parts.count {
        case 1: return number(.four(parts[0], 0, 0, 0))
        case 2: return number(.four(parts[0], parts[1], 0, 0))
        case 3: return number(.four(parts[0], parts[1], parts[2], 0))
        case 4: return number(.four(parts[0], parts[1], parts[2], parts[3]))
        default: return number(.list(parts))
        }
    }

    func number(_ a: Int, _ b: Int, _ c: Int = 0, _ d: Int = 0) -> Int { number(.four(a, b, c, d)) }
    func number(_ text: String) -> Int { number(.text(text)) }
}
