import DeepSearch
import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What a person sees, at the widths people have: the built shell on a pseudo-terminal of 40 to
/// 200 columns, with and without colour and on `TERM=dumb`, and everything it wrote played
/// through a real terminal emulator (pyte). The screen, not the byte stream, is asserted on: no
/// row the terminal had to wrap, no stale copy of a redrawn line, no number cut.
@Suite(.serialized) struct ScreenTests {
    /// A terminal people use.
    struct Terminal: Sendable, CustomTestStringConvertible {
        var columns: Int
        var colour: Bool
        var term = "xterm-256color"

        var isPlain: Bool { term == "dumb" }
        var testDescription: String { "\(columns) columns, " + (isPlain ? "TERM=dumb" : colour ? "colour" : "no colour") }

        var environment: [String: String] {
            var environment = ["TERM": term]
            if !colour { environment["NO_COLOR"] = "1" }
            return environment
        }
    }

    static let terminals: [Terminal] =
        [40, 60, 80, 120, 200].flatMap { [Terminal(columns: $0, colour: true), Terminal(columns: $0, colour: false)] }
        + [Terminal(columns: 80, colour: false, term: "dumb"), Terminal(columns: 40, colour: false, term: "dumb")]

    /// The shell on `terminal`, against `sim`.
    func start(
        _ terminal: Terminal, _ arguments: [String] = ["--no-history"], sim: SimulatorFixture?, home: TemporaryDirectory
    ) throws
        -> PseudoTerminal
    {
        var extra = terminal.environment
        if let sim { extra.merge(sim.shellEnvironment) { $1 } }
        return try PseudoTerminal(
            Binaries.shell, arguments, environment: testEnvironment(home: home.path, extra: extra), columns: UInt16(terminal.columns), rows: 30)
    }

    /// Waits for the prompt after `mark`; on a plain terminal (no line editor, no raw mode) until
    /// the shell reads the terminal.
    func prompt(_ pty: PseudoTerminal, _ terminal: Terminal, after mark: Int) async throws {
        if terminal.isPlain {
            try await pty.wait(for: "> ", after: mark)
            try await pty.waitUntilReadingKeys()
        } else {
            try await pty.waitForPrompt(after: mark)
        }
    }

    /// Types `line` at the next prompt after `mark`; returns the mark before it.
    @discardableResult
    func run(_ line: String, on pty: PseudoTerminal, _ terminal: Terminal, after mark: Int) async throws -> Int {
        try await prompt(pty, terminal, after: mark)
        let before = pty.mark
        pty.type(line + "\r")
        return before
    }

    /// What every screen must be: nothing the terminal had to wrap; without colour, no colour
    /// escape; on a plain terminal, no escape at all.
    func expectLaidOut(_ screen: TerminalScreen, _ bytes: [UInt8], _ terminal: Terminal, sourceLocation: SourceLocation = #_sourceLocation) {
        // A line typed at the prompt may be longer than the screen: the terminal wraps it, as any.
        let wrapped = screen.wrappedRows.filter { !$0.contains("> ") }
        #expect(wrapped.isEmpty, "rows wider than \(terminal.columns) columns:\n\(wrapped.joined(separator: "\n"))", sourceLocation: sourceLocation)
        let text = String(decoding: bytes, as: UTF8.self)
        if terminal.isPlain {
            #expect(!bytes.contains(0x1B), "an escape on TERM=dumb: \(text.debugDescription.suffix(600))", sourceLocation: sourceLocation)
        } else if !terminal.colour {
            #expect(text.firstMatch(of: /\x1B\[[0-9;]*m/) == nil, "colour without colour", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: terminals)
    func aStrangersFirstMinutes(_ terminal: Terminal) async throws {
        try await SimulatorFixture.with { sim in
            let sample = await sim.simulator.seedDemoTasks()
            let done = try #require(sample.first { $0.status == .done && !$0.isExhausted })
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let pty = try start(terminal, sim: sim, home: home)
            defer { pty.terminate() }

            var mark = try await run("tasks", on: pty, terminal, after: 0)
            try await pty.wait(for: "exhausted: no more candidates", after: mark)
            mark = try await run("use \(done.id.prefix(4))", on: pty, terminal, after: mark)
            try await pty.wait(for: "high-fit", after: mark)
            mark = try await run("status", on: pty, terminal, after: mark)
            try await pty.wait(for: "Excluded", after: mark)
            mark = try await run("results --limit 5", on: pty, terminal, after: mark)
            try await pty.wait(for: "grades:", after: mark)
            mark = try await run("show 1", on: pty, terminal, after: mark)
            try await pty.wait(for: "criteria", after: mark)

            // A task of its own, watched while simulated time moves on; keys typed meanwhile wait.
            let query = sim.query(atLeast: 400, prefix: "screen test")
            mark = try await run("create \"\(query)\" --results 30", on: pty, terminal, after: mark)
            let created = try await pty.wait(for: "the new task's id", after: mark) { $0.firstMatch(of: /[0-9a-f]{8}-[0-9a-f-]{27}/) != nil }
            let id = try #require(created.firstMatch(of: /[0-9a-f]{8}-[0-9a-f-]{27}/)).output
            mark = try await run("watch --interval 0.05", on: pty, terminal, after: mark)
            var typedAhead = false
            for step in 0..<200 {
                // Two polls of each state, so each is drawn; then simulated time moves on.
                let polls = sim.count("GET", "/v1/discovery_tasks/\(id)")
                let ended = try await pty.wait(for: "watch polled", after: mark) { text in
                    sim.count("GET", "/v1/discovery_tasks/\(id)") > polls + 1 || text.contains("done: ")
                }
                if ended.contains("done: ") { break }
                if step == 2, !terminal.isPlain {
                    pty.type("resume 5")
                    typedAhead = true
                }
                sim.advance(10)
            }
            try await pty.wait(for: "done: 30 of 30 results", after: mark)
            if typedAhead {
                // The keys typed during watch are on the new prompt's line; Enter runs them.
                try await prompt(pty, terminal, after: mark)
                let before = pty.mark
                pty.type("\r")
                try await pty.wait(for: "30 → 35", after: before) { strippingEscapes($0).contains("30 → 35") }
                mark = before
            }
            mark = try await run("tasks", on: pty, terminal, after: mark)
            try await pty.wait(for: "exhausted: no more candidates", after: mark)
            try await prompt(pty, terminal, after: mark)

            let bytes = pty.bytes
            let screen = try await TerminalScreen.render(bytes, columns: terminal.columns)
            expectLaidOut(screen, bytes, terminal)
            let short = String(id.prefix(8))
            // watch: one progress line where it was redrawn in place (one per change on a plain
            // terminal), never typed over.
            let progress = screen.rows.filter { $0.hasPrefix(short + " ") && $0.hasSuffix("%") }
            if terminal.isPlain {
                #expect(progress.count >= 2, "\(screen.text)")
            } else {
                #expect(progress.count == 1, "a stale copy of the watch line:\n\(progress.joined(separator: "\n"))")
                #expect(progress.first?.hasPrefix(short + " done") == true, "\(progress)")
                #expect(screen.rows(containing: "%resume").isEmpty && screen.rows(containing: "% resume").isEmpty, "\(screen.text)")
                #expect(screen.rows.contains { $0.hasSuffix("> resume 5") }, "the typed keys wait for the prompt:\n\(screen.text)")
            }
            // tasks: every count whole (250/250* is never 250/25…), each task on one row.
            for row in screen.rows where row.hasPrefix(String(done.id.prefix(8)) + "  done ") && !row.contains("high-fit") {
                #expect(row.firstMatch(of: /\s\d+\/\d+\*?(\s|$)/) != nil, "a cut count: \(row)")
            }
            // status: one card row each, the funnel's numbers whole.
            #expect(screen.rows(containing: "Exhausted").count == 1, "\(screen.text)")
            #expect(screen.rows(containing: "discovered").contains { $0.firstMatch(of: /discovered\s+\d+/) != nil })
        }
    }

    @Test(arguments: terminals)
    func theLessonPromptAndItsText(_ terminal: Terminal) async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        var extra = terminal.environment
        extra["EXTRUCT_DEMO_SPEED"] = "2000"
        let pty = try PseudoTerminal(
            Binaries.shell, ["--tutorial", "--no-history"], environment: testEnvironment(home: home.path, extra: extra),
            columns: UInt16(terminal.columns), rows: 30)
        defer { pty.terminate() }
        try await pty.wait(for: "tutorial continue")
        var mark = try await run("tutorial 1", on: pty, terminal, after: 0)
        for line in ["tasks", "use f2dc", "status"] {
            try await pty.wait(for: "the step's text", after: mark) { strippingEscapes($0).contains("·") && $0.hasSuffix("> ") }
            mark = try await run(line, on: pty, terminal, after: mark)
            try await pty.wait(for: "✓", after: mark)
        }
        // A slip, and the hint after it (wrapped at spaces), then the line hint shows.
        try await pty.wait(for: "the step's text", after: mark) { strippingEscapes($0).contains("4/5") && $0.hasSuffix("> ") }
        mark = try await run("tasks", on: pty, terminal, after: mark)
        try await pty.wait(for: "shows the first", after: mark) { strippingEscapes($0).contains("five rows.") }
        mark = try await run("hint", on: pty, terminal, after: mark)
        try await pty.wait(for: "results --limit 5", after: mark)
        try await prompt(pty, terminal, after: mark)
        let bytes = pty.bytes
        let screen = try await TerminalScreen.render(bytes, columns: terminal.columns)
        expectLaidOut(screen, bytes, terminal)
        // The lesson's place is on every lesson prompt, however narrow.
        let prompts = screen.rows.filter { $0.firstMatch(of: #/\d/5 .*>( |$)/#) != nil }
        #expect(prompts.count >= 4, "\(screen.text)")
        for row in prompts {
            let prompt = row[..<(row.range(of: "> ")?.upperBound ?? row.endIndex)]
            #expect(prompt.count <= max(terminal.columns / 2, terminal.columns - 32), "\(row)")
        }
        // Said in whole words: the paragraph reads the same at every width.
        let said = screen.rows.joined(separator: " ").split(separator: " ").joined(separator: " ")
        #expect(said.contains("and those that fit best become high-fit results."), "\(screen.text)")
        #expect(said.contains("hint: results --limit 5 shows the first five rows."), "\(screen.text)")
    }

    @Test(arguments: terminals)
    func aPresentedDemo(_ terminal: Terminal) async throws {
        try await SimulatorFixture.with { sim in
            let sample = await sim.simulator.seedDemoTasks()
            let use = "use " + (sample.last?.id.prefix(4) ?? "")
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let script = try home.write(
                "demo.exsh",
                """
                #: A narrated line, long enough that it has to be wrapped at forty columns and at sixty too.
                tasks
                \(use)
                status
                echo left out
                """)
            let pty = try start(terminal, ["--step", "--typing", "0", "--no-history", script], sim: sim, home: home)
            defer { pty.terminate() }
            for (index, command) in ["tasks", use, "status"].enumerated() {
                try await pty.waitForKeyRead(showing: "> ", after: index == 0 ? 0 : pty.mark - 2)
                var mark = pty.mark
                pty.type(" ")
                try await pty.waitForKeyRead(showing: command, after: mark)
                mark = pty.mark
                pty.type("\r")
                try await pty.wait(for: ["tasks": "exhausted: no more", use: "high-fit", "status": "Excluded"][command]!, after: mark)
            }
            // s leaves the last one out, and says so.
            try await pty.waitForKeyRead(showing: "> ", after: pty.mark - 2)
            pty.type("s")
            #expect(try await pty.waitForExit() == 0)
            let bytes = pty.bytes
            let screen = try await TerminalScreen.render(bytes, columns: terminal.columns)
            expectLaidOut(screen, bytes, terminal)
            let said = screen.rows.joined(separator: " ").split(separator: " ").joined(separator: " ")
            #expect(said.contains("wrapped at forty columns and at sixty too."), "\(screen.text)")
            // (A prompt and the line after it may run past the margin, as typed lines do.)
            #expect(screen.rows.joined().contains("> echo left out  (skipped)"), "\(screen.text)")
        }
    }
}

/// The parts of the screen that wait on the wall clock (a notice comes at most once in 5 s a
/// task) or on a window changing size. One at a time, as every suite here: on a two-core machine
/// many shells at once would crowd out the tests that measure time.
@Suite(.serialized) struct WaitingScreenTests {
    @Test(arguments: ScreenTests.terminals.filter { !$0.isPlain })
    func aNoticeOverAHalfTypedLine(_ terminal: ScreenTests.Terminal) async throws {
        try await SimulatorFixture.with { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let screens = ScreenTests()
            let pty = try screens.start(terminal, sim: sim, home: home)
            defer { pty.terminate() }
            let query = sim.query(atLeast: 60, prefix: "notice screen")
            var mark = try await screens.run("create \"\(query)\" --results 5", on: pty, terminal, after: 0)
            let created = try await pty.wait(for: "the new task's id", after: mark) { $0.firstMatch(of: /[0-9a-f]{8}-[0-9a-f-]{27}/) != nil }
            let id = String(try #require(created.firstMatch(of: /[0-9a-f]{8}-[0-9a-f-]{27}/)).output)
            sim.advance(100_000)
            try await screens.prompt(pty, terminal, after: mark)
            mark = pty.mark
            pty.type("echo hal")
            try await pty.wait(for: "the notice", after: mark, timeout: 30) { strippingEscapes($0).contains("[\(id.prefix(8)) done") }
            // The half-typed line is drawn again after it; the line goes on.
            try await pty.wait(for: "the line drawn again", after: mark) { strippingEscapes($0).hasSuffix("> echo hal") }
            pty.type("f\r")
            try await pty.wait(for: "\r\nhalf\r\n", after: mark)
            try await screens.prompt(pty, terminal, after: mark)

            let bytes = pty.bytes
            let screen = try await TerminalScreen.render(bytes, columns: terminal.columns)
            screens.expectLaidOut(screen, bytes, terminal)
            let notices = screen.rows(containing: "[\(id.prefix(8)) done")
            #expect(notices.count == 1, "\(screen.text)")
            #expect(notices.first?.firstMatch(of: #/ 5(/| of )5/#) != nil, "the counts whole: \(notices)")
            #expect(screen.rows.contains { $0.hasSuffix("> echo half") }, "\(screen.text)")
        }
    }

    @Test func watchIsLaidOutAgainWhenTheWindowNarrows() async throws {
        try await SimulatorFixture.with { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let screens = ScreenTests()
            let terminal = ScreenTests.Terminal(columns: 120, colour: true)
            let pty = try screens.start(terminal, sim: sim, home: home)
            defer { pty.terminate() }
            let query = sim.query(atLeast: 400, prefix: "resize screen")
            var mark = try await screens.run("create \"\(query)\" --results 100", on: pty, terminal, after: 0)
            let created = try await pty.wait(for: "the new task's id", after: mark) { $0.firstMatch(of: /[0-9a-f]{8}-[0-9a-f-]{27}/) != nil }
            let id = String(try #require(created.firstMatch(of: /[0-9a-f]{8}-[0-9a-f-]{27}/)).output)
            sim.advance(30)
            // Polls 30 s apart: a redraw in between is the window's doing, not a poll's.
            mark = try await screens.run("watch --interval 30", on: pty, terminal, after: mark)
            try await pty.wait(for: "the bar", after: mark) { $0.contains("█") || $0.contains("·····") }
            let polls = sim.count("GET", "/v1/discovery_tasks/\(id)")
            // The window narrows: the line is drawn again at once, for 40 columns.
            let resized = pty.mark
            pty.resize(columns: 40, rows: 30)
            let redrawn = try await pty.wait(for: "a narrower line", after: resized, timeout: 10) { strippingEscapes($0).contains("%") }
            #expect(strippingEscapes(redrawn).split(separator: "\r").allSatisfy { TextWidthProbe.of(String($0)) < 40 }, "\(redrawn.debugDescription)")
            #expect(sim.count("GET", "/v1/discovery_tasks/\(id)") == polls, "no poll came between")
            pty.type("\u{03}")
            try await pty.wait(for: "stopped watching", after: resized)
            try await screens.prompt(pty, terminal, after: resized)

            let bytes = pty.bytes
            let screen = try await TerminalScreen.render(bytes, columns: 120, resizes: [(after: resized, columns: 40)])
            screens.expectLaidOut(screen, bytes, terminal)
            let progress = screen.rows.filter { $0.hasPrefix(String(id.prefix(8)) + " ") && $0.hasSuffix("%") }
            #expect(progress.count == 1, "one watch line, laid out for 40 columns:\n\(screen.text)")
        }
    }
}
