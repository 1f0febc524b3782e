/// A map from names (chain names) to positions, with a fast byte hash: dumps such as
/// kube-proxy's hold tens of thousands of long chain names, looked up once per rule.
public struct NameIndex: Sendable {
    private var names: [String] = []
    private var positions: [Int32] = []
    private var slots: [Int32]
    private var mask: Int

    public init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    public var count: Int { names.count }

    @inline(__always)
    static func hash(_ name: String) -> Int {
        var name = name
        return name.withUTF8 { bytes in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
            return Int(truncatingIfNeeded: hash ^ (hash >> 29))
        }
    }

    /// The position stored for `name`.
    public subscript(name: String) -> Int? {
        var slot = Self.hash(name) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { return nil }
            if names[entry] == name { return Int(positions[entry]) }
            slot = (slot + 1) & mask
        }
    }

    /// Stores `position` for `name` unless the name is already there; returns whether it was new.
    @discardableResult
    public mutating func insert(_ name: String, position: Int) -> Bool {
        if (names.count + 1) * 2 > slots.count { grow() }
        var slot = Self.hash(name) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 {
                slots[slot] = Int32(names.count)
                names.append(name)
                positions.append(Int32(position))
                return true
            }
            if names[entry] == name { return false }
            slot = (slot + 1) & mask
        }
    }

    /// Replaces the position stored for an existing name.
    public mutating func update(_ name: String, position: Int) {
        var slot = Self.hash(name) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { insert(name, position: position); return }
            if names[entry] == name { positions[entry] = Int32(position); return }
            slot = (slot + 1) & mask
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for (entry, name) in names.enumerated() {
            var slot = Self.hash(name) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(entry)
        }
    }
}
