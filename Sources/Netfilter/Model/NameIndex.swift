import Foundation

/// A map from names (chain names, option spellings, texts) to positions, keyed by the
/// names' bytes with a fast byte hash: dumps such as kube-proxy's hold tens of thousands of
/// long chain names, looked up once per rule, and the rule reader looks words up without
/// making a `String` of them.
public struct NameIndex: Sendable {
    /// Every key's bytes, back to back; key `k` is `keyBytes[keyStarts[k]..<keyStarts[k + 1]]`.
    private var keyBytes: [UInt8] = []
    private var keyStarts: [Int32] = [0]
    private var positions: [Int32] = []
    private var slots: [Int32]
    private var mask: Int

    public init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    public var count: Int { positions.count }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return Int(truncatingIfNeeded: hash ^ (hash >> 29))
    }

    @inline(__always)
    private func keyEquals(_ entry: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(keyStarts[entry])
        guard Int(keyStarts[entry + 1]) - start == bytes.count else { return false }
        guard let given = bytes.baseAddress else { return true }
        return keyBytes.withUnsafeBufferPointer { stored in
            guard let base = stored.baseAddress else { return false }
            return memcmp(base + start, given, bytes.count) == 0
        }
    }

    /// The entry holding these bytes, if any.
    private func entry(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var slot = Self.hash(bytes) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { return nil }
            if keyEquals(entry, bytes) { return entry }
            slot = (slot + 1) & mask
        }
    }

    /// The position stored for the name made of these bytes.
    public subscript(bytes bytes: ArraySlice<UInt8>) -> Int? {
        bytes.withUnsafeBufferPointer { entry($0).map { Int(positions[$0]) } }
    }

    /// The position stored for the name made of these bytes.
    public subscript(buffer bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        entry(bytes).map { Int(positions[$0]) }
    }

    /// The position stored for `name`.
    public subscript(name: String) -> Int? {
        var name = name
        return name.withUTF8 { entry($0).map { Int(positions[$0]) } }
    }

    /// Stores `position` for `name` unless the name is already there; returns whether it was new.
    @discardableResult
    public mutating func insert(_ name: String, position: Int) -> Bool {
        var name = name
        return name.withUTF8 { insert(bytes: $0, position: position) }
    }

    private mutating func insert(bytes: UnsafeBufferPointer<UInt8>, position: Int) -> Bool {
        if (positions.count + 1) * 2 > slots.count { grow() }
        var slot = Self.hash(bytes) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 {
                slots[slot] = Int32(positions.count)
                keyBytes.append(contentsOf: bytes)
                keyStarts.append(Int32(keyBytes.count))
                positions.append(Int32(position))
                return true
            }
            if keyEquals(entry, bytes) { return false }
            slot = (slot + 1) & mask
        }
    }

    /// Replaces the position stored for an existing name.
    public mutating func update(_ name: String, position: Int) {
        var name = name
        let existing = name.withUTF8 { entry($0) }
        if let existing { positions[existing] = Int32(position) } else { insert(name, position: position) }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        keyBytes.withUnsafeBufferPointer { stored in
            for entry in positions.indices {
                let key = UnsafeBufferPointer(rebasing: stored[Int(keyStarts[entry])..<Int(keyStarts[entry + 1])])
                var slot = Self.hash(key) & mask
                while slots[slot] >= 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(entry)
            }
        }
    }
}
