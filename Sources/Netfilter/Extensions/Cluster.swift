// libxt_cluster.c / net/netfilter/xt_cluster.c: share connections between cluster nodes
// that all see the same packets, by a hash of each connection's original source address.

extension ExtensionSpec {
    /// `-m cluster --cluster-total-nodes N [!] --cluster-local-node I | [!]
    /// --cluster-local-nodemask M --cluster-hash-seed S`. iptables turns --cluster-local-node I
    /// into the mask 1 << (I - 1) and saves the mask; it reads a mask only from 1 to 32 (its
    /// option table's bounds), so a saved mask above 32 does not load again.
    public static let cluster = ExtensionSpec(
        "cluster", kind: .match,
        options: [
            OptionSpec("cluster-local-nodemask", .number(1...32, name: "node mask"), negatable: true),
            OptionSpec("cluster-total-nodes", .number(1...32, name: "number of nodes"), required: true),
            OptionSpec("cluster-hash-seed", .number(0...UInt64(UInt32.max), name: "seed"), required: true),
            OptionSpec("cluster-local-node", .number(1...32, name: "node"), negatable: true),
        ],
        finalize: { call, context in
            let byNode = call.setting("cluster-local-node")
            if let byNode, case .number(let node) = byNode.value {
                call.remove("cluster-local-node")
                call.set("cluster-local-nodemask", .number(1 << (node - 1)), negated: byNode.negated)
            }
            // libxt_cluster.c cluster_check; xt_cluster_mt_checkentry refuses the same.
            guard let (mask, _) = nodeMask(call), case .number(let total)? = call.setting("cluster-total-nodes")?.value,
                  mask >= 1 << total else { return }
            context.error(byNode != nil ? "--cluster-local-node must be <= --cluster-total-nodes"
                                        : "--cluster-local-nodemask too big for --cluster-total-nodes")
        },
        printer: { call, writer in
            // cluster_save: the mask and the seed as 0x%08x.
            for setting in call.settings {
                let name = call.spec.options[setting.option].name
                writer.option(name, negated: setting.negated)
                guard case .number(let value) = setting.value else { continue }
                writer.word(name == "cluster-total-nodes" ? String(value) : "0x" + String(hex: value, width: 8))
            }
        },
        evaluate: { call, packet in clusterOutcome(call, packet) },
        usesConntrack: true, listing: .cluster, groups: [.exactlyOne("cluster-local-node", "cluster-local-nodemask")])

    /// The node mask and whether it is negated.
    static func nodeMask(_ call: ExtensionCall) -> (mask: UInt64, negated: Bool)? {
        guard let setting = call.setting("cluster-local-nodemask"), case .number(let mask) = setting.value else {
            return nil
        }
        return (mask, setting.negated)
    }

    /// xt_cluster_mt: no connection, no match (whatever the `!`); otherwise the node the
    /// hash of the connection's original source picks is in the mask, or (with `!`) not.
    static func clusterOutcome(_ call: ExtensionCall, _ packet: Packet) -> MatchOutcome {
        guard let (mask, negated) = nodeMask(call),
              case .number(let total)? = call.setting("cluster-total-nodes")?.value,
              case .number(let seed)? = call.setting("cluster-hash-seed")?.value else { return .matches }
        guard packet.conntrack.hasConnection else { return .fails("the packet has no connection to hash") }
        switch packet.conntrack.visibleState {
        case nil: return .unknown("--cluster: whether the packet has a connection was not given")
        case .related?:
            return .unknown("--cluster hashes a related connection's master, which the description does not carry")
        default: break
        }
        let source: IPAddress?
        if let connection = packet.conntrack.tuple {
            source = connection.source
        } else if packet.conntrack.visibleState == .new {
            source = packet.source
        } else {
            return .unknown("--cluster: the connection's original source was not described")
        }
        guard let source else { return .unknown("--cluster: the connection's original source was not given") }
        let node = clusterNode(of: source, nodes: UInt32(total), seed: UInt32(truncatingIfNeeded: seed))
        let inMask = (mask >> UInt64(node)) & 1 == 1
        return MatchOutcome.check(inMask != negated, "\(source) hashes to node \(node + 1)")
    }

    /// The node (from 0) a connection from `source` belongs to: reciprocal_scale of the
    /// Jenkins hash of the address's first 32-bit word, as the kernel loads it on a
    /// little-endian host (x86, arm64). For IPv6 the kernel passes jhash2 a length of
    /// NF_CT_TUPLE_L3SIZE / sizeof(u32), which is 1: only the first word of the address is
    /// hashed (checked on this kernel: every source in fd00::/16 lands on one node).
    static func clusterNode(of source: IPAddress, nodes: UInt32, seed: UInt32) -> UInt32 {
        // The address's first four bytes in network order, loaded as a little-endian word.
        let first: UInt32
        switch source {
        case .v4(let address): first = address.value
        case .v6(let address): first = UInt32(truncatingIfNeeded: address.high >> 32)
        }
        let word = first.byteSwapped
        let hash = jhashOneWord(word, seed: seed)
        return UInt32((UInt64(hash) * UInt64(nodes)) >> 32)
    }

    /// include/linux/jhash.h jhash_1word: __jhash_nwords(a, 0, 0, seed + JHASH_INITVAL + 4).
    static func jhashOneWord(_ word: UInt32, seed: UInt32) -> UInt32 {
        let initial = seed &+ 0xdead_beef &+ 4
        var a = word &+ initial, b = initial, c = initial
        func rotate(_ value: UInt32, _ shift: UInt32) -> UInt32 { value << shift | value >> (32 - shift) }
        // __jhash_final
        c ^= b; c &-= rotate(b, 14)
        a ^= c; a &-= rotate(c, 11)
        b ^= a; b &-= rotate(a, 25)
        c ^= b; c &-= rotate(b, 16)
        a ^= c; a &-= rotate(c, 4)
        b ^= a; b &-= rotate(a, 14)
        c ^= b; c &-= rotate(b, 24)
        return c
    }
}

// libxt_cluster.c cluster_print: `cluster [!]node_mask=0x%08x total_nodes=%u hash_seed=0x%08x`.
extension ListingForm {
    static let cluster = ListingForm(leads: ["cluster"]) { reader in
        guard reader.cursor.takeWord("cluster") else { return false }
        reader.cursor.skipBlanks()
        let negated = reader.cursor.take("!")
        let fields = [("node_mask=", "cluster-local-nodemask"), ("total_nodes=", "cluster-total-nodes"),
                      ("hash_seed=", "cluster-hash-seed")]
        for (key, option) in fields {
            let column = reader.cursor.columnAfterBlanks
            reader.cursor.skipBlanks()
            guard reader.cursor.takePrefix(key), let (value, _) = reader.cursor.word() else {
                reader.fail("cluster without its \(key)", column: column)
                return true
            }
            reader.option(option, [value], negated: negated && option == "cluster-local-nodemask", column: column)
        }
        return true
    }
}
