/// The netfilter flow diagram for one drawing: a box per station with what the drawn
/// packets did there, laid out as the kernel's flow (the local process row above the IP
/// layer, the bridge layer below it, every packet entering left and leaving right), and
/// the tracks between the boxes.
struct FlowDiagram: Sendable {
    /// What the diagram needs of the host.
    struct Context: Sendable {
        var ruleset: Ruleset
        var ebtables: EbtablesRuleset?
        var showsBridge: Bool
    }

    var boxes: [FlowStation: StationBox] = [:]
    /// Rows from top to bottom, each left to right.
    var rows: [[FlowStation]]
    var context: Context
    /// The NAT (and reroute) labels per track.
    var labels: [TrackKey: [(packet: Int, text: String)]] = [:]
    var origin = Point(0, 0)
    var size = (width: 0.0, height: 0.0)
    /// Where the horizontal tracks of each row run.
    private var trackY: [Int: Double] = [:]
    private var columnRoute = 0.0
    private var columnPost = 0.0
    private var underBridge = 0.0
    private var loopTop = 0.0

    struct TrackKey: Hashable, Sendable {
        var from: FlowStation
        var to: FlowStation
    }

    static let rowGap = 48.0
    static let margin = 28.0

    init(routes: [PacketRoute?], packets: [FlowPacket?], context: Context) {
        self.context = context
        var rows: [[FlowStation]] = [
            [.ipHook(.input), .localProcess, .localRouting, .ipHook(.output)],
            [.entry(.ip), .ipHook(.prerouting), .routing, .ipHook(.forward), .ipHook(.postrouting), .exit(.ip)],
        ]
        if context.showsBridge {
            rows.append([.bridgeHook("INPUT"), .bridgeHook("OUTPUT")])
            rows.append([.entry(.bridge), .bridgeHook("BROUTING"), .bridgeHook("PREROUTING"), .bridgedHook(.prerouting), .bridging,
                         .bridgeHook("FORWARD"), .bridgedHook(.forward), .bridgeHook("POSTROUTING"), .bridgedHook(.postrouting), .exit(.bridge)])
        }
        self.rows = rows
        for station in rows.joined() { boxes[station] = StationBox(station: station, title: Self.title(station)) }
        for (packet, route) in routes.enumerated() {
            guard let route else { continue }
            for visit in route.visits {
                if visit.implied { boxes[visit.station]?.passedBy.insert(packet) } else { boxes[visit.station]?.visitedBy.insert(packet) }
            }
            for (index, text) in route.rewrites where index + 1 < route.visits.count {
                labels[TrackKey(from: route.visits[index].station, to: route.visits[index + 1].station), default: []].append((packet, text))
            }
        }
        for station in rows.joined() {
            guard var box = boxes[station] else { continue }
            fill(&box, routes: routes, packets: packets)
            boxes[station] = box
        }
    }

    static func title(_ station: FlowStation) -> String {
        switch station {
        case .entry: return "in"
        case .exit: return "out"
        case .ipHook(let hook): return hook.rawValue
        case .bridgedHook(let hook): return "\(hook.rawValue) (br_netfilter)"
        case .bridgeHook(let chain): return "ebtables \(chain)"
        case .routing, .localRouting: return "routing decision"
        case .bridging: return "bridging decision"
        case .localProcess: return "local process"
        }
    }

    /// The iptables tables the rules have at a hook, in the kernel's priority order.
    func tables(at hook: Hook) -> [TableKind] {
        HookEvaluator.tables(at: hook).filter { kind in
            kind.builtinChains.contains(hook.rawValue) && context.ruleset.table(named: kind.rawValue)?.chain(named: hook.rawValue) != nil
        }
    }

    /// The ebtables tables at a bridge hook, in the order they run.
    func bridgeTables(at chain: String) -> [String] {
        let order: [String]
        switch chain {
        case "BROUTING": order = ["broute"]
        case "INPUT", "FORWARD": order = ["filter"]
        case "OUTPUT": order = context.ebtables?.isNFTables == true ? ["filter", "nat"] : ["nat", "filter"]
        default: order = ["nat"]
        }
        return order.filter { context.ebtables?.table(named: $0)?.chain(named: chain) != nil }
    }

    /// The box's lines: per table (or decision) what each drawn packet met there.
    private func fill(_ box: inout StationBox, routes: [PacketRoute?], packets: [FlowPacket?]) {
        let station = box.station
        func visits(_ packet: Int) -> [(index: Int, visit: StationVisit)] {
            guard let route = routes[packet] else { return [] }
            return route.visits.enumerated().filter { $0.element.station == station }.map { ($0.offset, $0.element) }
        }
        let drawn = routes.indices.filter { !visits($0).isEmpty }
        switch station {
        case .ipHook(let hook), .bridgedHook(let hook):
            let kinds = tables(at: hook)
            if kinds.isEmpty { box.add("no rules", bold: false) }
            for packet in drawn {
                for (_, visit) in visits(packet) {
                    for case .hook(_, let inDevice, let outDevice, _, _, _) in visit.events {
                        box.add("in \(inDevice ?? "-"), out \(outDevice ?? "-")", packet: packet, marker: true)
                    }
                }
            }
            for kind in kinds {
                box.add(kind.rawValue, bold: true)
                for packet in drawn {
                    for (_, visit) in visits(packet) {
                        for case .hook(_, _, _, let allSteps, let verdict, _) in visit.events {
                            let steps = allSteps.filter { $0.table == kind.rawValue }
                            guard let last = steps.last else {
                                box.add(verdict == .accept ? skippedText(kind, packet: packets[packet]) : "not reached", packet: packet)
                                continue
                            }
                            box.add(RuleSummary.deciding(last, ruleset: context.ruleset), tooltip: RuleSummary.full(last, ruleset: context.ruleset),
                                    packet: packet, lines: 2)
                            var extra: [String] = []
                            let via = RuleSummary.via(steps)
                            if !via.isEmpty { extra.append("via " + via.joined(separator: " › ")) }
                            let effects = RuleSummary.sideEffects(steps)
                            if !effects.isEmpty { extra.append("also " + effects.joined(separator: ", ")) }
                            if !extra.isEmpty { box.add("  " + extra.joined(separator: "; "), packet: packet, lines: 2) }
                        }
                    }
                }
            }
        case .bridgeHook(let chain):
            let tables = bridgeTables(at: chain)
            if tables.isEmpty {
                box.add("no ebtables rules")
                for packet in drawn { box.add("passed", packet: packet, marker: true) }
            }
            for table in tables {
                box.add(table, bold: true)
                for packet in drawn {
                    var found = false
                    for (_, visit) in visits(packet) {
                        for case .bridge(let eventTable, _, let devices, _, let steps, _) in visit.events where eventTable == table {
                            found = true
                            let last = steps.last.map { RuleSummary.bridgeStep($0, table: table, short: true) } ?? "no rule visited"
                            box.add(last, tooltip: steps.map(\.description).joined(separator: "\n"), packet: packet, marker: true)
                            if chain == "OUTPUT" || chain == "POSTROUTING", let port = devices.outPort, visit.events.count > 2 {
                                box.add("  out of \(port)", packet: packet)
                            }
                        }
                    }
                    if !found { box.add("passed", packet: packet, marker: true) }
                }
            }
        default:
            for packet in drawn {
                for (_, visit) in visits(packet) {
                    if let detail = visit.detail { box.add(detail, packet: packet, marker: true) }
                }
            }
        }
        // The fate where the journey ended without leaving.
        for packet in drawn {
            guard let route = routes[packet], let end = route.endVisit, route.visits[end].station == station else { continue }
            switch route.fate {
            case .dropped(let reason): box.add("DROP", tooltip: reason, packet: packet, bold: true, marker: true, alarm: true)
            case .undetermined(let reason): box.add("undetermined: \(reason)", packet: packet, bold: true, marker: true, alarm: true)
            default: break
            }
        }
    }

    /// Why a table has no steps for a packet that passed its hook.
    private func skippedText(_ kind: TableKind, packet: FlowPacket?) -> String {
        guard kind == .nat else { return "not reached" }
        if let state = packet?.packet.conntrack.state, state != .new { return "skipped: \(state.rawValue)" }
        return "not consulted"
    }

    // MARK: layout

    /// Places the boxes: rows top-aligned, the routing and bridging decisions and the
    /// boxes above and below them on one column, POSTROUTING, OUTPUT and the bridge's
    /// OUTPUT and POSTROUTING on another, so that the vertical tracks are straight.
    mutating func layout(top: Double) {
        for station in boxes.keys {
            guard let size = boxes[station]?.size else { continue }
            boxes[station]?.frame.width = size.width
            boxes[station]?.frame.height = size.height
        }
        func width(_ station: FlowStation) -> Double { boxes[station]?.frame.width ?? 0 }
        func gap(_ from: FlowStation, _ to: FlowStation) -> Double {
            let labels = self.labels[TrackKey(from: from, to: to)] ?? []
            return max(40, (labels.map { TextMetrics.width($0.text) }.max() ?? 0) + 20)
        }
        func place(_ station: FlowStation, x: Double) { boxes[station]?.frame.x = x }
        let left = Self.margin
        // Left parts up to the decision column.
        place(.entry(.ip), x: left)
        place(.ipHook(.prerouting), x: left + width(.entry(.ip)) + gap(.entry(.ip), .ipHook(.prerouting)))
        var routeColumn = (boxes[.ipHook(.prerouting)]?.frame.right ?? 0) + gap(.ipHook(.prerouting), .routing) + width(.routing) / 2
        routeColumn = max(routeColumn, left + width(.ipHook(.input)) / 2)
        if context.showsBridge {
            var x = left
            for (station, next) in [(FlowStation.entry(.bridge), FlowStation.bridgeHook("BROUTING")), (.bridgeHook("BROUTING"), .bridgeHook("PREROUTING")),
                                    (.bridgeHook("PREROUTING"), .bridgedHook(.prerouting))] {
                place(station, x: x)
                x += width(station) + gap(station, next)
            }
            place(.bridgedHook(.prerouting), x: x)
            routeColumn = max(routeColumn, x + width(.bridgedHook(.prerouting)) + gap(.bridgedHook(.prerouting), .bridging) + width(.bridging) / 2,
                              left + width(.bridgeHook("INPUT")) / 2)
        }
        columnRoute = routeColumn
        for station in [FlowStation.routing, .bridging, .bridgeHook("INPUT"), .ipHook(.input)] { place(station, x: routeColumn - width(station) / 2) }
        func right(_ station: FlowStation) -> Double { boxes[station]?.frame.right ?? 0 }
        // The middle parts up to the POSTROUTING column.
        place(.ipHook(.forward), x: right(.routing) + gap(.routing, .ipHook(.forward)))
        var postColumn = right(.ipHook(.forward)) + gap(.ipHook(.forward), .ipHook(.postrouting)) + width(.ipHook(.postrouting)) / 2
        place(.localProcess, x: right(.ipHook(.input)) + gap(.ipHook(.input), .localProcess))
        place(.localRouting, x: right(.localProcess) + gap(.localProcess, .localRouting))
        postColumn = max(postColumn, right(.localRouting) + gap(.localRouting, .ipHook(.output)) + width(.ipHook(.output)) / 2)
        if context.showsBridge {
            place(.bridgeHook("FORWARD"), x: right(.bridging) + gap(.bridging, .bridgeHook("FORWARD")))
            place(.bridgedHook(.forward), x: right(.bridgeHook("FORWARD")) + gap(.bridgeHook("FORWARD"), .bridgedHook(.forward)))
            postColumn = max(postColumn, right(.bridgedHook(.forward)) + gap(.bridgedHook(.forward), .bridgeHook("POSTROUTING"))
                                 + width(.bridgeHook("POSTROUTING")) / 2,
                             right(.bridgeHook("INPUT")) + 40 + width(.bridgeHook("OUTPUT")) / 2)
        }
        columnPost = postColumn
        for station in [FlowStation.ipHook(.postrouting), .ipHook(.output), .bridgeHook("OUTPUT"), .bridgeHook("POSTROUTING")] {
            place(station, x: postColumn - width(station) / 2)
        }
        place(.exit(.ip), x: right(.ipHook(.postrouting)) + gap(.ipHook(.postrouting), .exit(.ip)))
        if context.showsBridge {
            place(.bridgedHook(.postrouting), x: right(.bridgeHook("POSTROUTING")) + gap(.bridgeHook("POSTROUTING"), .bridgedHook(.postrouting)))
            place(.exit(.bridge), x: right(.bridgedHook(.postrouting)) + gap(.bridgedHook(.postrouting), .exit(.bridge)))
        }
        // Rows, top to bottom.
        var y = top + 48
        loopTop = top + 32
        for (index, row) in rows.enumerated() {
            let height = row.compactMap { boxes[$0]?.frame.height }.max() ?? 0
            for station in row { boxes[station]?.frame.y = y }
            trackY[index] = y + 15
            y += height + Self.rowGap + (index == 1 ? 14 : 0)
        }
        underBridge = y - Self.rowGap + 18
        let widest = boxes.values.map(\.frame.right).max() ?? 0
        size = (widest + Self.margin + 20, y - Self.rowGap + (context.showsBridge ? 36 : 12) - top)
        origin = Point(0, top)
    }

    /// The y of the horizontal tracks of the row a station is in.
    private func rowY(_ station: FlowStation) -> Double {
        let index = rows.firstIndex { $0.contains(station) } ?? 0
        return trackY[index] ?? 0
    }

    /// The y where the layers' bands meet (under the IP layer's main row).
    var layerBoundary: Double {
        let row = rows.count > 1 ? rows[1] : []
        return (row.compactMap { boxes[$0]?.frame.bottom }.max() ?? 0) + 24
    }

    /// The points of a track, from the edge of one box to the edge of the next; nil when
    /// the diagram has no such track.
    func track(from: FlowStation, to: FlowStation) -> [Point]? {
        guard let a = boxes[from]?.frame, let b = boxes[to]?.frame else { return nil }
        switch (from, to) {
        case (.routing, .ipHook(.input)), (.bridgeHook("INPUT"), .routing), (.bridging, .bridgeHook("INPUT")),
             (.ipHook(.output), .ipHook(.postrouting)), (.ipHook(.postrouting), .bridgeHook("OUTPUT")),
             (.bridgeHook("OUTPUT"), .bridgeHook("POSTROUTING")):
            let x = from == .routing || from == .bridgeHook("INPUT") || from == .bridging ? columnRoute : columnPost
            return a.y > b.y ? [Point(x, a.y), Point(x, b.bottom)] : [Point(x, a.bottom), Point(x, b.y)]
        case (.ipHook(.postrouting), .ipHook(.prerouting)):
            let far = (boxes.values.map(\.frame.right).max() ?? a.right) + 14
            let y1 = rowY(from) + 12
            return [Point(a.right, y1), Point(far, y1), Point(far, loopTop), Point(12, loopTop), Point(12, y1), Point(b.x, y1)]
        case (.bridgeHook("POSTROUTING"), .exit(.bridge)):
            return [Point(a.right - 14, a.bottom), Point(a.right - 14, underBridge), Point(b.midX, underBridge), Point(b.midX, b.bottom)]
        case (.bridgeHook("PREROUTING"), .bridging):
            return [Point(a.midX, a.bottom), Point(a.midX, underBridge), Point(b.midX - 12, underBridge), Point(b.midX - 12, b.bottom)]
        case (.bridgeHook("FORWARD"), .bridgeHook("POSTROUTING")):
            return [Point(a.midX, a.bottom), Point(a.midX, underBridge), Point(b.x + 14, underBridge), Point(b.x + 14, b.bottom)]
        default:
            guard FlowTracks.connects(from, to), rowY(from) == rowY(to), a.right <= b.x else { return nil }
            let y = rowY(from)
            return [Point(a.right, y), Point(b.x, y)]
        }
    }
}
