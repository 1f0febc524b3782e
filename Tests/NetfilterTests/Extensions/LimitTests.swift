import XCTest
@testable import Netfilter

final class LimitTests: XCTestCase {
    func testRatesPrintInTheUnitIptablesChooses() {
        assertSaves("-m limit --limit 100/minute", as: "-m limit --limit 100/min")
        assertSaves("-m limit --limit 5/s --limit-burst 5", as: "-m limit --limit 5/sec")
        assertSaves("-m limit", as: "-m limit --limit 3/hour")
        assertSaves("-m limit --limit 10000/sec --limit-burst 100")
    }

    func testStatisticProbabilityKeepsTheKernelsPrecision() {
        assertSaves("-m statistic --mode random --probability 0.2", as: "-m statistic --mode random --probability 0.20000000019")
        assertSaves("-m statistic --mode random --probability 0.5000000000")
        assertSaves("-m statistic --mode nth --every 3 --packet 1")
        assertRefuses("-m statistic --mode random", containing: "needs --probability")
    }

    func testHashlimit() {
        assertSaves("-m hashlimit --hashlimit-above 10/sec --hashlimit-mode srcip --hashlimit-name x",
                    as: "-m hashlimit --hashlimit-above 10/sec --hashlimit-burst 5 --hashlimit-mode srcip --hashlimit-name x")
    }
}
