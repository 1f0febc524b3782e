/// One answer of a flow: a class of requests, what happened to them, and what happened to
/// what came back (the reply, or the host's answer when it refused them).
public struct FlowAnswer: Sendable {
    /// The request's journey and its position among the request's outcomes.
    public var request: PathOutcome
    public var requestIndex: Int
    /// What came back for this class (nil when nothing does: the request was dropped, or
    /// the answer is not simulated).
    public var reply: PathOutcome?
    /// The packet that came back, as it started.
    public var replyPacket: FlowPacket?
    /// The class of requests, as they arrived (nil: every packet described).
    public var packets: PacketCube?
    /// A request of the class, every field given, and whether its concrete flow ends the
    /// same way.
    public var witness: Packet?
    public var confirmed: Bool?
}

/// Pairs each class of requests with what comes back for it: a request outcome whose reply
/// splits (reply dropped for some sources, say) becomes one answer per part.
public enum FlowAnswers {
    public static func answers(_ packets: [FlowPacket]) -> [FlowAnswer] {
        guard let request = packets.first else { return [] }
        let family = request.packet.family
        var answers: [FlowAnswer] = []
        for (index, outcome) in request.outcomes.enumerated() {
            let back = packets.dropFirst().filter { $0.answering == index }
            let requestCubes: [PacketCube?] = outcome.packets.map { $0.cubes.map(Optional.some) } ?? [nil]
            guard !back.isEmpty else {
                for cube in requestCubes {
                    answers.append(FlowAnswer(request: outcome, requestIndex: index, reply: nil, replyPacket: nil, packets: cube))
                }
                continue
            }
            for replyPacket in back {
                for reply in replyPacket.outcomes {
                    let backwards = reply.packets?.turnedAround(moving: replyPacket.answeringFields)
                    for cube in requestCubes {
                        guard let backwards else {
                            answers.append(FlowAnswer(request: outcome, requestIndex: index, reply: reply, replyPacket: replyPacket,
                                                      packets: cube))
                            continue
                        }
                        let both = PacketSpace(family: family, cubes: [cube ?? PacketCube()]).intersection(backwards)
                        for part in both.cubes {
                            answers.append(FlowAnswer(request: outcome, requestIndex: index, reply: reply, replyPacket: replyPacket,
                                                      packets: part))
                        }
                    }
                }
            }
        }
        return answers
    }
}

extension FlowAnswers {
    /// Answers that say the same (`key`: the answer line without its packets) merged,
    /// their classes joined where the algebra allows.
    public static func merged(_ answers: [FlowAnswer], key: (FlowAnswer) -> String) -> [FlowAnswer] {
        guard let family = answers.first?.request.packet.family else { return [] }
        return PacketCube.grouped(answers, family: family, key: key, packets: { $0.packets.map { [$0] } }).map { answer, cube in
            var answer = answer
            answer.packets = cube.flatMap { $0.constraints.isEmpty && $0.conditions.isEmpty ? nil : $0 }
            return answer
        }
    }

    /// A request of each class, every field given, whose concrete flow (`run`) must give an
    /// answer that says the same (`key`, as `merged` groups them).
    public static func witnesses(_ answers: [FlowAnswer], request: FlowPacket, interfaceNames: [String],
                                 key: (FlowAnswer) -> String, run: (Packet) -> [FlowPacket]) -> [FlowAnswer] {
        answers.map { answer in
            var answer = answer
            let wanted = key(answer)
            let found = Witness.confirmed(for: answer.packets, candidate: { choice in
                guard var concrete = OutcomeClasses.witness(in: answer.packets,
                                                            described: DescribedPackets(packet: request.packet),
                                                            hook: nil, interfaceNames: interfaceNames, choice: choice)
                else { return nil }
                // The path gives the devices, and a local process's source when it chose none.
                concrete.hookState.inInterface = nil
                concrete.hookState.outInterface = nil
                if request.origin == .local, request.packet.source == nil, answer.packets?[.source] == nil {
                    concrete.source = nil
                }
                return concrete
            }, confirms: { Self.answers(run($0)).contains { key($0) == wanted } })
            if let found {
                answer.witness = found.witness
                answer.confirmed = found.confirmed
            }
            return answer
        }
    }
}
