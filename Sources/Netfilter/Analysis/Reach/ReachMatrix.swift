/// Who can reach what on a host (`verdict reach`): for every source (a class of packets
/// and where they enter) and every service (an address and port the host offers, leads on
/// with NAT, or a container has), what a connection comes to, computed over the whole
/// source class by following the request and its reply through the host as `verdict flow`
/// does.
public struct ReachMatrix: Sendable {
    public var family: Family
    public var sources: [ReachSource]
    public var services: [ReachService]
    /// One per source and service, source by source.
    public var cells: [ReachCell]

    public init(family: Family, sources: [ReachSource], services: [ReachService], cells: [ReachCell]) {
        self.family = family
        self.sources = sources
        self.services = services
        self.cells = cells
    }

    /// The cell of a source and a service.
    public func cell(source: Int, service: Int) -> ReachCell { cells[source * services.count + service] }

    /// The matrix of a host for one family, as `query` narrows it. `witnesses`: find a
    /// request of each class and confirm its outcome with its own flow.
    public static func compute(_ path: HostPath, family: Family, query: ReachQuery = ReachQuery(),
                               witnesses: Bool = true) -> ReachMatrix {
        let snapshot = path.snapshot
        let sources = query.sources(ReachSource.all(in: snapshot, family: family), family: family)
        let offered = ServiceDiscovery.services(of: snapshot, family: family)
        var services = offered.filter(query.includes)
        let names = SemanticDiff.interfaceNames(snapshot.ruleset) + snapshot.interfaces.map(\.name)
        let computer = CellComputer(path: path, rules: snapshot.rules(for: family).map(RuleBook.init),
                                    interfaceNames: names, witnesses: witnesses)
        var columns = computer.columns(sources, services)
        for (index, column) in columns.enumerated() {
            let endpoints = column.flatMap { $0.flatMap(\.leadsTo) }
            services[index].to = ReachCell.unique(endpoints.map { PacketDescription.endpoint($0.address, $0.port) })
        }
        // What `--to` asks for that nothing offers, tried as asked.
        let given = query.given(family: family, offered: offered)
        columns += computer.columns(sources, given)
        services += given
        let order = services.indices.sorted { ReachService.precedes(services[$0], services[$1]) }
        var cells: [ReachCell] = []
        for source in sources.indices {
            for (position, service) in order.enumerated() {
                cells.append(ReachCell(source: source, service: position, classes: columns[service][source]))
            }
        }
        return ReachMatrix(family: family, sources: sources, services: order.map { services[$0] }, cells: cells)
    }
}

/// Computes cells: the flow of a service's first packet from a source, its answers classed
/// by what the client sees.
struct CellComputer: Sendable {
    var path: HostPath
    /// The rules of the matrix's family, for the cells' words.
    var rules: RuleBook?
    var interfaceNames: [String]
    var witnesses: Bool

    /// For each service, the classes of each source's cell; the work spread over the cores.
    func columns(_ sources: [ReachSource], _ services: [ReachService]) -> [[[ReachClass]]] {
        let pairs = services.indices.flatMap { service in sources.indices.map { (service, $0) } }
        let computed = Concurrently.map(pairs) { pair in classes(from: sources[pair.1], to: services[pair.0]) }
        return services.indices.map { service in
            Array(computed[(service * sources.count)..<((service + 1) * sources.count)])
        }
    }

    /// The classes of one cell.
    func classes(from source: ReachSource, to service: ReachService) -> [ReachClass] {
        guard let described = service.request else { return [] }
        var packets = described.packets
        if let sourcePackets = source.packets { packets = packets?.intersection(sourcePackets) ?? sourcePackets }
        let origin = source.origin
        let flow = Flow.run(path, request: described.packet, packets: packets, from: origin)
        guard let request = flow.first else { return [] }
        let key = { (answer: FlowAnswer) -> String in
            let result = ReachClassifier.classify(answer, from: origin, service: service)
            return ([result.outcome.rawValue] + result.by + ["|"] + result.nat
                    + ["|", result.why ?? "", answer.request.probability.map { "\($0)" } ?? ""]).joined(separator: " ")
        }
        var answers = FlowAnswers.merged(FlowAnswers.answers(flow), key: key)
        if witnesses {
            answers = FlowAnswers.witnesses(answers, request: request, interfaceNames: interfaceNames, key: key) {
                Flow.run(path, request: $0, from: origin)
            }
        }
        var shown = described.packet
        shown.hookState.inInterface = nil
        shown.hookState.outInterface = nil
        return answers.map { answer in
            let result = ReachClassifier.classify(answer, from: origin, service: service)
            let text = PacketDescription.classText(shown, class: answer.packets)
            // A class whose witness's own flow ends otherwise is one the class engine cannot
            // vouch for: its outcome is not claimed.
            let unconfirmed = answer.confirmed == false
            return ReachClass(packets: answer.packets, packetsText: text,
                              outcome: unconfirmed ? .depends : result.outcome, by: result.by,
                              nat: result.nat, leadsTo: result.leadsTo,
                              why: unconfirmed ? "computed \(result.outcome.rawValue), which its witness's own flow "
                                  + "does not confirm" : result.why,
                              detail: FlowAnswerRenderer.outcomeText(answer, request: request, rules: rules),
                              probability: answer.request.probability.flatMap { $0 < 1 ? $0 : nil },
                              witness: answer.witness, confirmed: answer.confirmed)
        }
    }
}
