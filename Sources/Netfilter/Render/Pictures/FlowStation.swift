/// A place of the netfilter flow diagram (the kernel's packet flow through the IP and
/// bridge layers) that a packet can pass.
public enum FlowStation: Sendable, Hashable {
    /// Where packets come in: from a device of the IP layer, or a bridge port.
    case entry(FlowLayer)
    /// Where packets leave.
    case exit(FlowLayer)
    /// An iptables hook of the IP layer, with the tables registered there.
    case ipHook(Hook)
    /// An iptables hook br_netfilter calls for a frame the bridge handles (PREROUTING,
    /// FORWARD, POSTROUTING in the bridge layer).
    case bridgedHook(Hook)
    /// An ebtables hook: BROUTING, PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING.
    case bridgeHook(String)
    /// The routing decision for a received packet.
    case routing
    /// The routing decision for a packet a local process sends.
    case localRouting
    /// The bridge's decision: to another port, or up to the host.
    case bridging
    case localProcess
}

/// The two layers of the diagram.
public enum FlowLayer: String, Sendable, Hashable {
    case ip, bridge
}

/// One station of a packet's journey and what happened there.
struct StationVisit: Sendable {
    var station: FlowStation
    /// The hook and ebtables events at this station (several for ebtables OUTPUT's two
    /// tables, or a flooded frame's copies).
    var events: [PathEvent] = []
    /// The routing or bridging decision, the device, or the delivery, in words.
    var detail: String?
    /// Passed without an event: nothing is loaded there (ebtables hooks without rules).
    var implied = false
}

/// A packet's journey as stations of the diagram: built from a `PathOutcome`'s events,
/// with the hooks it passes without rules filled in along the diagram's tracks.
struct PacketRoute: Sendable {
    var visits: [StationVisit]
    /// NAT rewrites, each on the track leaving the visit at that index.
    var rewrites: [(visit: Int, text: String)]
    /// The notes of the path (no listener, bridge remarks) in order.
    var notes: [String]
    var fate: PacketFate
    /// The index of the visit where the packet was dropped (or its path ended undetermined).
    var endVisit: Int?

    /// `bridgePorts`: each bridge port of the host with its bridge.
    init(_ flowPacket: FlowPacket, outcome: PathOutcome, bridgePorts: [String: String]) {
        var visits: [StationVisit] = []
        var notes: [String] = []
        var layer = FlowLayer.ip
        switch flowPacket.origin {
        case .local:
            visits.append(StationVisit(station: .localProcess, detail: "sends " + Self.addresses(flowPacket.packet)))
        case .device(let name):
            layer = bridgePorts[name] != nil ? .bridge : .ip
            visits.append(StationVisit(station: .entry(layer), detail: name))
        }
        var natDone: [(station: FlowStation, text: String)] = []
        var pendingBridging: String?
        var routed = false
        var reroute: String?
        func add(_ visit: StationVisit) {
            if case .bridgeHook = visit.station, let index = visits.firstIndex(where: { $0.station == visit.station }) {
                // A flooded frame passes the same hooks once per port: one station.
                visits[index].events += visit.events
                if visits[index].detail == nil { visits[index].detail = visit.detail }
            } else {
                visits.append(visit)
            }
        }
        func bridgingNow() {
            guard let text = pendingBridging else { return }
            add(StationVisit(station: .bridging, detail: text))
            pendingBridging = nil
        }
        for event in outcome.events {
            switch event {
            case .bridge(_, let chain, _, _, _, _):
                if chain != "BROUTING" && chain != "PREROUTING" { bridgingNow() }
                layer = .bridge
                add(StationVisit(station: .bridgeHook(chain), events: [event]))
                if chain == "INPUT" { layer = .ip }
            case .hook(let hook, _, _, _, _, _):
                let bridged = layer == .bridge && hook != .input && hook != .output
                add(StationVisit(station: bridged ? .bridgedHook(hook) : .ipHook(hook), events: [event]))
                if bridged && hook == .prerouting { bridgingNow() }
            case .routing(let decision):
                let text = String(PathRenderer.routingText(decision).dropFirst("route: ".count))
                if flowPacket.origin == .local && routed {
                    reroute = "rerouted: " + text
                } else {
                    add(StationVisit(station: flowPacket.origin == .local ? .localRouting : .routing, detail: text))
                }
                routed = true
                layer = .ip
            case .bridging(let decision):
                if decision.crossesFromPort {
                    pendingBridging = decision.words
                } else if decision.leavesByPort {
                    layer = .bridge
                } else {
                    notes.append(decision.description)
                }
            case .sentDirectly:
                layer = .bridge
            case .note(let text):
                notes.append(text)
            case .nat(let rewrite):
                if let station = visits.last?.station {
                    natDone.append((station, Self.label(rewrite, request: flowPacket.direction == .request)))
                }
            }
        }
        var endVisit: Int?
        switch outcome.fate {
        case .delivered(let device):
            bridgingNow()
            add(StationVisit(station: .localProcess, detail: "delivered (in on \(device))"))
        case .sent(let device):
            bridgingNow()
            add(StationVisit(station: .exit(layer), detail: device))
        case .dropped, .undetermined:
            endVisit = visits.count - 1
        }
        self.visits = Self.filled(visits)
        if let end = endVisit, let last = visits.indices.contains(end) ? visits[end].station : nil {
            endVisit = self.visits.lastIndex { $0.station == last }
        }
        self.endVisit = endVisit
        self.notes = notes
        fate = outcome.fate
        let filled = self.visits
        rewrites = natDone.compactMap { done in
            filled.firstIndex { $0.station == done.station }.map { ($0, done.text) }
        }
        if let reroute, let output = self.visits.firstIndex(where: { $0.station == .ipHook(.output) }) {
            rewrites.append((output, reroute))
        }
    }

    static func addresses(_ packet: Packet) -> String {
        PacketDescription.endpoint(packet.source, packet.sourcePort) + " > " + PacketDescription.endpoint(packet.destination, packet.destinationPort)
    }

    /// The journey with the stations it passes between two recorded ones filled in
    /// (ebtables hooks without rules, a routing decision), along the diagram's tracks.
    static func filled(_ visits: [StationVisit]) -> [StationVisit] {
        var out: [StationVisit] = []
        for visit in visits {
            if let previous = out.last?.station, !FlowTracks.connects(previous, visit.station),
               let between = FlowTracks.passage(from: previous, to: visit.station) {
                for station in between where !out.contains(where: { $0.station == station }) {
                    out.append(StationVisit(station: station, implied: true))
                }
            }
            out.append(visit)
        }
        return out
    }

    /// A NAT rewrite's label on the track leaving its hook: the target that did it
    /// (`dnat → 172.17.0.2:80`), or the connection's binding (`undo snat: dst → ...` on a reply).
    static func label(_ rewrite: NATRewrite, request: Bool) -> String {
        let name: String
        switch rewrite.cause {
        case .target(let target): name = target.lowercased()
        case .binding:
            switch (rewrite.end, request) {
            case (.destination, true): name = "dnat"
            case (.source, true): name = "snat"
            case (.destination, false): name = "undo snat: dst"
            case (.source, false): name = "undo dnat: src"
            }
        }
        return "\(name) → \(rewrite.endpoint)"
    }
}
