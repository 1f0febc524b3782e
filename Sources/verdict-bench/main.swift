import Foundation
import Netfilter

// Evaluation benchmark (run by Scripts/bench-trace): walks many varied packets through a
// ruleset at a hook and prints packets per second, with tracing off and on.
// Usage: verdict-bench RULES HOOK [PACKETS]

let arguments = CommandLine.arguments
guard arguments.count >= 3, let hook = Hook(rawValue: arguments[2].uppercased()),
      let data = FileManager.default.contents(atPath: arguments[1]) else {
    FileHandle.standardError.write(Data("usage: verdict-bench RULES HOOK [PACKETS]\n".utf8))
    exit(2)
}
let count = arguments.count > 3 ? Int(arguments[3]) ?? 1_000_000 : 1_000_000
let bytes = [UInt8](data)
let parsed = SaveParser.parse(bytes, family: Family.detect(in: bytes, fileName: arguments[1]))
guard !parsed.hasErrors else {
    FileHandle.standardError.write(Data("the rules have errors (verdict check)\n".utf8))
    exit(1)
}

// Destinations the rules mention, so that packets hit real rules, plus random ones.
var destinations: [IPv4Address] = []
for table in parsed.ruleset.tables {
    for chain in table.chains {
        for rule in chain.rules {
            if case .v4(let address)? = rule.header.destination?.value.address, rule.header.destination?.value.prefixLength == 32 {
                destinations.append(address)
            }
        }
    }
}

var state: UInt64 = 42
@MainActor func next(_ bound: Int) -> Int {
    state = state &* 6364136223846793005 &+ 1442695040888963407
    return Int((state >> 33) % UInt64(bound))
}
let interfaces = ["eth0", "docker0", "br-1234", "lo", "veth1a2b"]
let states: [ConntrackState] = [.new, .established, .related, .new]
var packets: [Packet] = []
packets.reserveCapacity(10_000)
for _ in 0..<10_000 {
    var packet = Packet()
    packet.protocol = [IPProtocol.tcp, IPProtocol.udp, IPProtocol.icmp][next(3)]
    packet.source = .v4(IPv4Address(UInt32(0x0A00_0000 + next(1 << 20))))
    packet.destination = .v4(!destinations.isEmpty && next(2) == 0 ? destinations[next(destinations.count)]
                             : IPv4Address(UInt32(0xAC11_0000 + next(1 << 16))))
    packet.sourcePort = UInt16(1024 + next(60000))
    packet.destinationPort = [22, 53, 80, 443, 8080, 9090, UInt16(next(65535))][next(7)]
    packet.icmpType = 8
    packet.icmpCode = 0
    packet.tcpFlags = 0x02
    packet.hookState.inInterface = interfaces[next(interfaces.count)]
    packet.hookState.outInterface = hook == .output ? "eth0" : interfaces[next(interfaces.count)]
    packet.conntrack.state = states[next(states.count)]
    packet.host.localAddresses = [.v4(IPv4Address(10, 0, 2, 15)), .v4(IPv4Address(172, 17, 0, 1))]
    packets.append(packet)
}


@MainActor func measure(tracing: Bool) -> Double {
    let evaluator = HookEvaluator(parsed.ruleset, pinned: ["statistic": false], recordsSteps: tracing)
    var outcomes = 0
    let start = DispatchTime.now().uptimeNanoseconds
    for index in 0..<count {
        outcomes &+= evaluator.walk(hook: hook, packet: packets[index % packets.count]).count
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    precondition(outcomes >= count)
    return Double(count) / seconds
}

let untraced = measure(tracing: false)
let traced = measure(tracing: true)
print(String(format: "%@ at %@: %.0f packets/s without tracing, %.0f packets/s with full tracing (%.1fx slower)",
             arguments[1], hook.rawValue, untraced, traced, untraced / traced))
