/// Standard output as a text stream: what a renderer writes goes out as it is made, through
/// the buffer `print` writes to (so the two keep their order), and a long answer (a walk past
/// a million rules) is never held whole in memory.
struct StandardOutput: TextOutputStream {
    mutating func write(_ string: String) {
        print(string, terminator: "")
    }
}
