/// How many classes of packets an answer lists, and whether only the answer lines.
enum AnswerOption {
    static let brief = OptionDeclaration.flag("--brief", help: "only the answer: one line per class of packets")
    static let maxClasses = OptionDeclaration(
        "--max-classes", placeholder: "N",
        help: "list at most N classes of packets (default 50), then say how many more there are")

    /// `--max-classes`, checked.
    static func maximum(_ arguments: ParsedArguments) throws(UsageError) -> Int {
        guard let text = arguments.value(maxClasses) else { return 50 }
        guard let number = Int(text), number > 0 else {
            throw UsageError("--max-classes takes a number above 0, not '\(text)'")
        }
        return number
    }
}
