/// Where a bridge sends a frame (br_handle_frame_finish, br_forward, br_flood,
/// br_pass_frame_up), as the host path records it: text, JSON and pictures read it.
public enum BridgeDecision: Sendable, Hashable, CustomStringConvertible {
    /// From one port to another, by the forwarding database.
    case forwarded(bridge: String, from: String, to: String)
    /// No forwarding entry for the destination: flooded from the port to the others.
    case flooded(bridge: String, from: String, destination: String)
    /// From a port up to the host.
    case up(bridge: String, from: String)
    /// The host sends out of one port of the bridge.
    case out(bridge: String, port: String)
    /// The host sends, with no forwarding entry for the destination: flooded to these ports.
    case floodedOut(bridge: String, destination: String, ports: [String])
    /// A DNAT destination behind the same bridge the frame came in on: bridged, not routed.
    case keptOnBridge(bridge: String, destination: String)

    /// The bridge that decided.
    public var bridge: String {
        switch self {
        case .forwarded(let bridge, _, _), .flooded(let bridge, _, _), .up(let bridge, _), .out(let bridge, _),
             .floodedOut(let bridge, _, _), .keptOnBridge(let bridge, _):
            return bridge
        }
    }

    /// What the bridge did, in words (after `bridge NAME: `).
    public var words: String {
        switch self {
        case .forwarded(_, let from, let to): return "from port \(from) to port \(to)"
        case .flooded(_, let from, let destination):
            return "no forwarding entry for \(destination): flooded from port \(from)"
        case .up(_, let from): return "from port \(from) to the host"
        case .out(_, let port): return "out of port \(port)"
        case .floodedOut(_, let destination, let ports):
            return "no forwarding entry for \(destination): flooded to "
                + (ports.isEmpty ? "every port" : ports.joined(separator: ", "))
        case .keptOnBridge(_, let destination):
            return "DNAT to \(destination), which is behind the same bridge: bridged, not routed"
        }
    }

    public var description: String { "bridge \(bridge): \(words)" }

    /// Whether the frame crosses the bridge from a port (forwarded, flooded or up to the
    /// host), rather than leaving the host by one of its ports.
    public var crossesFromPort: Bool {
        switch self {
        case .forwarded, .flooded, .up: return true
        case .out, .floodedOut, .keptOnBridge: return false
        }
    }

    /// Whether the host sends the frame out of the bridge's ports.
    public var leavesByPort: Bool {
        switch self {
        case .out, .floodedOut: return true
        case .forwarded, .flooded, .up, .keptOnBridge: return false
        }
    }
}
