/// The exit codes scripts can rely on.
enum ExitStatus: Int32 {
    /// Clean: nothing found.
    case success = 0
    /// The input has errors or warnings (findings).
    case findings = 1
    /// Wrong usage, or an input that could not be read.
    case usage = 2
}
