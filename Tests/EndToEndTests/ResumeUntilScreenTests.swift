import DeepSearch
import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

extension ScreenTests {
    /// `resume --until` at 80 and 40 columns, through the terminal emulator: while it runs, one
    /// progress line for the whole, never wrapped; a row for each round; the last line whole.
    @Test(arguments: ScreenTests.terminals.filter { $0.columns == 80 || $0.columns == 40 })
    func resumeUntilKeepsOneProgressLine(_ terminal: Terminal) async throws {
        try await SimulatorFixture.with { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let task = try await sim.doneTask(results: 10)
            let short = String(task.id.prefix(8))
            let pty = try start(terminal, sim: sim, home: home)
            defer { pty.terminate() }
            var mark = try await run("use \(task.id)", on: pty, terminal, after: 0)
            mark = try await run("set poll_interval 0.05", on: pty, terminal, after: mark)
            mark = try await run("resume --until 120", on: pty, terminal, after: mark)
            var checkedMidway = false
            for _ in 0..<300 {
                // Two polls of each state, so each is drawn; then simulated time moves on.
                let polls = sim.count("GET", "/v1/discovery_tasks/\(task.id)")
                let text = try await pty.wait(for: "two polls", after: mark) { text in
                    sim.count("GET", "/v1/discovery_tasks/\(task.id)") > polls + 1 || text.contains("has 120 results")
                }
                if text.contains("has 120 results") { break }
                if !checkedMidway, text.contains("round 1 · "), !terminal.isPlain {
                    // Round 2 runs: the rows so far, and the one live line.
                    let bytes = pty.bytes
                    let screen = try await TerminalScreen.render(bytes, columns: terminal.columns)
                    expectLaidOut(screen, bytes, terminal)
                    let progress = screen.rows.filter { $0.hasPrefix(short + " ") && $0.hasSuffix("%") }
                    #expect(progress.count == 1, "one live line:\n\(screen.text)")
                    #expect(progress.first?.contains("/120") == true, "counted toward the goal: \(progress)")
                    checkedMidway = true
                }
                sim.advance(20)
            }
            try await pty.wait(for: "has 120 results (asked for 120) after 3 rounds", after: mark) {
                strippingEscapes($0).replacingOccurrences(of: "\r\n", with: " ").contains("has 120 results (asked for 120) after 3 rounds")
            }
            try await prompt(pty, terminal, after: mark)
            #expect(checkedMidway || terminal.isPlain)

            let bytes = pty.bytes
            let screen = try await TerminalScreen.render(bytes, columns: terminal.columns)
            expectLaidOut(screen, bytes, terminal)
            for round in 1...3 { #expect(screen.rows.filter { $0.hasPrefix("round \(round) · ") }.count == 1, "round \(round):\n\(screen.text)") }
            let progress = screen.rows.filter { $0.hasPrefix(short + " ") && $0.hasSuffix("%") }
            if terminal.isPlain {
                #expect(progress.count >= 3, "one line per change:\n\(screen.text)")
            } else {
                #expect(progress.isEmpty, "the live line is gone once the rounds end:\n\(screen.text)")
            }
            #expect(screen.text.contains(short + " has 120 results"), "\(screen.text)")
        }
    }
}
