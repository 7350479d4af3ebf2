import Foundation
import ShellKit
import TestSupport

/// A script of the docs (a `#!/usr/bin/env extruct-shell` file, or a few commands of a guide
/// or of the manual): checked as playback checks a script before it runs anything, each
/// command's options parsed by its own spec, then played on a simulator of its own, whose
/// finished sample task is current (the manual's `results` and `show` show it) and `$TASK`.
/// A `#!` file runs as a program, by its run bit and the `#!` line.
@MainActor
enum ScriptCheck {
    static func check(_ example: Example, in workspace: Workspace) async -> Outcome {
        let (problems, checked) = Parsing.script(example.lines)
        var outcome = Outcome(depth: .parsed, checked: checked)
        for problem in problems { outcome.fail(problem.message, at: problem.line) }
        if !outcome.passed { return outcome }
        if let reason = example.parseOnlyReason {
            outcome.parseOnlyBecause = reason
            return outcome
        }
        // Lines that wait for a person at a terminal are parsed only, and left out of the play.
        var played = example.lines
        var waiting: [String] = []
        for (index, line) in example.lines.enumerated() {
            if let reason = PersonAtATerminal.reason(for: line) {
                played[index] = "# " + line
                waiting.append("\(line.trimmingCharacters(in: .whitespaces)): \(reason)")
            }
        }
        let segments = Self.segments(played)
        guard segments.contains(where: { $0.lines.contains { Self.isCommand($0) } }) else {
            outcome.parseOnlyBecause = waiting.joined(separator: "; ")
            return outcome
        }
        outcome.depth = .ran
        if !waiting.isEmpty { outcome.parseOnlyBecause = "in part: " + waiting.joined(separator: "; ") }
        do {
            _ = try await workspace.startSimulator()
            let program = example.lines.first?.hasPrefix("#!") == true
            for segment in segments where segment.lines.contains(where: Self.isCommand) {
                let name = "example.exsh"
                try workspace.folder.write(name, segment.lines.joined(separator: "\n") + "\n")
                let ran: Ran
                if program {
                    chmod(workspace.folder.file(name), 0o755)
                    ran = try await runLine("./\(name)", in: workspace)
                } else {
                    ran = try await runLine("extruct-shell -c 'use \(Workspace.finishedTask)' -f \(name)", in: workspace)
                }
                if ran.status != segment.status {
                    outcome.fail(
                        "played, it ended with exit status \(ran.status), not \(segment.status):\n"
                            + ran.output.split(separator: "\n").suffix(20).map {
                                "  " + $0
                            }.joined(separator: "\n"))
                }
            }
        } catch {
            outcome.fail("could not play it: \(error)")
        }
        return outcome
    }

    /// Whether a line of a script is a command (not blank, not a comment).
    static func isCommand(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return !trimmed.isEmpty && !trimmed.hasPrefix("#")
    }

    /// The script cut after each `exit` or `quit` (each ends a playback): each part played on
    /// its own, expected to end with the status its `exit` gives (0 without one). Lines of the
    /// other parts are left blank, so an error names the line of the docs.
    static func segments(_ lines: [String]) -> [(lines: [String], status: Int32)] {
        var result: [(lines: [String], status: Int32)] = []
        var start = 0
        for (index, line) in lines.enumerated() {
            let words = line.split(separator: " ")
            guard let first = words.first, first == "exit" || first == "quit" else { continue }
            var part = Array(repeating: "", count: lines.count)
            part.replaceSubrange(start...index, with: lines[start...index])
            result.append((part, words.count > 1 ? Int32(words[1]) ?? 0 : 0))
            start = index + 1
        }
        if start < lines.count {
            var part = Array(repeating: "", count: lines.count)
            part.replaceSubrange(start..<lines.count, with: lines[start...])
            result.append((part, 0))
        }
        return result
    }
}

/// Commands that wait for a person at a terminal, which playback refuses: parsed only.
enum PersonAtATerminal {
    static func reason(for line: String) -> String? {
        let words = line.split(separator: " ").map(String.init)
        switch words.first {
        case "token" where words.contains("--prompt"):
            return "reads a token typed at a terminal"
        case "tutorial" where words.count == 2 && !["stop", "reset"].contains(words[1]):
            return "a lesson waits for a person to type at the prompt"
        default:
            return nil
        }
    }
}
