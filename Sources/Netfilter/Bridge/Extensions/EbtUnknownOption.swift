// An option ebtables-nft may know but verdict does not (read with --lenient): kept as written.

/// An unknown option of a rule read leniently: what it tests is a condition named by its text.
struct EbtUnknownOption: EbtablesExtension {
    /// The option as written, with its `!` and value (`--foo 3`).
    var text: String

    func check(_ packet: Packet, place: String) -> EbtablesCheck {
        .undecided(.condition("\(place) \(text)", family: packet.family))
    }
}
