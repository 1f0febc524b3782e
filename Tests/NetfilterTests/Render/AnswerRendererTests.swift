import XCTest
@testable import Netfilter

/// The answer and the trace lines say when a verdict is the evaluator's own limit (a jump
/// stack exhausted), not a rule's; they find each step's rule by name in constant time.
final class AnswerRendererTests: XCTestCase {
    func testAnExhaustedJumpStackIsSaidWithTheVerdict() throws {
        let line = ChainLines.ruleset(count: ChainWalker.maximumDepth + 1)
        let result = try XCTUnwrap(HookWalker.walk(line, hook: .forward, packet: Packet()).first)
        let book = RuleBook(line)
        let caveat = " (\(ChainWalker.jumpStackExhausted))"
        XCTAssertEqual(AnswerRenderer.explanation(result, ruleset: book),
                       "dropped by filter/C\(ChainWalker.maximumDepth):1" + caveat)
        XCTAssertEqual(TextTraceRenderer.verdictText(result), "DROP" + caveat)
        let lines = TextTraceRenderer.stepLines(result.steps, rules: book, colour: false, markLast: true)
            .split(separator: "\n")
        XCTAssertEqual(lines.count, ChainWalker.maximumDepth + 1)
        XCTAssertEqual(lines.last?.trimmingCharacters(in: .whitespaces),
                       "=> filter/C1024 #1 -j C1025: match -> jump C1025")
    }

    func testAWalkThatEndsByARuleHasNoCaveat() throws {
        let line = ChainLines.ruleset(count: 3, last: "-j DROP")
        let result = try XCTUnwrap(HookWalker.walk(line, hook: .forward, packet: Packet()).first)
        XCTAssertEqual(AnswerRenderer.explanation(result, ruleset: RuleBook(line)), "dropped by filter/C3:1")
        XCTAssertEqual(TextTraceRenderer.verdictText(result), "DROP")
    }
}
