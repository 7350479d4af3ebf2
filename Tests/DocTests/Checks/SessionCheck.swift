import Foundation
import TestSupport

/// A session of the docs, typed at `extruct-shell --demo` on a pseudo-terminal of 80 columns as
/// a person would type it, and the screen compared with the example line by line: the prompts,
/// what was typed, and every line printed (through the terminal: a progress line redrawn in
/// place reads as its last state, a long line wraps and is joined again).
@MainActor
enum SessionCheck {
    static let columns: UInt16 = 80
    /// Typed before the example, out of sight: no notice of a task ending may land between its
    /// lines.
    static let setUp = "set notify off"

    static func check(_ example: Example, in workspace: Workspace) async -> Outcome {
        var outcome = Outcome(depth: .compared, checked: Set(example.lines.indices))
        let typed = example.lines.enumerated().compactMap { index, line in SessionPrompt.split(line).map { (index, $0.command) } }
        let endsAtPrompt = typed.last.map { $0.0 == example.lines.count - 1 && $0.1.isEmpty } ?? false
        let pty: PseudoTerminal
        do {
            pty = try PseudoTerminal(
                "/bin/sh", ["-c", "cd '\(workspace.path)' && exec extruct-shell --demo"], environment: workspace.environment,
                columns: columns, rows: 50)
        } catch {
            outcome.fail("the shell did not start: \(error)")
            return outcome
        }
        defer { pty.terminate() }
        do {
            try await waitForPrompt(pty, after: 0)
            var mark = pty.mark
            pty.type(Self.setUp + "\r")
            try await waitForPrompt(pty, after: mark)
            for (_, command) in typed where !command.isEmpty || !endsAtPrompt {
                mark = pty.mark
                pty.type(command + "\r")
                try await waitForPrompt(pty, after: mark, timeout: 90)
            }
            var shown = TerminalScreen(columns: Int(columns), rows: 50, output: pty.text(since: 0)).lines
            // What the example shows starts at the prompt after the set-up, and ends before the
            // prompt after the last command (unless the example ends at a prompt).
            if let setUp = shown.lastIndex(where: { $0.hasSuffix("> " + Self.setUp) }) { shown.removeFirst(setUp + 1) }
            if !endsAtPrompt, !shown.isEmpty { shown.removeLast() }
            compare(example, shown, into: &outcome)
            pty.type("\u{04}")
        } catch {
            let screen = TerminalScreen(columns: Int(columns), rows: 50, output: pty.text(since: 0)).lines.suffix(15)
            outcome.fail("\(error)\nthe screen ended:\n" + screen.joined(separator: "\n"))
        }
        return outcome
    }

    /// Compares what was shown with the example; in update mode, keeps what it should read.
    static func compare(_ example: Example, _ shown: [String], into outcome: inout Outcome) {
        outcome.comparisons.append(.init(lines: example.lines.indices, printed: shown))
        let pattern = OutputPattern(example.lines)
        if !pattern.matches(shown) {
            let difference = pattern.firstDifference(shown)
            let line = difference?.patternLine
            outcome.fail("the output differs (- the docs, + printed):\n" + pattern.diff(shown).joined(separator: "\n"), at: line)
            outcome.rewrite = pattern.rewritten(for: shown)
        }
    }

    /// Waits until the shell shows a prompt with nothing typed after it, in raw mode: the
    /// command before it has finished and the editor waits for the next line.
    static func waitForPrompt(_ pty: PseudoTerminal, after mark: Int, timeout: Double = 30) async throws {
        try await pty.wait(for: "a prompt", after: mark, timeout: timeout) { text in
            guard mark == 0 || text.contains("\n") else { return false }
            let lines = TerminalScreen(columns: Int(columns), rows: 50, output: pty.text(since: 0)).lines
            guard let last = lines.last, let prompt = SessionPrompt.split(last), prompt.command.isEmpty else { return false }
            guard let settings = pty.terminalSettings else { return false }
            return settings.c_lflag & tcflag_t(ICANON) == 0
        }
    }
}
