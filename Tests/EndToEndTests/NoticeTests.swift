import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Notices at the interactive prompt when a task of the session ends, through the built binary on
/// real pseudo-terminals, against a simulator on a manual clock: tasks end only when the test
/// moves simulated time, and the simulator's journal shows every request the shells sent.
@Suite(.serialized) struct NoticeTests {
    static func createdTask(in text: String) throws -> String {
        let match = try #require(text.firstMatch(of: /created task ([0-9a-f-]{36})/), "\(text)")
        return String(match.1)
    }

    /// The new task's id, and the mark before its command ran.
    func create(_ query: String, results: Int, on pty: PseudoTerminal) async throws -> (id: String, mark: Int) {
        let mark = try await pty.run("create \"\(query)\" --results \(results)")
        let text = try await pty.wait(for: "follow it with watch", after: mark)
        return (try Self.createdTask(in: text), mark)
    }

    @Test func aTaskThatEndsIsAnnouncedOnceAboveTheHalfTypedLineAndThenLeftAlone() async throws {
        try await SimulatorFixture.with { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let env = testEnvironment(home: home.path, extra: sim.shellEnvironment)
            let shell = try PseudoTerminal(Binaries.shell, ["--no-history"], environment: env)
            defer { shell.terminate() }
            // A second shell with notices off, idle as long as the first: it must send nothing.
            let quiet = try PseudoTerminal(Binaries.shell, ["--no-history", "-c", "set notify off", "-i"], environment: env)
            defer { quiet.terminate() }

            let small = sim.query(atLeast: 60, prefix: "notice small")
            // The task that will end is watched from its creation, so it is first asked about 5 s later:
            // long after the half line below is typed.
            let ending = try await create(small, results: 5, on: shell).id
            let unwatched = try await create(small + " too", results: 5, on: quiet).id
            sim.advance(100_000)  // both end, as far as the simulator is concerned
            let (running, mark) = try await create(sim.query(atLeast: 400, prefix: "notice large"), results: 250, on: shell)
            let before = (ending: sim.count("GET", ending), unwatched: sim.count("GET", unwatched), running: sim.count("GET", running))

            try await shell.waitForPrompt(after: mark)
            #expect(!shell.text(since: mark).contains("[\(ending.prefix(8)) "), "typed before the first poll")
            shell.type("echo hal")
            let notice = try await shell.wait(for: "the notice", after: mark) { $0.contains("[\(ending.prefix(8)) ") }
            #expect(notice.contains("[\(ending.prefix(8)) \u{1B}[32mdone\u{1B}[0m · 5 of 5 results · "), "\(notice)")

            // The running task is asked about twice more, 5 s apart at the least; the ended one
            // was asked about once, and the quiet shell sent nothing all that time.
            try await waitUntil("a poll of the running task", timeout: 30) { sim.count("GET", running) >= before.running + 1 }
            let first = ContinuousClock.now
            try await waitUntil("another poll of the running task", timeout: 30) { sim.count("GET", running) >= before.running + 2 }
            // Seen from here, each poll is noticed a little after it arrives (later still on a busy
            // machine), so the gap seen may be shorter than the shell's by that much.
            #expect(ContinuousClock.now - first >= .milliseconds(4500), "at most one request per task per 5 s")
            #expect(sim.count("GET", ending) == before.ending + 1)
            #expect(sim.count("GET", unwatched) == before.unwatched)

            // The half-typed line is still there, drawn again below the notice, and goes on.
            let after = shell.text(since: mark)
            #expect(after.components(separatedBy: "[\(ending.prefix(8)) ").count == 2, "the notice comes once")
            #expect(after.hasSuffix("echo hal") || after.contains("> echo hal"), "\(after)")
            let typed = shell.mark
            shell.type("f\r")
            try await shell.wait(for: "\r\nhalf\r\n", after: typed)
            // The prompt already knows: the running task is the current one, the ended one is not.
            #expect(sim.count("GET", ending) == before.ending + 1)
        }
    }

    /// `set debug on` logs the commands' requests, never the polls made while the user types:
    /// they would be written over the line being typed.
    @Test func debugLinesNeverComeFromThePollsBehindThePrompt() async throws {
        try await SimulatorFixture.with { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let shell = try PseudoTerminal(
                Binaries.shell, ["--no-history"], environment: testEnvironment(home: home.path, extra: sim.shellEnvironment))
            defer { shell.terminate() }
            var mark = try await shell.run("set debug on")
            try await shell.waitForPrompt(after: mark)
            let (running, created) = try await create(sim.query(atLeast: 400, prefix: "debug poll"), results: 250, on: shell)
            #expect(shell.text(since: created).contains("debug: → POST"), "the command's own request is logged")
            try await shell.waitForPrompt(after: created)
            let polls = sim.count("GET", running)
            mark = shell.mark
            shell.type("echo ha")
            try await waitUntil("a poll of the running task", timeout: 30) { sim.count("GET", running) > polls }
            shell.type("lf\r")
            try await shell.wait(for: "\r\nhalf\r\n", after: mark)
            #expect(!shell.text(since: mark).contains("debug:"), "\(shell.text(since: mark))")
        }
    }
}
