import FuzzSupport
import Netfilter

// Rule text (an iptables-save dump or an `iptables -L` listing, either family) through what
// `check` and `fmt` do. A finding: a crash, or canonical text (what fmt prints) that does not
// load again or does not print back the same.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRules(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Fuzzer.bytes(data, size)
    let family = RulesInput.detectFamily(bytes)
    let result = RulesInput.parse(bytes, family: family)
    let diagnostics = Validator.diagnostics(of: result)
    let source = SourceText(name: "fuzz.rules", bytes: bytes)
    for diagnostic in diagnostics { _ = source.render(diagnostic) }
    guard !diagnostics.contains(where: { $0.severity == .error }) else { return 0 }
    let canonical = SavePrinter.bytes(result.ruleset)
    let again = SaveParser.parse(canonical, family: family)
    let errors = Validator.diagnostics(of: again).filter { $0.severity == .error }
    if let error = errors.first {
        Fuzzer.fail("fmt's output does not load: \(error.location.line):\(error.location.column): "
                    + error.message + "\n" + String(decoding: canonical, as: UTF8.self))
    }
    if SavePrinter.bytes(again.ruleset) != canonical {
        Fuzzer.fail("fmt's output does not print back the same:\n" + String(decoding: canonical, as: UTF8.self))
    }
    return 0
}

Fuzzer.run(fuzzRules)
