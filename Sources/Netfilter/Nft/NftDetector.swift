/// Tells `nft list ruleset` text from the other formats: its first line that is not blank or a
/// `#` comment is `table FAMILY NAME {` with one of nftables' families. No iptables or ebtables
/// text starts so (theirs start with `*TABLE`, `:CHAIN`, `-A`, `Chain`, `Bridge table:`).
public enum NftDetector {
    public static func isNft(_ bytes: [UInt8]) -> Bool {
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            let words = String(decoding: bytes[start..<end], as: UTF8.self)
                .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            start = end + 1
            guard let first = words.first else { continue }
            if first.hasPrefix("#") { continue }
            return words.count >= 3 && first == "table" && NftFamily(rawValue: String(words[1])) != nil
                && words.last == "{"
        }
        return false
    }
}
