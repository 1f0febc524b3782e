import XCTest
@testable import Netfilter

/// Names found by their bytes as by their text, through the table's growth.
final class NameIndexTests: XCTestCase {
    func testLookupsByTextAndByBytesAgreeAsTheIndexGrows() {
        var index = NameIndex()
        let names = (0..<5000).map { "KUBE-SEP-\($0 * 7919)" } + ["", "é", "a b"]
        for (position, name) in names.enumerated() { XCTAssertTrue(index.insert(name, position: position)) }
        XCTAssertFalse(index.insert(names[10], position: 99), "a name already there keeps its position")
        XCTAssertEqual(index.count, names.count)
        for (position, name) in names.enumerated() {
            XCTAssertEqual(index[name], position)
            XCTAssertEqual(index[bytes: ArraySlice(Array(name.utf8))], position)
        }
        XCTAssertNil(index["KUBE-SEP-1"])
        XCTAssertNil(index[bytes: ArraySlice(Array("KUBE-SEP-0 ".utf8))])
        index.update("é", position: 7)
        XCTAssertEqual(index["é"], 7)
    }

    func testDecimalBytesReadAsIntegerInitialisersDo() {
        for text in ["0", "+80", "65535", "65536", "", "+", "8a", "007", "-1"] {
            XCTAssertEqual(UInt16(decimal: ArraySlice(Array(text.utf8))), UInt16(text), text)
        }
        XCTAssertEqual(UInt64(decimal: ArraySlice(Array("18446744073709551615".utf8))), UInt64.max)
        XCTAssertNil(UInt64(decimal: ArraySlice(Array("18446744073709551616".utf8))))
    }
}
