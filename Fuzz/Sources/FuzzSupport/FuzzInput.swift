import Foundation
import Netfilter

/// A fuzz input that stands for several files: a head (packet options, one line), then
/// sections, each opened by a line `== NAME` (a snapshot's file name, `rules`, `spec`).
public struct FuzzInput {
    public var head: String
    public var files: [String: [UInt8]]

    public init(_ bytes: [UInt8]) {
        var head: [UInt8] = []
        var files: [String: [UInt8]] = [:]
        var current: String?
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            let line = bytes[start..<min(end + 1, bytes.count)]
            if line.starts(with: [0x3D, 0x3D, 0x20]) {
                let name = String(decoding: line.dropFirst(3), as: UTF8.self)
                current = name.trimmingCharacters(in: .whitespacesAndNewlines)
                files[current ?? ""] = files[current ?? ""] ?? []
            } else if let name = current {
                files[name, default: []].append(contentsOf: line)
            } else {
                head.append(contentsOf: line)
            }
            start = end + 1
        }
        self.head = String(decoding: head, as: UTF8.self)
        self.files = files
    }

    /// The head as packet options, as the command line gives them: `-p tcp ! --dport 80 --syn`
    /// (a word that starts with `-` is an option; the next word, unless it is one, its value).
    public var packetOptions: [DescribedOption] {
        let words = head.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
            .map(String.init)
        var options: [DescribedOption] = []
        var negated = false
        var index = 0
        while index < words.count {
            let word = words[index]
            index += 1
            if word == "!" {
                negated = true
                continue
            }
            guard word.hasPrefix("-") else { continue }
            var value = ""
            if index < words.count, !words[index].hasPrefix("-"), words[index] != "!" {
                value = words[index]
                index += 1
            }
            options.append(DescribedOption(word, value, negated: negated, column: 1))
            negated = false
        }
        return options
    }
}
