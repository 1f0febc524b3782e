import Netfilter

/// The options that describe a packet, with iptables' own spellings, declared once for
/// `verdict trace` and `verdict flow`. Their values reach `TraceCommand.describePacket`
/// under the canonical names declared here.
enum PacketOption {
    static let `protocol` = OptionDeclaration(
        "--protocol", aliases: ["-p"], placeholder: "PROTO", negatable: true,
        completion: .words(["tcp", "udp", "icmp", "ipv6-icmp", "sctp", "udplite", "gre", "esp", "ah"]),
        help: "tcp, udp, icmp, ... or a number")
    static let source = OptionDeclaration(
        "--source", aliases: ["-s"], placeholder: "ADDR", negatable: true,
        help: "the source address: ADDR, ADDR/LEN, ADDR/MASK, LOW-HIGH, or a comma list; !ITEM leaves one out")
    static let destination = OptionDeclaration(
        "--destination", aliases: ["-d"], placeholder: "ADDR", negatable: true, help: "the destination address, as -s")
    static let sourcePort = OptionDeclaration(
        "--sport", placeholder: "PORTS", negatable: true,
        help: "the source port: a number, a service name, a range LOW:HIGH, or a comma list")
    static let destinationPort = OptionDeclaration(
        "--dport", placeholder: "PORTS", negatable: true, help: "the destination port, as --sport")
    static let inInterface = OptionDeclaration(
        "--in-interface", aliases: ["-i"], placeholder: "IF", negatable: true, completion: .interfaces,
        help: "the input device (eth+ for a prefix); not given: any device where the hook has one")
    static let outInterface = OptionDeclaration(
        "--out-interface", aliases: ["-o"], placeholder: "IF", negatable: true, completion: .interfaces,
        help: "the output device, as -i")
    static let conntrackState = OptionDeclaration(
        "--ctstate", aliases: ["--state"], placeholder: "STATE", negatable: true,
        completion: .words(ConntrackState.allCases.map(\.rawValue)),
        help: "the connection's state: NEW, ESTABLISHED, RELATED, INVALID or UNTRACKED, or a comma list")
    static let mark = OptionDeclaration(
        "--mark", placeholder: "N[/MASK]", negatable: true, help: "the packet's mark (not given: any mark)")
    static let syn = OptionDeclaration.flag("--syn", help: "a TCP SYN, as iptables' --syn: SYN set, FIN, RST, ACK clear")
    static let tcpFlags = OptionDeclaration(
        "--tcp-flags", placeholder: "FLAGS", help: "exactly the TCP flags that are set (SYN,ACK), the others clear")
    static let icmpType = OptionDeclaration(
        "--icmp-type", placeholder: "TYPE", negatable: true,
        help: "the ICMP type: a name (echo-request), T, T/C or T/C:C")
    static let fragment = OptionDeclaration.flag("--fragment", aliases: ["-f"], help: "a second or later fragment")
    static let length = OptionDeclaration("--length", placeholder: "N", help: "the IP packet's length")
    static let ttl = OptionDeclaration("--ttl", placeholder: "N", help: "the time to live")
    static let tos = OptionDeclaration("--tos", placeholder: "N", help: "the type of service")
    static let connmark = OptionDeclaration(
        "--connmark", placeholder: "N[/MASK]", help: "the connection's mark (not given: any)")
    static let packetType = OptionDeclaration(
        "--pkt-type", placeholder: "TYPE[,TYPE...]", negatable: true, completion: .words(PacketTypeValue.allCases.map(\.name)),
        help: "the link-layer type: unicast, broadcast, multicast or otherhost (not given: any)")
    static let sourceMAC = OptionDeclaration("--mac-source", placeholder: "MAC", help: "the source MAC address")
    static let uid = OptionDeclaration("--uid-owner", placeholder: "N", help: "the sending process's user id")
    static let gid = OptionDeclaration("--gid-owner", placeholder: "N", help: "the sending process's group id")
    static let physdevIn = OptionDeclaration(
        "--physdev-in", placeholder: "PORT", completion: .interfaces,
        help: "the bridge port a bridged packet came in by")
    static let physdevOut = OptionDeclaration(
        "--physdev-out", placeholder: "PORT", completion: .interfaces,
        help: "the bridge port a bridged packet goes out by")
    static let physdevIsBridged = OptionDeclaration.flag("--physdev-is-bridged", help: "a bridged packet")
    static let routed = OptionDeclaration.flag("--routed", help: "a packet that was not bridged")
    static let localAddress = OptionDeclaration(
        "--local-address", arity: .repeatable, placeholder: "ADDR",
        help: "an address of the host (repeatable), for addrtype LOCAL")
    static let packet = OptionDeclaration(
        "--packet", placeholder: "TEXT",
        help: "the whole description in one line: \"tcp 10.0.0.1:40000 -> 10.0.0.2:22 in eth0 ctstate NEW\", "
            + "\"tcp * > 10.0.2.15:8080\" (docs/grammar.md)")

    /// Every packet option, in the order help lists them.
    static let all: [OptionDeclaration] = [
        `protocol`, source, destination, sourcePort, destinationPort, inInterface, outInterface, conntrackState,
        mark, syn, tcpFlags, icmpType, fragment, length, ttl, tos, connmark, packetType, sourceMAC, uid, gid,
        physdevIn, physdevOut, physdevIsBridged, routed, localAddress, packet,
    ]
}
