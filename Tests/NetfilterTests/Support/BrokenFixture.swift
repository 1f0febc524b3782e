/// A fixture of the repository that is missing or cannot be read: a failure, never a skip
/// (a broken fixture must not let a test pass without testing).
struct BrokenFixture: Error, CustomStringConvertible {
    let problem: String

    init(_ problem: String) { self.problem = problem }

    var description: String { "broken fixture: " + problem }
}
