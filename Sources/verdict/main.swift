import Foundation

// verdict: what does this host's firewall do to this packet, and why?
// The command-line tool is thin: it parses arguments and calls the Netfilter library.
let status = VerdictCommand.run(Array(CommandLine.arguments.dropFirst()))
exit(status.rawValue)
