import XCTest
@testable import Netfilter

/// A rule line's words as iptables-restore's `add_param_to_argv` splits them, read as byte
/// ranges: texts, columns, source lengths and quoting.
final class RuleWordsTests: XCTestCase {
    private func split(_ line: String) -> (words: [Token], unterminated: Int?) {
        var words = RuleWords()
        let unterminated = words.split(ArraySlice(Array(line.utf8)))
        return ((0..<words.count).map(words.token), unterminated)
    }

    func testPlainAndQuotedWords() {
        let (words, unterminated) = split("-A  X -m comment --comment \"a b\"\t-j ACCEPT")
        XCTAssertNil(unterminated)
        XCTAssertEqual(words.map(\.text), ["-A", "X", "-m", "comment", "--comment", "a b", "-j", "ACCEPT"])
        XCTAssertEqual(words.map(\.column), [1, 5, 7, 10, 18, 28, 34, 37])
        XCTAssertEqual(words[5].length, 5)
        XCTAssertEqual(words.map(\.quoted), [false, false, false, false, false, true, false, false])
    }

    func testQuotesMidWordEscapesAndTheClosingQuote() {
        // A quote opening mid-word keeps the bytes before it; the closing quote ends the word.
        let (words, _) = split(#"ab"c d"e "x\"y\\z" 'q' \n"#)
        XCTAssertEqual(words.map(\.text), ["abc d", "e", #"x"y\z"#, "'q'", #"\n"#])
        XCTAssertEqual(words.map(\.quoted), [true, false, true, false, false])
        XCTAssertEqual(words.map(\.length), [7, 1, 9, 3, 2])
    }

    func testAnUnterminatedQuoteTakesTheRestOfTheLine() {
        let (words, unterminated) = split(#"--comment "open end  "#)
        XCTAssertEqual(unterminated, 11)
        XCTAssertEqual(words.map(\.text), ["--comment", "open end  "])
        XCTAssertEqual(words.last?.length, 11)
        let escapedEnd = split(#"x "a\"#)
        XCTAssertEqual(escapedEnd.unterminated, 3)
        XCTAssertEqual(escapedEnd.words.map(\.text), ["x", "a"])
    }

    func testTheBufferIsReusedLineAfterLine() {
        var words = RuleWords()
        _ = words.split(ArraySlice(Array("-A LONGER-CHAIN-NAME -j DROP".utf8)))
        _ = words.split(ArraySlice(Array("-A B".utf8)), firstColumn: 3)
        XCTAssertEqual((0..<words.count).map(words.text), ["-A", "B"])
        XCTAssertEqual((0..<words.count).map { Int(words[$0].column) }, [3, 6])
    }
}
