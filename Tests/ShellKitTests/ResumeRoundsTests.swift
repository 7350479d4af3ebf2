import DeepSearch
import Testing

@testable import ShellKit

/// `resume --until N`: what comes after each state of the task, and the lines that say so.
@Suite struct ResumeRoundsTests {
    func task(_ status: TaskStatus, results: Int, of target: Int, exhausted: Bool = false) -> DiscoveryTask {
        var task = Fixtures.task
        task.status = status
        task.numResults = results
        task.desiredNumResults = target
        task.isExhausted = exhausted
        return task
    }

    @Test func everyStopRuleAndEveryRound() {
        let rounds = ResumeRounds(goal: 200)
        // Enough results: stop, even while the task runs or is exhausted.
        #expect(rounds.next(task(.inProgress, results: 200, of: 250), roundStartedAt: nil) == .stop(.reached))
        #expect(rounds.next(task(.done, results: 210, of: 210, exhausted: true), roundStartedAt: 150) == .stop(.reached))
        // Running (exhausted or not): follow it to its end.
        #expect(rounds.next(task(.inProgress, results: 10, of: 50), roundStartedAt: nil) == .follow)
        #expect(rounds.next(task(.created, results: 0, of: 50), roundStartedAt: nil) == .follow)
        #expect(rounds.next(task(.inProgress, results: 40, of: 50, exhausted: true), roundStartedAt: 0) == .follow)
        // Ended: exhausted before anything else.
        #expect(rounds.next(task(.done, results: 47, of: 100, exhausted: true), roundStartedAt: 47) == .stop(.exhausted))
        // A round that added nothing stops the rounds.
        #expect(rounds.next(task(.done, results: 50, of: 100), roundStartedAt: 50) == .stop(.stalled))
        #expect(rounds.next(task(.failed, results: 50, of: 100), roundStartedAt: 50) == .stop(.stalled))
        // At the cap, ended short of the goal.
        #expect(ResumeRounds(goal: 250).next(task(.done, results: 240, of: 250), roundStartedAt: 200) == .stop(.cap))
        // A round asks for at most its size, the gap and the room under the cap.
        #expect(rounds.next(task(.done, results: 25, of: 25), roundStartedAt: nil) == .resume(50))
        #expect(rounds.next(task(.done, results: 180, of: 180), roundStartedAt: 130) == .resume(20))
        #expect(ResumeRounds(goal: 250).next(task(.done, results: 230, of: 230), roundStartedAt: nil) == .resume(20))
        #expect(ResumeRounds(goal: 250, roundSize: 5).next(task(.done, results: 100, of: 100), roundStartedAt: nil) == .resume(5))
        // A failed task is restarted toward its target (resume 0), or pushed on past it.
        #expect(rounds.next(task(.failed, results: 30, of: 200), roundStartedAt: nil) == .resume(0))
        #expect(rounds.next(task(.failed, results: 30, of: 250), roundStartedAt: 10) == .resume(0))
        #expect(rounds.next(task(.failed, results: 30, of: 100), roundStartedAt: nil) == .resume(50))
        // Saturating: no counter of the API makes it trap.
        #expect(ResumeRounds(goal: 250).next(task(.done, results: Int.min, of: Int.min), roundStartedAt: nil) == .resume(50))
    }

    @Test(arguments: [40, 60, 80, 120])
    func theLinesFitTheWidth(_ width: Int) {
        let before = task(.done, results: 100, of: 100)
        let after = task(.done, results: 147, of: 150, exhausted: true)
        let summary = ResumeRounds.summary(round: 12, before: before, after: after, startedAt: 100, width: width)
        #expect(TextLayout.visibleWidth(summary) < width, "\(summary)")
        #expect(summary.hasPrefix("round 12 · ") && summary.contains("147") && summary.contains("+47"), "\(summary)")
        for round in [nil, 1, 250] {
            let line = TaskCard.progressLine(
                task(.inProgress, results: 1234, of: 250, exhausted: true), width: width - 1, style: Style(enabled: true), goal: 250, round: round)
            #expect(TextLayout.visibleWidth(line) < width, "\(line)")
            #expect(line.contains("1234/250"), "the count toward the goal whole: \(line)")
        }
    }

    @Test func theLastLineSaysWhyTheRoundsStopped() {
        let short = "3f2a8c1e"
        func ending(_ stop: ResumeRounds.Stop, _ task: DiscoveryTask, rounds: Int = 2) -> String {
            ResumeRounds.ending(task, stop: stop, rounds: rounds, goal: 200)
        }
        #expect(ending(.reached, task(.done, results: 200, of: 200)) == "\(short) has 200 results (asked for 200) after 2 rounds")
        #expect(
            ending(.reached, task(.done, results: 250, of: 250), rounds: 0).hasPrefix(
                "\(short) has 250 results (asked for 200): no resume needed; it is at the 250 cap"))
        #expect(
            ending(.exhausted, task(.done, results: 147, of: 200, exhausted: true)).hasSuffix(
                "stopped at 147 of 200 results after 2 rounds: exhausted, no more candidates; for more, create a new task with --exclude-task \(short)"
            ))
        #expect(ending(.cap, task(.done, results: 190, of: 250)).contains("its target is at the 250 cap"))
        #expect(ending(.stalled, task(.failed, results: 40, of: 250)).contains("the last round added none (failed)"))
        #expect(
            ending(.budget("the budget of 100 credits is spent"), task(.done, results: 40, of: 40), rounds: 1).hasSuffix(
                "after 1 round: the budget of 100 credits is spent"))
        #expect(
            ResumeRounds.interrupted(task(.inProgress, results: 38, of: 75), goal: 120, rounds: 1)
                == "stopped at 38 of 120 results in round 1; resume --until 120 goes on")
    }
}
