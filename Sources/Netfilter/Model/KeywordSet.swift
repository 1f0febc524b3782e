/// Keywords of a fixed vocabulary as a bit set, bit `i` for the vocabulary's `i`th word:
/// `--ctstate RELATED,ESTABLISHED`, `--tcp-flags SYN,ACK SYN`. Read once, tested per
/// packet as bits (the TCP flag vocabulary is in the kernel's bit order, so its set is
/// the kernel's flag byte); printed back in the vocabulary's order, as iptables prints it.
public struct KeywordSet: Sendable, Hashable {
    public var bits: UInt64

    public init(bits: UInt64) { self.bits = bits }

    /// The set of `names`, each a word of `vocabulary` (a name it lacks is left out).
    public init(_ names: some Sequence<String>, in vocabulary: [String]) {
        bits = 0
        for name in names {
            if let index = vocabulary.firstIndex(of: name) { bits |= 1 << UInt64(index) }
        }
    }

    public var isEmpty: Bool { bits == 0 }

    /// Whether the vocabulary's word at `index` is in the set.
    public func contains(_ index: Int) -> Bool { index >= 0 && index < 64 && bits & (1 << UInt64(index)) != 0 }

    /// Whether `name` is in the set.
    public func contains(_ name: String, in vocabulary: [String]) -> Bool {
        vocabulary.firstIndex(of: name).map(contains) ?? false
    }

    /// The words in the set, in the vocabulary's order.
    public func names(in vocabulary: [String]) -> [String] {
        vocabulary.indices.filter(contains).map { vocabulary[$0] }
    }

    /// The words as iptables prints them, comma-separated, made without an array between.
    public func text(in vocabulary: [String]) -> String {
        var text = ""
        for index in vocabulary.indices where contains(index) {
            if !text.isEmpty { text += "," }
            text += vocabulary[index]
        }
        return text
    }
}
