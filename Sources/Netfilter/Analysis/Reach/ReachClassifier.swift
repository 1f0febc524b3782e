/// What a connection's request and reply come to, for a client: a flow answer (one class
/// of requests with what came back for it) as a reach outcome, with its deciding rules and
/// NAT.
enum ReachClassifier {
    /// What a class comes to.
    struct Result {
        var outcome: ReachOutcome
        var by: [String]
        var nat: [String]
        var leadsTo: [Endpoint]
        /// Why the stack dropped the request or its reply, where no rule did.
        var why: String?
    }

    /// The class's outcome, deciding rules and NAT.
    static func classify(_ answer: FlowAnswer, from origin: PacketOrigin, service: ReachService) -> Result {
        let request = answer.request
        var by = deciding(request)
        var why = stackDrop(request)
        let nat = natText(request, service: service)
        // Nothing simulated coming back: the client gets nothing.
        let back: Bool? = answer.reply.map { reaches($0, origin: origin) } ?? false
        if let reply = answer.reply, back == false {
            by += deciding(reply)
            why = why ?? stackDrop(reply).map { "reply " + $0 }
            if why == nil, case .sent(let device) = reply.fate {
                why = "reply out of \(device), not back to the client"
            }
        }
        let outcome: ReachOutcome
        switch request.fate {
        case .undetermined:
            outcome = .depends
        case .dropped:
            if origin == .local, leftOnTheWayOut(request), failsTheSend(request.packet) {
                outcome = .blockedLocally
            } else if request.answer == nil {
                outcome = .dropped
            } else {
                outcome = answered(back, .refused)
            }
        case .delivered:
            outcome = answered(back, request.answer == nil ? .open : .closed)
        case .sent:
            outcome = answered(back, .open)
        }
        return Result(outcome: outcome, by: ReachCell.unique(by), nat: nat, leadsTo: leadsTo(request), why: why)
    }

    /// `reached` when what came back reaches the client, `dropped` when it does not (the
    /// client waits in vain), `depends` when the path back is undetermined.
    static func answered(_ back: Bool?, _ reached: ReachOutcome) -> ReachOutcome {
        switch back {
        case true?: return reached
        case false?: return .dropped
        case nil: return .depends
        }
    }

    /// Whether a packet going back ends at the client: out of the device the request came
    /// in by, or delivered to the host's process that sent it; nil when undetermined.
    static func reaches(_ outcome: PathOutcome, origin: PacketOrigin) -> Bool? {
        switch (outcome.fate, origin) {
        case (.delivered, .local): return true
        case (.sent(let device), .device(let name)): return device == name
        case (.undetermined, _): return nil
        default: return false
        }
    }

    /// Why the stack dropped a journey (no route, a bridge that does not send a frame back
    /// out of its port, ...); nil when a rule did or it was not dropped.
    static func stackDrop(_ outcome: PathOutcome) -> String? {
        guard case .dropped(let reason) = outcome.fate else { return nil }
        if case .hook? = outcome.lastStation { return nil }
        return reason
    }

    /// Whether a host's own packet was dropped on its way out (OUTPUT or POSTROUTING): the
    /// hook's NF_DROP (also REJECT's) is the send's -EPERM.
    static func leftOnTheWayOut(_ outcome: PathOutcome) -> Bool {
        guard case .hook(let hook, _, _, _, _, _)? = outcome.lastStation else { return false }
        return hook == .output || hook == .postrouting
    }

    /// The rules that decided a journey: the rule that dropped it, or else each filter hook's
    /// deciding entry (the rule or policy that accepted it).
    static func deciding(_ outcome: PathOutcome) -> [String] {
        var rules: [String] = []
        for event in outcome.events {
            guard case .hook(let hook, _, _, let steps, let verdict, _) = event else { continue }
            if verdict != .accept, let last = steps.last {
                return rules + [name(of: last)]
            }
            if [.input, .forward, .output].contains(hook), let filter = steps.last(where: { $0.table == "filter" }) {
                rules.append(name(of: filter))
            }
        }
        return rules
    }

    /// `filter/DOCKER:1`, `filter/INPUT policy`.
    static func name(of step: TraceStep) -> String {
        step.kind == .policy ? "\(step.table)/\(step.chain) policy" : "\(step.table)/\(step.chain):\(step.number)"
    }

    /// The NAT rules did on the way: `10.0.2.15:8080 → 172.17.0.2:80` for the destination,
    /// `source → 10.0.2.15` for the source (its address; SNAT keeps the port where it can).
    static func natText(_ outcome: PathOutcome, service: ReachService) -> [String] {
        outcome.events.compactMap { event -> String? in
            guard case .nat(let rewrite) = event, case .target = rewrite.cause else { return nil }
            switch rewrite.end {
            case .destination:
                return PacketDescription.endpoint(service.address, service.port) + " → " + rewrite.endpoint
            // The source's address: its port is the client's, whatever the class leaves open.
            case .source: return "source → " + PacketDescription.endpoint(rewrite.address, nil)
            }
        }
    }

    /// Where destination NAT took the request (nothing when none did).
    static func leadsTo(_ outcome: PathOutcome) -> [Endpoint] {
        outcome.events.compactMap { event -> Endpoint? in
            guard case .nat(let rewrite) = event, case .target = rewrite.cause, rewrite.end == .destination else {
                return nil
            }
            return Endpoint(address: rewrite.address, port: rewrite.port)
        }
    }

    /// Whether the sending call sees the -EPERM of a packet dropped on its way out: a UDP
    /// datagram's sendto and an echo request's do; a TCP SYN's does not, for TCP ignores
    /// the error of the segment it sends and sends it again until connect() times out
    /// (checked on this machine: docs/semantics.md).
    static func failsTheSend(_ packet: Packet) -> Bool {
        packet.protocol != IPProtocol.tcp
    }
}
