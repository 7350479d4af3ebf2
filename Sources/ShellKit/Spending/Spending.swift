import DeepSearch

/// The spending guard of one command (`context.spending`): asked before every request that may
/// spend credits, with the most it may spend.
///
/// - A limit (`--max-credits N`, `set max_credits N`; the smaller wins) refuses, before
///   anything is sent, a request that would take the credits the process asked for (its
///   ``SpendingLedger``) past it. In playback, at the prompt, in a dry run: always.
/// - At the interactive prompt only, a request that may spend more than `confirm_above`, or
///   more than the account has left, asks `y/N` first (default no; Ctrl-C and Ctrl-D are no).
///   Playback never asks.
///
/// The credits left are read once per command (`GET /v1/user`), when the command first asks;
/// when they cannot be read (an older server, a 404, the network) the command goes on without
/// them. A command that spends nothing never reads them.
@MainActor
public final class Spending {
    /// The largest `--max-credits`, `max_credits` and `confirm_above` take.
    public nonisolated static let largest = 1_000_000

    private unowned let context: CommandContext
    /// The credits left as the API said before this command's first request that spends:
    /// nil until read, `.some(nil)` when they could not be read.
    private var balanceRead: Int??
    /// Credits this command asked for so far.
    public private(set) var asked = 0
    /// Requests of this command that asked.
    public private(set) var requests = 0
    /// The person said yes past `confirm_above`, and past the credits left: asked once a command.
    private var confirmedAbove = false
    private var confirmedBalance = false

    init(_ context: CommandContext) {
        self.context = context
    }

    private var ledger: SpendingLedger { context.environment.spendingLedger }
    private var options: ShellOptions { context.environment.options }

    /// The limit in force, and what set it: the smaller of `--max-credits` and `max_credits`.
    var limit: (credits: Int, name: String)? {
        let limits = [options.maxCredits.map { ($0, "--max-credits") }, context.settings.maxCredits.map { ($0, "max_credits") }]
        return limits.compactMap { $0 }.min { $0.0 < $1.0 }.map { (credits: $0.0, name: $0.1) }
    }

    /// Whether a person can be asked: the interactive prompt, on a terminal, not a dry run.
    var canAsk: Bool {
        !context.environment.isPlayback && context.console.inputIsTerminal && !options.dryRun
    }

    /// The credits left before this command spent any, read once (`GET /v1/user`); nil when they
    /// could not be read, and in a dry run (which sends nothing).
    public func balance() async -> Int? {
        if let read = balanceRead { return read }
        var value: Int?
        if !options.dryRun {
            value = try? await context.client().send(.user).value.availableCredits
        }
        balanceRead = .some(value)
        return value
    }

    /// What the guard says of a request that may spend up to `credits`.
    enum Verdict: Equatable {
        case go
        /// A limit refuses it: why.
        case refused(String)
        /// The person said no.
        case declined
    }

    /// Decides on a request described by `what` (`create`, `resume 40`) that may spend up to
    /// `credits`; when it may go, counts them. A yes holds for the rest of the command (the
    /// rounds after it), which the question says when `rounds`.
    func decide(upTo credits: Int, for what: String, rounds: Bool = false) async -> Verdict {
        if let limit, ledger.asked.saturatingAdd(credits) > limit.credits {
            let so = ledger.asked == 0 ? "" : "; \(ledger.asked) asked for already"
            let raise = limit.name == "max_credits" ? "set max_credits higher, or off, to allow it" : "a larger --max-credits allows it"
            return .refused(
                "up to \(Self.credits(credits)) would pass the limit of \(limit.credits) (\(limit.name)\(so)); \(raise)")
        }
        let left = await balance()
        if canAsk {
            let after = asked.saturatingAdd(credits)
            var reasons: [String] = []
            let overThreshold = context.settings.confirmAbove.map { after > $0 } ?? false
            let overBalance = left.map { after > $0 } ?? false
            if overThreshold && !confirmedAbove { reasons.append("more than confirm_above \(context.settings.confirmAbove ?? 0)") }
            if overBalance && !confirmedBalance { reasons.append("more than the \(left ?? 0) left") }
            if !reasons.isEmpty {
                let after = rounds ? " (yes holds for the rounds after it)" : ""
                let question = "\(what) may spend up to \(credits) credits, \(reasons.joined(separator: " and "))\(after). Send it?"
                guard await ConfirmPrompt.ask(question, console: context.console) else { return .declined }
                confirmedAbove = confirmedAbove || overThreshold
                confirmedBalance = confirmedBalance || overBalance
            }
        }
        ledger.add(credits)
        asked = asked.saturatingAdd(credits)
        requests += 1
        return .go
    }

    /// Asks the guard before a request described by `what` that may spend up to `credits`.
    /// Throws the refusal (`error: not sent: …`, exit status 1) or, when the person says no, a
    /// line saying nothing was sent (no error).
    public func approve(upTo credits: Int, for what: String) async throws {
        switch await decide(upTo: credits, for: what) {
        case .go: return
        case .refused(let reason): throw CommandFailure.local("not sent: \(reason)")
        case .declined: throw StoppedFollowing("not sent: \(what) would have spent up to \(credits) credits")
        }
    }

    /// Runs `send`, a request described by `what` that may spend up to `credits`, once the guard
    /// approves it; when the API refused it or it was never written, the credits count no more.
    public func spend<T>(upTo credits: Int, for what: String, _ send: () async throws -> T) async throws -> T {
        try await approve(upTo: credits, for: what)
        do {
            return try await send()
        } catch let error as DeepSearchError {
            if !options.dryRun && Self.spentNothing(error) {
                ledger.giveBack(credits)
                asked = max(0, asked.saturatingSubtract(credits))
                requests -= 1
            }
            throw error
        }
    }

    /// The most a request to `endpoint` with `body` may spend, for `raw`: the target or the count
    /// it asks for; the cap when the body does not say (the API refuses such a body, but the
    /// guard does not guess for it).
    static func most(_ endpoint: APIEndpoint, body: JSONValue?) -> Int {
        let field = endpoint.name == .createTask ? "desired_num_results" : "desired_new_results"
        guard let asked = body?[field]?.intValue else {
            return endpoint.name == .createTask && body?[field] == nil ? CreateTaskRequest.defaultTarget : DiscoveryTask.resultCap
        }
        return min(max(0, asked), DiscoveryTask.resultCap)
    }

    /// Whether a failed request that spends certainly spent nothing.
    static func spentNothing(_ error: DeepSearchError) -> Bool {
        switch error.spending {
        case .notSent: true
        case .answered: (error.status ?? 0) >= 400
        case .sentWithoutAnswer, nil: false
        }
    }

    /// The guard as rounds of resume ask it (``ResumeRounds/Budget``), for `resume --until` and
    /// any command that resumes in rounds: before each round, the round's "up to" amount goes
    /// through ``decide(upTo:for:)``. When this command has asked for nothing yet, a refusal
    /// ends it as ``approve(upTo:for:)`` does; after that, the rounds stop and say why.
    var budget: ResumeRounds.Budget {
        { [self] task, asking in
            let first = asked == 0
            // A task not made yet (collect's next one) has no id.
            let what = task.id.isEmpty ? "the next task (--results \(asking))" : "the next round of \(DeepSearchClient.short(task.id))"
            switch await decide(upTo: asking, for: what, rounds: true) {
            case .go: return nil
            case .refused(let reason):
                if first { throw CommandFailure.local("not sent: \(what): \(reason)") }
                return "\(what): \(reason)"
            case .declined:
                if first { throw StoppedFollowing("not sent: \(what) would have spent up to \(asking) credits") }
                return "you said no to \(what) (up to \(asking) credits)"
            }
        }
    }

    /// `1 credit`, `1,250 credits`.
    static func credits(_ n: Int) -> String {
        "\(AccountCard.grouped(n)) \(n == 1 ? "credit" : "credits")"
    }

    /// What a command that asked in steps (`resume --until`, `collect`) asked for in all, each
    /// step a `noun`: `2 rounds asked for up to 75 credits · 312 left before them`; nil when it
    /// asked for none.
    func summary(_ noun: String) -> String? {
        guard requests > 0 else { return nil }
        let things = requests == 1 ? "1 \(noun)" : "\(requests) \(noun)s"
        return "\(things) asked for \(figures(upTo: asked, left: "left before them"))"
    }

    /// `up to 40 credits · 99,944 left` (grouped as `account` shows them); without what is left when it could not be read.
    public func figures(upTo credits: Int, left: String = "left") -> String {
        // Grouped as `account` shows them: 99,944.
        let most = "up to \(Self.credits(credits))"
        guard case .some(.some(let balance)) = balanceRead else { return most }
        return "\(most) · \(AccountCard.grouped(balance)) \(left)"
    }
}
