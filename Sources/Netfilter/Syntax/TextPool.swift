/// Texts a dump repeats, kept once: chain names (every jump names one) and comments
/// (kube-proxy writes a service's comment on each of its rules). The rule reader looks a
/// word up by its bytes before making a `String` of it, so a repeated text costs no
/// allocation and every copy shares one buffer.
struct TextPool {
    /// Texts shorter than this are stored inline in a `String`: pooling them gains nothing.
    static let smallest = 16

    private var index = NameIndex(capacity: 1024)
    private var texts: [String] = []

    /// The pooled text with these bytes, if any.
    func text(bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard bytes.count >= Self.smallest, let position = index[buffer: bytes] else { return nil }
        return texts[position]
    }

    /// Keeps `text` for later lookups (a no-op for short texts and texts already kept).
    mutating func keep(_ text: String) {
        guard text.utf8.count >= Self.smallest, index.insert(text, position: texts.count) else { return }
        texts.append(text)
    }
}
