import Foundation
import XCTest
@testable import Netfilter

/// Every cell of the matrix against concrete connections: random requests from each cell's
/// source (an address of its class, a source port), each followed on its own as `verdict
/// flow` follows one packet, must come to the outcomes of the cell's classes that hold it
/// (several where a random pick or a condition splits them, and the concrete flow splits the
/// same way), or to `depends` where the class's witness is not confirmed (the class engine
/// cannot vouch for it, and the cell says so instead of claiming an outcome). Hosts: the
/// bundled snapshots and the conformance fixtures (random rule sets the kernel loaded on a
/// Docker-style host). `VERDICT_REACH_SEED` changes the requests.
final class ReachPropertyTests: XCTestCase {
    static let seed = UInt64(ProcessInfo.processInfo.environment["VERDICT_REACH_SEED"] ?? "") ?? 1

    static func hosts() throws -> [(name: String, snapshot: HostSnapshot)] {
        let repository = ReachMatrixTests.repository
        let conformance = repository.appendingPathComponent("Tests/Fixtures/conformance")
        let names = try FileManager.default.contentsOfDirectory(atPath: conformance.path).filter { !$0.hasPrefix(".") }
        let folders = ["rulesets/docker-default", "rulesets/docker-27", "rulesets/kube-proxy"]
            .map { repository.appendingPathComponent($0).path }
            + names.sorted().map { conformance.appendingPathComponent($0).path }
        return try folders.map { (($0 as NSString).lastPathComponent, try HostSnapshot.load($0)) }
    }

    /// A value of an interval set, at random.
    static func pick(_ set: IntervalSet, using generator: inout SeededGenerator) -> UInt128? {
        guard let interval = set.intervals.randomElement(using: &generator) else { return nil }
        let width = interval.upper - interval.lower
        guard width < UInt128(UInt64.max) else { return interval.lower + UInt128(generator.next() % UInt64.max) }
        return interval.lower + UInt128(UInt64.random(in: 0...UInt64(width), using: &generator))
    }

    func testCellsAgreeWithConcreteConnections() throws {
        var generator = SeededGenerator(seed: Self.seed)
        var tried = 0, unvouched = 0
        for (name, snapshot) in try Self.hosts() {
            let path = HostPath(snapshot)
            let matrix = ReachMatrix.compute(path, family: .ipv4)
            XCTAssertFalse(matrix.cells.isEmpty, name)
            for cell in matrix.cells {
                let source = matrix.sources[cell.source], service = matrix.services[cell.service]
                guard let described = service.request else { return XCTFail("\(name): \(service.name)") }
                for _ in 0..<2 {
                    var packet = described.packet
                    if let addresses = source.addresses, let value = Self.pick(addresses, using: &generator) {
                        packet.source = RuleSpace.address(value, family: .ipv4)
                    }
                    if service.port != nil { packet.sourcePort = UInt16.random(in: 1024...65535, using: &generator) }
                    let flow = Flow.run(path, request: packet, from: source.origin)
                    let seen = Set(FlowAnswers.answers(flow).map {
                        ReachClassifier.classify($0, from: source.origin, service: service).outcome
                    })
                    var arrived = flow.first?.packet ?? packet
                    arrived.hookState.inInterface = nil
                    let classes = cell.classes.filter { $0.packets?.contains(arrived) ?? true }
                    let holding = Set(classes.map(\.outcome))
                    let vouched = Set(classes.filter { $0.confirmed != false }.map(\.outcome))
                    if seen != holding {
                        let request = PacketDescription.format(arrived)
                        XCTAssertTrue(classes.contains { $0.confirmed == false } && vouched.isSubset(of: seen),
                                      "\(name): \(source.name) → \(service.name): \(request): \(seen) against "
                                        + "\(holding) (replay: VERDICT_REACH_SEED=\(Self.seed))")
                        unvouched += 1
                    }
                    tried += 1
                }
            }
        }
        XCTAssertGreaterThan(tried, 500)
        // Most requests meet classes the engine vouches for.
        XCTAssertLessThan(unvouched * 10, tried, "\(unvouched) of \(tried)")
    }
}
