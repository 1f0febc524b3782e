import FuzzSupport
import Netfilter

// ebtables text (`ebtables-save` or `ebtables -L`), as a snapshot's ebtables.rules is read.
// A finding: a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEbtables(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = try? EbtablesParser.parse(String(decoding: Fuzzer.bytes(data, size), as: UTF8.self))
    return 0
}

Fuzzer.run(fuzzEbtables)
