import DeepSearch

/// The credits the commands of this process asked for, for `--max-credits` and `max_credits`
/// and the total a dry run prints: the sum of the "up to" amounts of the requests that spend
/// (what `create` and each `resume` asked for), kept for the life of the process. A request
/// the API refused (an error status) or that was never written gives its amount back.
@MainActor
final class SpendingLedger {
    /// Credits asked for so far.
    private(set) var asked = 0
    /// How many requests that spend were counted.
    private(set) var requests = 0

    func add(_ credits: Int) {
        asked = asked.saturatingAdd(credits)
        requests += 1
    }

    func giveBack(_ credits: Int) {
        asked = max(0, asked.saturatingSubtract(credits))
        requests = max(0, requests - 1)
    }

    /// The dry run's last line: what the script would spend at most.
    var dryRunTotal: String {
        let things = requests == 1 ? "1 request that spends" : "\(requests) requests that spend"
        return "# at most \(asked) credits in all (\(things))"
    }
}
