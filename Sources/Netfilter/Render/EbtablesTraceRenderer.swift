/// An ebtables trace as text (the answer first, one line per class of packets, then each
/// class's rules visited) or JSON.
public enum EbtablesTraceRenderer {
    static func verdictWord(_ result: EbtablesResult) -> String {
        switch result.verdict {
        case .accept?: return "ACCEPT"
        case .drop?: return "DROP"
        default: return "UNKNOWN"
        }
    }

    static func packets(_ result: EbtablesResult, described: DescribedPackets) -> String {
        guard let cubes = result.packets?.cubes, let first = cubes.first else {
            return AnswerRenderer.packets(nil, described: described)
        }
        let more = cubes.count > 1 ? " (and \(cubes.count - 1) more part(s))" : ""
        return AnswerRenderer.packets(first, described: described) + more
    }

    /// Where the walk ended: the last rule or policy visited.
    static func decidedBy(_ result: EbtablesResult) -> String {
        result.steps.last(where: { !$0.isNoMatch })?.description ?? "no ebtables chain at this hook (ACCEPT)"
    }

    public static func text(_ results: [EbtablesResult], described: DescribedPackets, brief: Bool) -> String {
        var out = ""
        for result in results {
            let word = verdictWord(result)
            out += word.padding(toLength: 7, withPad: " ", startingAt: 0) + " " + packets(result, described: described)
                + ": " + decidedBy(result) + "\n"
        }
        guard !brief else { return out }
        for (number, result) in results.enumerated() {
            out += "\nclass \(number + 1) of \(results.count): \(verdictWord(result))\n"
            for step in result.steps { out += "  \(step)\n" }
            for line in result.logLines { out += "  log: \(line)\n" }
        }
        return out
    }

    public static func json(_ results: [EbtablesResult], described: DescribedPackets) -> String {
        let classes = results.map { result in
            let steps = result.steps.map { JSONText.string($0.description) }.joined(separator: ", ")
            let logs = result.logLines.map(JSONText.string).joined(separator: ", ")
            return "{\"verdict\": \(JSONText.string(verdictWord(result))), "
                + "\"packets\": \(JSONText.string(packets(result, described: described))), "
                + "\"decidedBy\": \(JSONText.string(decidedBy(result))), \"steps\": [\(steps)], \"logs\": [\(logs)]}"
        }
        return "{\"family\": \"bridge\", \"classes\": [" + classes.joined(separator: ",\n") + "]}\n"
    }
}
