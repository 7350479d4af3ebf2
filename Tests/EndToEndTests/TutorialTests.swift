import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The guided tutorial through the built binary on a real pseudo-terminal: a learner who types
/// what each shipped lesson asks finishes it; a wrong command gets a hint and the lesson goes on;
/// progress survives a restart; a session on another API gets a simulator of its own.
@Suite(.serialized) struct TutorialTests {
    /// A fast built-in simulator, a private state folder.
    func environment(_ home: TemporaryDirectory, extra: [String: String] = [:]) -> [String: String] {
        testEnvironment(home: home.path, extra: ["EXTRUCT_DEMO_SPEED": "2000"].merging(extra) { $1 })
    }

    /// The steps of shipped lesson `number`, as `tutorial print` shows its file.
    func steps(of number: Int, home: TemporaryDirectory) async throws -> [String] {
        let printed = try await runShell(["--demo", "-c", "tutorial print \(number)"], home: home.path, extraEnvironment: environment(home))
        #expect(printed.status == 0, "\(printed.stderr)")
        return printed.stdout.split(separator: "\n").filter { $0.hasPrefix("step ") }.map { String($0.dropFirst(5)) }
    }

    /// Types each step at the prompt that asks for it.
    func follow(_ steps: [String], lesson: String, on pty: PseudoTerminal, from first: Int = 0, to end: Int? = nil) async throws {
        for (offset, command) in steps.enumerated().prefix(end ?? steps.count).dropFirst(first) {
            try await waitForLessonPrompt("lesson \(lesson) · \(offset + 1)/\(steps.count) ", on: pty)
            let before = pty.mark
            pty.type(command + "\r")
            try await pty.wait(for: "\r\n", after: before)
        }
    }

    /// Waits until `prompt` is the last thing on the screen and the editor reads keys.
    func waitForLessonPrompt(_ prompt: String, on pty: PseudoTerminal) async throws {
        try await pty.wait(for: "'\(prompt)' at the end") { screen in
            guard let range = screen.range(of: prompt, options: .backwards) else { return false }
            return screen[range.upperBound...].hasSuffix("> ") && !screen[range.upperBound...].contains("\n")
        }
        try await pty.waitForPrompt(after: max(0, pty.mark - 2))
    }

    /// At the lesson prompt `prompt`, types `line` and waits for `reply`; returns what was shown
    /// from the line on.
    @discardableResult
    func answer(_ line: String, at prompt: String, on pty: PseudoTerminal, expecting reply: String) async throws -> String {
        try await waitForLessonPrompt(prompt, on: pty)
        let mark = pty.mark
        pty.type(line + "\r")
        try await pty.wait(for: reply, after: mark)
        return pty.text(since: mark)
    }

    @Test(arguments: 1...6)
    func aLearnerWhoTypesEachStepFinishesTheLesson(_ number: Int) async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let steps = try await steps(of: number, home: home)
        #expect(steps.count >= 4)
        let pty = try PseudoTerminal(Binaries.shell, ["--tutorial", "--no-history"], environment: environment(home), columns: 120, rows: 40)
        defer { pty.terminate() }
        try await pty.wait(for: "tutorial N starts lesson N")
        try await pty.run("tutorial \(number)")
        try await follow(steps, lesson: String(number), on: pty)
        try await pty.wait(for: "✓ Lesson \(number) done", timeout: 60)
        #expect(!pty.screen.contains("This step asks for"), "no step was missed: \(pty.screen.suffix(3000))")
        #expect(pty.screen.components(separatedBy: "✓").count - 1 == steps.count + 1, "each step ticked once, then the lesson")

        #expect(home.read("state/extruct-shell/tutorial.json")?.contains("\"done\": true") == true)
        #expect(home.mode("state/extruct-shell/tutorial.json") == 0o600)
        let mark = try await pty.run("tutorial")
        try await pty.wait(for: "tutorial N starts", after: mark)
        #expect(pty.text(since: mark).contains("done"))
    }

    /// Once the shell waits at a prompt after `mark`: the step the lesson asks for, or nil when
    /// the lesson is over.
    func stepAsked(in lesson: Int, after mark: Int, on pty: PseudoTerminal) async throws -> Int? {
        try await pty.wait(for: "a prompt", after: mark, timeout: 60) { text in
            let plain = strippingEscapes(text)
            return plain.hasSuffix("> ") && (plain.contains("lesson \(lesson) · ") || plain.contains("✓ Lesson \(lesson) done"))
        }
        try await pty.waitForPrompt(after: max(mark, pty.mark - 2))
        let plain = strippingEscapes(pty.text(since: mark))
        if plain.contains("✓ Lesson \(lesson) done") { return nil }
        guard let last = plain.matches(of: #/lesson \d+ · (\d+)/\d+ /#).last, let step = Int(last.output.1) else {
            throw NoLessonPrompt(screen: String(plain.suffix(2000)))
        }
        return step
    }

    /// A slip a learner makes at `step` (as `tutorial print` shows it): another number where it
    /// has one, another task for `use`, else another command that only reads.
    static func slip(for step: String) -> String {
        var words = step.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if let index = words.lastIndex(where: { !$0.isEmpty && $0.allSatisfy(\.isNumber) }) {
            words[index] = String(Int(words[index])! + 1)
            return words.joined(separator: " ")
        }
        if step.hasPrefix("use ") { return step.contains("exhausted") ? "use f2dc2742" : "use af181d0f" }
        return step == "tasks" ? "status" : "tasks"
    }

    /// The property: a learner who slips once on every step, then follows the hint (hint shows the
    /// line to type), finishes each shipped lesson without skip.
    @Test(arguments: 1...6)
    func aLearnerWhoSlipsOnEveryStepAndFollowsTheHintFinishes(_ number: Int) async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let steps = try await steps(of: number, home: home)
        let pty = try PseudoTerminal(Binaries.shell, ["--tutorial", "--no-history"], environment: environment(home), columns: 120, rows: 40)
        defer { pty.terminate() }
        try await pty.wait(for: "tutorial N starts lesson N")
        var mark = try await pty.run("tutorial \(number)")
        var asked = try await stepAsked(in: number, after: mark, on: pty)
        var done: [Int] = []
        while let step = asked {
            try #require(!done.contains(step), "stuck at step \(step) (\(steps[step - 1])):\n\(strippingEscapes(pty.screen).suffix(2500))")
            mark = pty.mark
            pty.type(Self.slip(for: steps[step - 1]) + "\r")
            asked = try await stepAsked(in: number, after: mark, on: pty)
            if asked == step {
                // Missed: hint shows the line; the learner types it.
                mark = pty.mark
                pty.type("hint\r")
                let shown = try await pty.wait(for: "type: ", after: mark) { strippingEscapes($0).contains("type:") && $0.hasSuffix("> ") }
                // The command after "type:", or on the line after it when both do not fit.
                let line = try #require(strippingEscapes(shown).firstMatch(of: /type:(?:\r\n| )([^\r\n]+)\r\n/)?.output.1)
                try await pty.waitForPrompt(after: max(mark, pty.mark - 2))
                mark = pty.mark
                pty.type(String(line) + "\r")
                asked = try await stepAsked(in: number, after: mark, on: pty)
            }
            done.append(step)
        }
        #expect(done == Array(1...steps.count), "every step, once each")
        #expect(!pty.screen.contains("skipped; the lesson runs it for you"))
        try await pty.wait(for: "✓ Lesson \(number) done")
    }

    @Test func ctrlCInWatchIsNoMissAndTutorialContinueGoesOnWhereItWasLeft() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        // The simulator at its own pace: the task is still running when Ctrl-C comes.
        let pty = try PseudoTerminal(
            Binaries.shell, ["--tutorial", "--no-history", "--no-color"], environment: environment(home, extra: ["EXTRUCT_DEMO_SPEED": "3"]),
            columns: 120, rows: 40)
        defer { pty.terminate() }
        try await pty.wait(for: "tutorial N starts lesson N")
        try await pty.run("tutorial 2")
        try await answer(
            "create \"vertical SaaS companies serving freight forwarding\" --results 20", at: "lesson 2 · 1/6 ", on: pty, expecting: "✓")
        try await waitForLessonPrompt("lesson 2 · 2/6 ", on: pty)
        var mark = pty.mark
        pty.type("watch\r")
        try await pty.wait(for: "in_progress", after: mark, timeout: 60)
        pty.type("\u{03}")
        let stopped = try await pty.wait(for: "type watch again to go on", after: mark)
        #expect(stopped.contains("Stopped. The step is done when its check holds (status == done)"))
        #expect(!stopped.contains("This step asks for") && !stopped.contains("hint:"), "Ctrl-C is no miss")
        // The prompt shows what watch last saw, not the status before it.
        try await waitForLessonPrompt("lesson 2 · 2/6 extruct ", on: pty)
        #expect(pty.text(since: mark).contains("[in_progress]> "))

        mark = pty.mark
        pty.type("tutorial stop\r")
        try await pty.wait(for: "Left lesson 2 at step 2 of 6", after: mark)
        for word in ["continue", "resume"] {
            mark = try await pty.run("tutorial \(word)")
            try await pty.wait(for: "Going on at step 2", after: mark)
            try await waitForLessonPrompt("lesson 2 · 2/6 ", on: pty)
            mark = pty.mark
            pty.type("tutorial stop\r")
            try await pty.wait(for: "Left lesson 2", after: mark)
        }
    }

    @Test func aWrongCommandGetsAHintAndTheLessonGoesOn() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let pty = try PseudoTerminal(
            Binaries.shell, ["--tutorial", "--no-history", "--no-color"], environment: environment(home), columns: 120, rows: 40)
        defer { pty.terminate() }
        try await pty.wait(for: "tutorial N starts lesson N")
        try await pty.run("tutorial 1")
        // Harmless but not the step: it runs, and a hint follows.
        let harmless = try await answer("echo not yet", at: "lesson 1 · 1/5 ", on: pty, expecting: "hint: tasks lists the tasks")
        #expect(harmless.contains("\r\nnot yet\r\n"), "a harmless command still runs")
        // A second miss, with a command that would change things: not run; the command shown.
        let refused = try await answer("create \"not now\" --results 5", at: "lesson 1 · 1/5 ", on: pty, expecting: "This step asks for: tasks")
        #expect(refused.contains("'create' is not run during this step"))
        #expect(!refused.contains("created task"))
        // hint shows the command; skip does the step and moves on.
        try await answer("hint", at: "lesson 1 · 1/5 ", on: pty, expecting: "type: tasks")
        try await answer("skip", at: "lesson 1 · 1/5 ", on: pty, expecting: "sustainable clothing manufacturers")
        // A command for this step that fails its check is a miss too.
        try await answer(
            "use af181d0f-3b42-41d0-833e-08e6b53c9f20", at: "lesson 1 · 2/5 ", on: pty, expecting: "hint: use takes a task id")
        // tutorial stop leaves the lesson; the shell goes on.
        try await waitForLessonPrompt("lesson 1 · 2/5 ", on: pty)
        let mark = pty.mark
        pty.type("tutorial stop\r")
        try await pty.wait(for: "Left lesson 1 at step 2 of 5", after: mark)
        try await pty.waitForPrompt(after: mark)
        #expect(!pty.text(since: mark).contains("lesson 1 ·"))
    }

    @Test func progressSurvivesARestartAndTheSessionIsPlayedBackToWhereItWas() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let steps = try await steps(of: 1, home: home)
        do {
            let pty = try PseudoTerminal(Binaries.shell, ["--tutorial", "--no-history"], environment: environment(home), columns: 120, rows: 40)
            defer { pty.terminate() }
            try await pty.wait(for: "tutorial N starts lesson N")
            try await pty.run("tutorial 1")
            try await follow(steps, lesson: "1", on: pty, to: 2)
            // Ctrl-D leaves the lesson, not the shell; a second one leaves the shell.
            try await waitForLessonPrompt("lesson 1 · 3/5 ", on: pty)
            let mark = pty.mark
            pty.type("\u{04}")
            try await pty.wait(for: "Left lesson 1 at step 3 of 5; tutorial 1 goes on from there", after: mark)
            try await pty.waitForPrompt(after: mark)
            pty.type("\u{04}")
            #expect(try await pty.waitForExit() == 0)
        }
        let pty = try PseudoTerminal(Binaries.shell, ["--tutorial", "--no-history"], environment: environment(home), columns: 120, rows: 40)
        defer { pty.terminate() }
        try await pty.wait(for: "tutorial N starts lesson N")
        #expect(pty.screen.contains("at step 3 of 5"))
        try await pty.run("tutorial 1")
        try await pty.wait(for: "Going on at step 3")
        // The task chosen before the restart is current again.
        try await waitForLessonPrompt("lesson 1 · 3/5 extruct f2dc2742 [", on: pty)
        try await follow(steps, lesson: "1", on: pty, from: 2)
        try await pty.wait(for: "✓ Lesson 1 done")
    }

    @Test func aSessionOnAnotherAPIGetsASimulatorForTheLessonAndComesBack() async throws {
        try await SimulatorFixture.with { api in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let lesson = try home.write(
                "ours.lesson",
                """
                # A team's own lesson.
                lesson our-onboarding
                title Our onboarding
                about Say hello, then list the tasks.
                say Say hello first:
                step echo hello
                say Now the tasks of this (simulated) account:
                step tasks
                check error == 200
                say Welcome aboard.
                """)
            let env = environment(home, extra: api.shellEnvironment)
            let pty = try PseudoTerminal(Binaries.shell, ["--no-history"], environment: env, columns: 120, rows: 40)
            defer { pty.terminate() }
            try await pty.run("tutorial \(lesson)")
            try await pty.wait(for: "This lesson runs on a simulator of the API at http://127.0.0.1:")
            #expect(!pty.screen.contains("simulator of the API at \(api.url):"))
            try await follow(["echo hello", "tasks"], lesson: "our-onboarding", on: pty)
            try await pty.wait(for: "✓ Lesson our-onboarding done: Our onboarding.")
            #expect(pty.screen.contains("Welcome aboard."))
            #expect(api.simulator.journal.total == 0, "nothing of the lesson reached the session's API")
            // The session is back on its own API.
            let mark = try await pty.run("tasks")
            try await pty.waitForPrompt(after: mark)
            #expect(api.count("GET", "/v1/discovery_tasks") == 1)

            // A lesson file with a mistake is refused with its place.
            let broken = try home.write("broken.lesson", "lesson broken\nsya hello\nstep tasks\n")
            let refused = try await pty.run("tutorial \(broken)")
            try await pty.wait(for: "broken.lesson:2: unknown directive 'sya'", after: refused)
        }
    }
}

/// The shell waited at a prompt that was not a lesson's.
struct NoLessonPrompt: Error {
    var screen: String
}
