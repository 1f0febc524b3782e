/// What a change opens or closes (`verdict reach OLD NEW`): the cells of two matrices whose
/// outcome differs, matched by source name and service (protocol, address, port). A cell
/// only one side has counts as changed from or to `absent`.
public struct ReachDiff: Sendable {
    /// One changed cell.
    public struct Change: Sendable, Hashable {
        public var source: ReachSource
        public var service: ReachService
        /// nil: the side has no such cell.
        public var old: ReachCell?
        public var new: ReachCell?
    }

    public var changes: [Change]

    /// The changed cells of two matrices of one family.
    public static func compare(_ old: ReachMatrix, _ new: ReachMatrix) -> ReachDiff {
        func key(_ service: ReachService) -> ReachService.Key { service.key }
        let oldSources = Dictionary(old.sources.enumerated().map { ($1.name, $0) },
                                    uniquingKeysWith: { first, _ in first })
        let oldServices = Dictionary(old.services.enumerated().map { (key($1), $0) },
                                     uniquingKeysWith: { first, _ in first })
        let newSources = Set(new.sources.map(\.name))
        let newServices = Set(new.services.map(key))
        var changes: [Change] = []
        for cell in new.cells {
            let source = new.sources[cell.source], service = new.services[cell.service]
            let before = oldSources[source.name].flatMap { row in
                oldServices[key(service)].map { old.cell(source: row, service: $0) }
            }
            if let before, sameOutcome(before, cell) { continue }
            changes.append(Change(source: source, service: service, old: before, new: cell))
        }
        for cell in old.cells {
            let source = old.sources[cell.source], service = old.services[cell.service]
            guard !newSources.contains(source.name) || !newServices.contains(key(service)) else { continue }
            changes.append(Change(source: source, service: service, old: cell, new: nil))
        }
        return ReachDiff(changes: changes)
    }

    /// Whether two cells come to the same: the same outcome, and for a mixed cell the same
    /// classes with the same outcomes.
    static func sameOutcome(_ left: ReachCell, _ right: ReachCell) -> Bool {
        guard left.outcome == right.outcome else { return false }
        guard left.outcome == .partly || left.outcome == .depends else { return true }
        struct Part: Hashable {
            var packets: PacketCube?
            var outcome: ReachOutcome
        }
        func classes(_ cell: ReachCell) -> Set<Part> {
            Set(cell.classes.map { Part(packets: $0.packets, outcome: $0.outcome) })
        }
        return classes(left) == classes(right)
    }
}
