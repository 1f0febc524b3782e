/// One class of packets: a value set per constrained field (unconstrained fields take any
/// value) and the truth of conditions the algebra cannot model (an unknown match, named by
/// its text). A packet is in the class when every field and condition agrees.
public struct PacketCube: Sendable, Hashable {
    /// Constrained fields in field order; a field absent here takes any value.
    public private(set) var constraints: [(field: PacketField, set: FieldSet)]
    /// Conditions in text order with the truth the class requires.
    public private(set) var conditions: [(text: String, holds: Bool)]

    /// Every packet.
    public init() {
        constraints = []
        conditions = []
    }

    /// The values of a field (nil: any value).
    public subscript(field: PacketField) -> FieldSet? {
        constraints.first { $0.field == field }?.set
    }

    /// The one value the class gives a field (nil: any value, or several); a ternary set's
    /// pattern must fix the `width` bits. Read in place, without copying the set.
    func singleValue(of field: PacketField, width: UInt64) -> UInt128? {
        for index in constraints.indices where constraints[index].field == field {
            switch constraints[index].set {
            case .intervals(let set):
                guard set.intervals.count == 1, set.intervals[0].lower == set.intervals[0].upper else { return nil }
                return set.intervals[0].lower
            case .ternary(let set):
                guard set.patterns.count == 1, set.patterns[0].mask & width == width else { return nil }
                return UInt128(set.patterns[0].value)
            }
        }
        return nil
    }

    /// The lowest and highest value of an interval field the class constrains (nil: any value).
    func bounds(of field: PacketField) -> (lower: UInt128, upper: UInt128)? {
        for index in constraints.indices where constraints[index].field == field {
            guard case .intervals(let set) = constraints[index].set, let first = set.intervals.first,
                  let last = set.intervals.last else { return nil }
            return (first.lower, last.upper)
        }
        return nil
    }

    /// Restricts a field to a set (intersecting what was there).
    public mutating func restrict(_ field: PacketField, to set: FieldSet) {
        if let index = constraints.firstIndex(where: { $0.field == field }) {
            constraints[index].set = constraints[index].set.intersection(set)
        } else {
            let position = constraints.firstIndex { $0.field > field } ?? constraints.count
            constraints.insert((field, set), at: position)
        }
    }

    /// Sets a field to exactly these values (what a rewrite such as `MARK --set-mark` does).
    public mutating func replace(_ field: PacketField, with set: FieldSet?) {
        constraints.removeAll { $0.field == field }
        if let set { restrict(field, to: set) }
    }

    /// Requires a condition to hold or not; false when that contradicts the class.
    @discardableResult
    public mutating func require(_ text: String, _ holds: Bool) -> Bool {
        if let existing = conditions.first(where: { $0.text == text }) { return existing.holds == holds }
        let position = conditions.firstIndex { $0.text > text } ?? conditions.count
        conditions.insert((text, holds), at: position)
        return true
    }

    /// The class leaving a condition open.
    public func removingCondition(_ text: String) -> PacketCube {
        var cube = self
        cube.conditions.removeAll { $0.text == text }
        return cube
    }

    /// The truth the class requires of a condition, nil when it leaves it open.
    public func condition(_ text: String) -> Bool? { conditions.first { $0.text == text }?.holds }

    /// Whether some field is empty (no packet is in the class).
    public var isEmpty: Bool { constraints.contains { $0.set.isEmpty } }

    public func intersects(_ other: PacketCube) -> Bool {
        var i = 0, j = 0
        while i < constraints.count && j < other.constraints.count {
            let a = constraints[i], b = other.constraints[j]
            if a.field == b.field {
                if !a.set.intersects(b.set) { return false }
                i += 1
                j += 1
            } else if a.field < b.field {
                i += 1
            } else {
                j += 1
            }
        }
        for condition in other.conditions {
            if let mine = self.condition(condition.text), mine != condition.holds { return false }
        }
        return true
    }

    public func intersection(_ other: PacketCube) -> PacketCube? {
        guard intersects(other) else { return nil }
        var result = self
        for constraint in other.constraints { result.restrict(constraint.field, to: constraint.set) }
        for condition in other.conditions { result.require(condition.text, condition.holds) }
        return result.isEmpty ? nil : result
    }

    /// The packets of this class not in `other`, as disjoint classes.
    public func subtracting(_ other: PacketCube, family: Family) -> [PacketCube] {
        guard intersects(other) else { return [self] }
        var result: [PacketCube] = []
        var inside = self
        for constraint in other.constraints {
            let mine = inside[constraint.field] ?? constraint.field.full(family)
            let outside = mine.subtracting(constraint.set)
            if !outside.isEmpty {
                var piece = inside
                piece.replace(constraint.field, with: outside)
                result.append(piece)
            }
            let kept = mine.intersection(constraint.set)
            if kept.isEmpty { return result }
            inside.replace(constraint.field, with: kept.isFull(constraint.field, family) ? nil : kept)
        }
        for condition in other.conditions where inside.condition(condition.text) == nil {
            var piece = inside
            piece.require(condition.text, !condition.holds)
            result.append(piece)
            inside.require(condition.text, condition.holds)
        }
        return result
    }

    public static func == (lhs: PacketCube, rhs: PacketCube) -> Bool {
        lhs.constraints.elementsEqual(rhs.constraints) { $0.field == $1.field && $0.set == $1.set }
            && lhs.conditions.elementsEqual(rhs.conditions) { $0.text == $1.text && $0.holds == $1.holds }
    }

    public func hash(into hasher: inout Hasher) {
        for constraint in constraints {
            hasher.combine(constraint.field)
            hasher.combine(constraint.set)
        }
        for condition in conditions {
            hasher.combine(condition.text)
            hasher.combine(condition.holds)
        }
    }
}
