/// A set of packets read partly as a rule sees them (their current values, which the walk
/// reads through what it changed so far: `SymbolicEnvironment.view`) and partly as they
/// arrived (read as is): the union of its parts, each the packets in its `current` set (as
/// the rule sees them) that are in its `arrival` set (as they arrived). What a match that
/// reads the arrival values makes of a rule's set: conntrack's original tuple, for a
/// connection the packet opened, is what the packet had before any NAT.
public struct MixedSpace: Sendable, Hashable {
    /// One part: a set in each terms, both required.
    public struct Part: Sendable, Hashable {
        public var current: PacketSpace
        public var arrival: PacketSpace

        public init(current: PacketSpace, arrival: PacketSpace) {
            self.current = current
            self.arrival = arrival
        }
    }

    /// The parts, none of them empty.
    public private(set) var parts: [Part]

    public init(_ parts: [Part]) {
        self.parts = parts.filter { !$0.current.isEmpty && !$0.arrival.isEmpty }
    }

    /// The packets of `space` as the rule sees them, whatever they arrived with.
    public init(current space: PacketSpace) {
        self.init([Part(current: space, arrival: .all(space.family))])
    }

    /// The packets in both sets: each part of one with each part of the other.
    public func intersection(_ other: MixedSpace) -> MixedSpace {
        MixedSpace(parts.flatMap { mine in
            other.parts.map { theirs in
                Part(current: mine.current.intersection(theirs.current),
                     arrival: mine.arrival.intersection(theirs.arrival))
            }
        })
    }

    /// The set with each part's current set changed (narrowed, specialized).
    public func mapCurrent(_ change: (PacketSpace) -> PacketSpace) -> MixedSpace {
        MixedSpace(parts.map { Part(current: change($0.current), arrival: $0.arrival) })
    }
}
