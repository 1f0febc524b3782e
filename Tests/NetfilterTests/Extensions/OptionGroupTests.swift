import XCTest
@testable import Netfilter

/// Options declared exclusive or required as a group are checked by the parser, with one
/// wording for every extension.
final class OptionGroupTests: XCTestCase {
    func testEachRuleRefusesWhatIptablesRefuses() {
        assertRefuses("-m multiport", containing: "needs one of --sports, --dports or --ports")
        assertRefuses("-p tcp -m multiport --sports 1 --dports 2", containing: "--sports and --dports cannot be combined")
        assertRefuses("-m recent --rsource --rdest --set", containing: "--rsource and --rdest cannot be combined")
        assertRefuses("-m addrtype --limit-iface-in", containing: "needs --src-type or --dst-type")
        assertSaves("-m addrtype --src-type LOCAL --dst-type LOCAL")
        assertSaves("-m recent --set --name DEFAULT --mask 255.255.255.255 --rsource")
    }

    func testEveryGroupNamesDeclaredOptions() {
        for spec in ExtensionRegistry.all {
            let declared = Set(spec.options.map(\.name))
            for group in spec.groups {
                XCTAssertGreaterThan(group.options.count, 1, "\(spec.name): a group of one option")
                for option in group.options {
                    XCTAssert(declared.contains(option), "\(spec.name): group names --\(option), which is not declared")
                }
            }
        }
    }
}
