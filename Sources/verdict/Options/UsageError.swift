/// A command used wrongly. The dispatcher prints it, as `verdict COMMAND: message`, and
/// exits with status 2; with `showsHelp`, the command's help follows.
struct UsageError: Error {
    var message: String
    var showsHelp: Bool

    init(_ message: String, showsHelp: Bool = false) {
        self.message = message
        self.showsHelp = showsHelp
    }
}
