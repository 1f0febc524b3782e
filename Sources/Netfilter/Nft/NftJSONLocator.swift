/// Places in the bytes of a JSON document: the line and column of the value at a JSON path, and
/// of the first syntax error (Foundation says neither well). It scans the bytes itself; it never
/// builds values.
struct NftJSONLocator {
    let bytes: [UInt8]
    /// The byte offset where each line starts (index 0 is line 1).
    private let lineStarts: [Int]

    /// How deep arrays and objects may nest before the document is refused (as Foundation does).
    static let deepestNesting = 512

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == 0x0A { starts.append(offset + 1) }
        lineStarts = starts
    }

    /// The line and column (1-based, columns in bytes) of a byte offset.
    func location(atOffset offset: Int) -> SourceLocation {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return SourceLocation(line: low + 1, column: offset - lineStarts[low] + 1)
    }

    /// Where the value at the path starts; the nearest enclosing value found when the path does
    /// not lead all the way (and 1:1 when not even the first step does).
    func location(of path: NftJSONPath) -> SourceLocation {
        var offset = skipSpace(0)
        for component in path.components {
            guard let next = step(from: offset, component) else { break }
            offset = next
        }
        return location(atOffset: min(offset, max(0, bytes.count - 1)))
    }

    /// Where each element of the array at the path starts, in order.
    func elementOffsets(of path: NftJSONPath) -> [Int] {
        var offset = skipSpace(0)
        for component in path.components {
            guard let next = step(from: offset, component) else { return [] }
            offset = next
        }
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "[") else { return [] }
        var starts: [Int] = []
        var position = skipSpace(offset + 1)
        while position < bytes.count, bytes[position] != UInt8(ascii: "]") {
            starts.append(position)
            guard let end = skipValue(position) else { break }
            position = skipSpace(end)
            if position < bytes.count, bytes[position] == UInt8(ascii: ",") { position = skipSpace(position + 1) }
        }
        return starts
    }

    // MARK: - Walking (lenient: it only has to find things in a document Foundation has read)

    private func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

    private func skipSpace(_ offset: Int) -> Int {
        var offset = offset
        while offset < bytes.count, isSpace(bytes[offset]) { offset += 1 }
        return offset
    }

    /// The offset just past the string starting at the offset (its opening quote).
    private func skipString(_ offset: Int) -> Int? {
        var position = offset + 1
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\\"): position += 2
            case UInt8(ascii: "\""): return position + 1
            default: position += 1
            }
        }
        return nil
    }

    /// The offset just past the value starting at the offset.
    private func skipValue(_ offset: Int) -> Int? {
        guard offset < bytes.count else { return nil }
        switch bytes[offset] {
        case UInt8(ascii: "\""): return skipString(offset)
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            var depth = 0, position = offset
            while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: "\""):
                    guard let end = skipString(position) else { return nil }
                    position = end
                    continue
                case UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    depth -= 1
                    if depth == 0 { return position + 1 }
                default: break
                }
                position += 1
            }
            return nil
        default:
            var position = offset
            while position < bytes.count, !isSpace(bytes[position]),
                  ![UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}")].contains(bytes[position]) {
                position += 1
            }
            return position
        }
    }

    /// Where the member or element named by the component starts, in the value at the offset.
    private func step(from offset: Int, _ component: NftJSONPath.Component) -> Int? {
        guard offset < bytes.count else { return nil }
        switch component {
        case .index(let index):
            guard bytes[offset] == UInt8(ascii: "[") else { return nil }
            var position = skipSpace(offset + 1), current = 0
            while position < bytes.count, bytes[position] != UInt8(ascii: "]") {
                if current == index { return position }
                guard let end = skipValue(position) else { return nil }
                position = skipSpace(end)
                guard position < bytes.count, bytes[position] == UInt8(ascii: ",") else { return nil }
                position = skipSpace(position + 1)
                current += 1
            }
            return nil
        case .key(let key):
            guard bytes[offset] == UInt8(ascii: "{") else { return nil }
            let wanted = Array(key.utf8)
            var position = skipSpace(offset + 1)
            while position < bytes.count, bytes[position] == UInt8(ascii: "\"") {
                guard let keyEnd = skipString(position) else { return nil }
                let name = bytes[(position + 1)..<(keyEnd - 1)]
                position = skipSpace(keyEnd)
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return nil }
                let value = skipSpace(position + 1)
                if name.elementsEqual(wanted) { return value }
                guard let end = skipValue(value) else { return nil }
                position = skipSpace(end)
                guard position < bytes.count, bytes[position] == UInt8(ascii: ",") else { return nil }
                position = skipSpace(position + 1)
            }
            return nil
        }
    }

    // MARK: - Syntax (strict: where and why a document is not JSON)

    /// The first syntax error: its offset and what is wrong; nil for a well-formed document.
    func syntaxError() -> (offset: Int, message: String)? {
        var scanner = Scanner(bytes: bytes)
        do {
            scanner.position = skipSpace(0)
            try scanner.value(depth: 0)
            scanner.position = skipSpace(scanner.position)
            if scanner.position < bytes.count { return (scanner.position, "unexpected text after the JSON value") }
            return nil
        } catch {
            return (error.offset, error.message)
        }
    }

    struct SyntaxError: Error {
        var offset: Int
        var message: String
    }

    /// A strict JSON scanner (RFC 8259) that stops at the first error.
    private struct Scanner {
        let bytes: [UInt8]
        var position = 0

        func fail(_ message: String, at offset: Int? = nil) -> SyntaxError {
            SyntaxError(offset: offset ?? position, message: message)
        }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func skipSpace() {
            while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
        }

        mutating func value(depth: Int) throws(SyntaxError) {
            guard let byte = current else { throw fail("the document ends where a value should be") }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard depth < NftJSONLocator.deepestNesting else {
                    throw fail("arrays and objects nested more than \(NftJSONLocator.deepestNesting) deep")
                }
                try container(close: byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]"), depth: depth)
            case UInt8(ascii: "\""): try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
            default: throw fail("expected a value (object, array, string, number, true, false or null)")
            }
        }

        mutating func container(close: UInt8, depth: Int) throws(SyntaxError) {
            let isObject = close == UInt8(ascii: "}")
            position += 1
            skipSpace()
            if current == close {
                position += 1
                return
            }
            while true {
                if isObject {
                    guard current == UInt8(ascii: "\"") else { throw fail("expected a member name in quotes") }
                    try string()
                    skipSpace()
                    guard current == UInt8(ascii: ":") else { throw fail("expected ':' after the member name") }
                    position += 1
                    skipSpace()
                }
                try value(depth: depth + 1)
                skipSpace()
                guard let byte = current else {
                    throw fail("the document ends inside an \(isObject ? "object" : "array")")
                }
                if byte == close {
                    position += 1
                    return
                }
                guard byte == UInt8(ascii: ",") else {
                    throw fail("expected ',' or '\(Character(Unicode.Scalar(close)))'")
                }
                position += 1
                skipSpace()
            }
        }

        mutating func string() throws(SyntaxError) {
            let start = position
            position += 1
            while let byte = current {
                switch byte {
                case UInt8(ascii: "\""):
                    position += 1
                    return
                case UInt8(ascii: "\\"):
                    position += 1
                    guard let escaped = current else { break }
                    if escaped == UInt8(ascii: "u") {
                        for offset in 1...4 {
                            guard position + offset < bytes.count,
                                  Character(Unicode.Scalar(bytes[position + offset])).isHexDigit else {
                                throw fail("expected four hex digits after \\u", at: position - 1)
                            }
                        }
                        position += 5
                    } else {
                        guard "\"\\/bfnrt".utf8.contains(escaped) else {
                            throw fail("unknown escape '\\\(Character(Unicode.Scalar(escaped)))'", at: position - 1)
                        }
                        position += 1
                    }
                case 0..<0x20: throw fail("a control character inside a string (write it as an escape)")
                default: position += 1
                }
            }
            throw fail("string not closed", at: start)
        }

        mutating func literal(_ word: String) throws(SyntaxError) {
            let expected = Array(word.utf8)
            guard position + expected.count <= bytes.count,
                  Array(bytes[position..<(position + expected.count)]) == expected else {
                throw fail("expected a value (object, array, string, number, true, false or null)")
            }
            position += expected.count
        }

        mutating func number() throws(SyntaxError) {
            func digits() -> Int {
                var count = 0
                while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                    position += 1
                    count += 1
                }
                return count
            }
            if current == UInt8(ascii: "-") { position += 1 }
            if current == UInt8(ascii: "0") {
                position += 1
            } else if digits() == 0 {
                throw fail("expected a digit")
            }
            if current == UInt8(ascii: ".") {
                position += 1
                guard digits() > 0 else { throw fail("expected a digit after '.'") }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                position += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
                guard digits() > 0 else { throw fail("expected a digit in the exponent") }
            }
        }
    }
}
