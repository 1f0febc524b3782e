import Netfilter

/// How the packet options' values become the packets they describe: the one place that
/// reads them.
extension TraceCommand {
    struct PacketError: Error {
        var message: String
    }

    /// The library's name of each packet option (iptables' short spellings).
    static let describedNames: [String: String] = [
        "--protocol": "-p", "--source": "-s", "--destination": "-d", "--in-interface": "-i",
        "--out-interface": "-o", "--fragment": "-f",
    ]

    /// The packets `--packet` or the iptables-style options describe; `options` holds the
    /// packet options' values under their canonical names (`PacketOption`), a negated value
    /// as "! VALUE".
    static func describePacket(_ options: [String: [String]], family: Family) -> Result<DescribedPackets, PacketError> {
        if let line = options[PacketOption.packet.name]?.last {
            do throws(PacketDescription.ParseError) {
                return .success(try PacketDescription.describe(line, family: family))
            } catch {
                return .failure(PacketError(message: "--packet: \(error)"))
            }
        }
        var given: [DescribedOption] = []
        for declaration in PacketOption.all where declaration.name != PacketOption.packet.name {
            guard let values = options[declaration.name] else { continue }
            let name = describedNames[declaration.name] ?? declaration.name
            for value in declaration.arity == .repeatable ? values : Array(values.suffix(1)) {
                let negated = value.hasPrefix("! ")
                given.append(DescribedOption(name, negated ? String(value.dropFirst(2)) : value, negated: negated))
            }
        }
        do throws(PacketDescription.ParseError) {
            return .success(try PacketDescription.describe(options: given, family: family))
        } catch {
            return .failure(PacketError(message: error.message))
        }
    }
}
