/// JUnit XML for CI systems (`verdict test --junit FILE`): one `testsuite` per spec file,
/// one `testcase` per case (named by its line and its text), a `failure` with the
/// explanation as its message and the walk behind it as its text.
public enum JUnitRenderer {
    public static func render(_ results: [SpecResult]) -> String {
        let tests = results.reduce(0) { $0 + $1.cases.count }
        let failures = results.reduce(0) { $0 + $1.failed }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"verdict test\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\">\n"
        for result in results {
            out += "  <testsuite name=\"\(escape(result.file))\" tests=\"\(result.cases.count)\" failures=\"\(result.failed)\" errors=\"0\" skipped=\"0\">\n"
            for item in result.cases {
                let name = "line \(item.item.line): " + OutcomeWords.caseLine(item.item)
                out += "    <testcase name=\"\(escape(name))\" classname=\"\(escape(result.file))\" file=\"\(escape(result.file))\" line=\"\(item.item.line)\""
                if item.passed {
                    out += "/>\n"
                } else {
                    out += ">\n      <failure message=\"\(escape(item.message))\" type=\"expectation\">"
                    out += escape("\(result.file):\(item.item.line): \(item.message)\n\n\(item.details)", inAttribute: false)
                    out += "</failure>\n    </testcase>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    /// Text for an attribute or element (see `XMLText.escape`).
    public static func escape(_ text: String, inAttribute: Bool = true) -> String {
        XMLText.escape(text, inAttribute: inAttribute)
    }
}
