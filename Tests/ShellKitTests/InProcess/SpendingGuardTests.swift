import DeepSearch
import TestSupport
import Testing

@testable import ShellKit

/// The spending guard as a command that resumes in rounds uses it (`context.spending.budget`, a
/// `ResumeRounds.Budget`), in a real shell against its simulator; and the amounts `raw` is
/// guarded by.
@MainActor @Suite struct SpendingGuardTests {
    func context(_ shell: InProcessShell) -> CommandContext {
        CommandContext(session: shell.session, environment: shell.shell.environment, line: "test")
    }

    @Test func theBudgetLetsRoundsGoUntilTheLimitThenStopsThemAndRefusesANewCommandOutright() async throws {
        try await InProcessShell.with { shell in
            try await shell.setUp("set max_credits 60")
            let first = context(shell)
            let budget = first.spending.budget
            #expect(try await budget(shell.done, 50) == nil, "50 of 60: go on")
            let reason = try await budget(shell.done, 20)
            #expect(
                reason
                    == "the next round of \(shell.done.id.prefix(8)): up to 20 credits would pass the limit of 60 (max_credits; 50 asked for already); set max_credits higher, or off, to allow it"
            )
            #expect(try await budget(shell.done, 10) == nil, "60 of 60 still fits")
            #expect(first.spending.asked == 60 && first.spending.requests == 2)
            #expect(shell.fixture.count("GET", "/v1/user") == 1, "the credits left are read once a command")

            // A new command whose first round the limit refuses is refused, as create would be.
            let second = context(shell)
            await #expect(throws: CommandFailure.self) { try await second.spending.budget(shell.done, 1) }
            #expect(shell.fixture.count("GET", "/v1/user") == 1, "a refusal reads nothing")
        }
    }

    /// A slip on a limit's name sets a variable, not the limit: the shell says so, and the limit
    /// stays off.
    @Test func aSlipOnASettingsNameIsToldAndLeavesTheSettingAlone() async throws {
        try await InProcessShell.with { shell in
            let slip = await shell.run("set max_credit 30")
            #expect(slip.status == 0)
            #expect(
                slip.errors.contains("warning: max_credit is not a setting, so this set the variable $max_credit; did you mean set max_credits 30?"),
                "\(slip.errors)")
            #expect(shell.session.settings.maxCredits == nil)
            let again = await shell.run("set max_credit 40")
            #expect(!again.errors.contains("warning"), "told once, when the variable is made: \(again.errors)")
            let other = await shell.run("set query cold chain")
            #expect(other.errors.isEmpty, "a variable far from every setting is not a slip")
        }
    }

    @Test func rawIsGuardedByWhatItsBodyAsksFor() throws {
        let create = APIEndpoint.createTask
        let resume = APIEndpoint.resume
        #expect(Spending.most(create, body: .object(["query": "q", "desired_num_results": 30])) == 30)
        #expect(Spending.most(create, body: .object(["query": "q"])) == CreateTaskRequest.defaultTarget)
        #expect(Spending.most(create, body: .object(["desired_num_results": "many"])) == DiscoveryTask.resultCap)
        #expect(Spending.most(resume, body: .object(["desired_new_results": 7])) == 7)
        #expect(Spending.most(resume, body: .object(["desired_new_results": 1_000_000])) == DiscoveryTask.resultCap)
        #expect(Spending.most(resume, body: .object(["desired_new_results": -5])) == 0)
        #expect(Spending.most(resume, body: nil) == DiscoveryTask.resultCap)
    }

    @Test func onlyARequestThatCertainlySpentNothingGivesItsCreditsBack() {
        var refused = DeepSearchError(.paymentRequired, "no credits", status: 402)
        refused.spending = .answered
        var lost = DeepSearchError(.timeout, "no answer")
        lost.spending = .sentWithoutAnswer
        var unsent = DeepSearchError(.transport, "refused")
        unsent.spending = .notSent
        #expect(Spending.spentNothing(refused) && Spending.spentNothing(unsent))
        #expect(!Spending.spentNothing(lost))
        #expect(!Spending.spentNothing(DeepSearchError(.notSent, "dry run")), "a dry run's requests stay counted")
    }
}
