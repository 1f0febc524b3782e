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
    /// The numbers of fixed texts (`ACCEPT`, `jump`, ...) by slot, made once.
    private var fixedNumbers: [Int?] = []

    func number(_ key: Key) -> Int {
        // One hash: the key is stored with the next number unless it is there.
        let candidate = next + 1
        let number = Self.read(&numbers[key, default: candidate])
        if number == candidate { next = candidate }
        return number
    }

    private static func read(_ value: inout Int) -> Int { value }

    /// The number of a fixed text, kept in `slot` after the first time.
    func number(fixed text: String, slot: Int) -> Int {
        if slot < fixedNumbers.count, let known = fixedNumbers[slot] { return known }
        if slot >= fixedNumbers.count { fixedNumbers += [Int?](repeating: nil, count: slot + 1 - fixedNumbers.count) }
        let made = number(text)
        fixedNumbers[slot] = made
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
