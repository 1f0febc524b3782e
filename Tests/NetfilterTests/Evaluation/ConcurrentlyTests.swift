import XCTest
@testable import Netfilter

/// Work spread over the cores comes back in the order of its inputs, every input once.
final class ConcurrentlyTests: XCTestCase {
    func testResultsComeBackInInputOrder() {
        for count in [0, 1, 2, 7, 1000] {
            let inputs = Array(0..<count)
            XCTAssertEqual(Concurrently.map(inputs) { $0 * 3 + 1 }, inputs.map { $0 * 3 + 1 }, "\(count) inputs")
        }
    }
}
