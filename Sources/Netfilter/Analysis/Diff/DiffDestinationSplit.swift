/// Long chains with a destination index (SpaceDestinationIndex): the walk skips and splits
/// by destination there.
extension DiffWalk {
    /// In a long chain with a destination index: packets with one destination skip to the
    /// next rule they could match; at the chain's start, other packets are split by the
    /// indexed destinations first. Nil when nothing needed doing.
    func prepare(_ piece: DiffPiece) throws -> [DiffPiece]? {
        for which in [Side.old, .new] {
            let cursor = which == .old ? piece.old : piece.new
            guard cursor.ending == nil else { continue }
            let chain = side(which).chain(cursor)
            guard let index = chain.destinationIndex, cursor.rule < chain.rules.count else { continue }
            let destination: UInt128?
            switch cursor.environment.rewrites[.destination] {
            case .value(let value)?: destination = value
            case .opaque?, .bits?: continue
            case nil: destination = SpaceDestinationIndex.point(of: piece.space)
            }
            if destination != nil || cursor.avoidsIndexed {
                let next = index.next(from: cursor.rule, destination: destination, count: chain.rules.count)
                guard next != cursor.rule else { continue }
                var moved = piece
                if which == .old { moved.old.rule = next } else { moved.new.rule = next }
                return [moved]
            }
            guard cursor.rule == 0, cursor.environment.rewrites[.destination] == nil else { continue }
            // Split by the indexed destinations the packets can have, and the rest.
            let (singles, others) = piece.space.splitByDestinations(index.destinations)
            var pieces = singles.map { DiffPiece(space: PacketSpace(family: family, cubes: [$0]), old: piece.old, new: piece.new) }
            // The rest as one piece per class, each avoiding every indexed destination.
            for other in others {
                var restPiece = DiffPiece(space: PacketSpace(family: family, cubes: [other]), old: piece.old, new: piece.new)
                if which == .old { restPiece.old.avoidsIndexed = true } else { restPiece.new.avoidsIndexed = true }
                pieces.append(restPiece)
            }
            return pieces
        }
        return nil
    }
}
