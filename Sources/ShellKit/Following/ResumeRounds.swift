import DeepSearch

/// `resume --until N`: rounds of resume, each followed until it ends, until the task has N
/// results or can have no more. What comes next is decided from the task as last seen
/// (``next(_:roundStartedAt:)``, pure); ``run(_:context:budget:)`` does it.
struct ResumeRounds {
    /// The most one round asks for: each round ends with a summary, and a budget can stop the
    /// search between two rounds.
    static let roundSize = 50

    /// Why the rounds stopped.
    enum Stop: Equatable {
        /// The task has the results asked for.
        case reached
        /// It has no more candidates: resume is refused.
        case exhausted
        /// Its target is at the 250 cap and it ended short of the goal.
        case cap
        /// A round ended with no new result.
        case stalled
        /// The budget said stop, and why.
        case budget(String)
    }

    /// What to do next.
    enum Step: Equatable {
        case stop(Stop)
        /// The task runs: follow it until it ends or has enough.
        case follow
        /// Ask for this many more (0 restarts a failed task toward its target).
        case resume(Int)
    }

    /// Says, before a round that may spend up to `asking` credits on `task`, why not to (nil:
    /// go on); throwing ends the command with that error. Where a credit budget plugs in.
    typealias Budget = @MainActor (_ task: DiscoveryTask, _ asking: Int) async throws -> String?

    /// The results the task should have.
    let goal: Int
    var roundSize = ResumeRounds.roundSize
    /// The live line for a state of the task in a width and style, with the round (nil before
    /// the first); nil: the task toward the goal (`collect` shows the whole chain instead).
    var line: (@Sendable (DiscoveryTask, Int, Style, Int?) -> String)?
    /// Whether a line sums up each round (`collect` sums up each task instead).
    var summarizesRounds = true

    /// What to do with `task`; `roundStartedAt` is how many results it had when the last round
    /// began (nil before the first).
    func next(_ task: DiscoveryTask, roundStartedAt: Int?) -> Step {
        if task.numResults >= goal { return .stop(.reached) }
        if !task.status.isTerminal { return .follow }
        if task.isExhausted { return .stop(.exhausted) }
        if let start = roundStartedAt, task.numResults <= start { return .stop(.stalled) }
        let room = task.roomUnderCap
        if task.status == .failed {
            // Its target already counts what it did not deliver: resume 0 restarts it.
            return .resume(min(roundSize, room, max(0, goal.saturatingSubtract(task.desiredNumResults))))
        }
        if room == 0 { return .stop(.cap) }
        return .resume(min(roundSize, room, goal.saturatingSubtract(task.numResults)))
    }

    /// How the rounds ended: the task as last seen, why, and how many rounds there were.
    struct Outcome {
        var response: DeepSearchClient.Response<DiscoveryTask>
        var stop: Stop
        var rounds: Int
    }

    /// Reads task `id`, then resumes and follows it round after round until ``next(_:roundStartedAt:)``
    /// says stop, asking `budget` before each round; the live line shows the whole, a line sums
    /// up each round. Ctrl-C throws ``StoppedFollowing`` saying where it stopped.
    @MainActor
    func run(_ id: String, context: CommandContext, budget: Budget) async throws -> Outcome {
        let client = context.client()
        var response = try await client.task(id: id)
        context.observe(response.value)
        let follower = TaskFollower(context)
        let goal = self.goal
        let line = self.line
        var rounds = 0
        var startedAt: Int?
        var before = response.value
        func follow() async throws {
            let round = rounds == 0 ? nil : rounds
            response = try await follower.follow(
                id, until: { $0.numResults >= goal }, clear: true,
                line: { task, width, style in
                    line?(task, width, style, round) ?? TaskCard.progressLine(task, width: width, style: style, goal: goal, round: round)
                },
                stopped: { Self.interrupted(context.observed.last { $0.id == id } ?? response.value, goal: goal, rounds: rounds) })
            context.observe(response.value)
            if summarizesRounds, let start = startedAt {
                context.tell(Self.summary(round: rounds, before: before, after: response.value, startedAt: start, width: context.width))
            }
        }
        while true {
            let task = response.value
            switch next(task, roundStartedAt: startedAt) {
            case .stop(let stop):
                return Outcome(response: response, stop: stop, rounds: rounds)
            case .follow:
                try await follow()
            case .resume(let asking):
                if let reason = try await budget(task, asking) {
                    return Outcome(response: response, stop: .budget(reason), rounds: rounds)
                }
                let answer = try await client.resume(id: id, desiredNewResults: asking)
                rounds += 1
                startedAt = task.numResults
                before = task
                context.observe(answer.value)
                context.note(answer.value)
                response = answer
                try await follow()
            }
        }
    }

    /// The line after round `round`: `round 2 · target 100 → 150 · 147 results (+47)`.
    static func summary(round: Int, before: DiscoveryTask, after: DiscoveryTask, startedAt: Int, width: Int) -> String {
        let added = after.numResults.saturatingSubtract(startedAt)
        let gained = added >= 0 ? "+\(added)" : "\(added)"
        let state = after.status == .failed ? " · failed" : after.isExhausted ? " · exhausted" : ""
        let targets = "\(before.desiredNumResults) → \(after.desiredNumResults)"
        return TextLayout.first(
            fitting: width - 1,
            [
                "round \(round) · target \(targets) · \(after.numResults) results (\(gained))\(state)",
                "round \(round) · \(targets) · \(after.numResults) (\(gained))\(state)",
                "round \(round) · \(after.numResults) (\(gained))\(state)",
            ])
    }

    /// The last line, saying why the rounds stopped.
    static func ending(_ task: DiscoveryTask, stop: Stop, rounds count: Int, goal: Int) -> String {
        let short = DeepSearchClient.short(task.id)
        let rounds = count == 1 ? "1 round" : "\(count) rounds"
        let at = "\(short) stopped at \(task.numResults) of \(goal) results after \(rounds)"
        let onward = "for more, create a new task with --exclude-task \(short)"
        switch stop {
        case .reached:
            let cap = task.numResults >= DiscoveryTask.resultCap ? "; it is at the \(DiscoveryTask.resultCap) cap: \(onward)" : ""
            if count == 0 { return "\(short) has \(task.numResults) results (asked for \(goal)): no resume needed\(cap)" }
            return "\(short) has \(task.numResults) results (asked for \(goal)) after \(rounds)\(cap)"
        case .exhausted:
            return "\(at): exhausted, no more candidates; \(onward)"
        case .cap:
            return "\(at): its target is at the \(DiscoveryTask.resultCap) cap; \(onward)"
        case .stalled:
            return "\(at): the last round added none (\(task.status.rawValue)); status shows the task"
        case .budget(let reason):
            return "\(at): \(reason)"
        }
    }

    /// What Ctrl-C leaves as the last line.
    static func interrupted(_ task: DiscoveryTask, goal: Int, rounds: Int) -> String {
        let round = rounds == 0 ? "" : " in round \(rounds)"
        return "stopped at \(task.numResults) of \(goal) results\(round); resume --until \(goal) goes on"
    }
}
