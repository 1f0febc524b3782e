/// A TRACE line in JSON (docs/json.md, `lines` of `verdict flow --format json`): the line
/// and the packet's fields at that point, null where verdict does not know them.
enum TraceLineJSON {
    /// `{"trace": "TRACE: ...", "in": "eth0", "out": "", "physin": null, "physout": null,
    /// "src": ..., "dst": ..., "protocol": "TCP", "sport": 50000, "dport": 8080,
    /// "type": null, "code": null, "mark": 1}`.
    static func object(_ line: TraceLine) -> String {
        func quote(_ text: String?) -> String { text.map(JSONText.string) ?? "null" }
        func number<T: BinaryInteger>(_ value: T?) -> String { value.map { String($0) } ?? "null" }
        let header = line.header
        let ports = header?.hasPorts == true
        let icmp = header?.isICMP == true
        // The ports shown where the kernel shows them (not open): the bridge ports only where
        // they differ from the devices.
        let physIn = header.flatMap { $0.physIn != $0.inDevice ? $0.physIn : nil }
        let physOut = header.flatMap { $0.physOut != $0.outDevice ? $0.physOut : nil }
        let fields = [
            "\"trace\": \(quote(line.text))",
            "\"in\": \(quote(header?.inDevice))", "\"out\": \(quote(header?.outDevice))",
            "\"physin\": \(quote(physIn))", "\"physout\": \(quote(physOut))",
            "\"src\": \(quote(header?.source.map(TraceHeader.logged)))",
            "\"dst\": \(quote(header?.destination.map(TraceHeader.logged)))",
            "\"protocol\": \(quote(header?.protocolName))",
            "\"sport\": \(number(ports ? header?.sourcePort : nil))",
            "\"dport\": \(number(ports ? header?.destinationPort : nil))",
            "\"type\": \(number(icmp ? header?.icmpType : nil))",
            "\"code\": \(number(icmp ? header?.icmpCode : nil))",
            "\"mark\": \(number(header?.mark))",
        ]
        return "{" + fields.joined(separator: ", ") + "}"
    }
}
