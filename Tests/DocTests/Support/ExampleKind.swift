import Foundation
import ShellKit

/// What an example is, told by its info string or the shape of its lines, so the Markdown reads
/// as it always did on any forge.
enum ExampleKind: String, Sendable {
    /// Prompt lines (`extruct> `, `extruct f2dc2742 [done]> `, `lesson 1 · 2/5 extruct> `) and
    /// what follows them: typed at the shell on a pseudo-terminal, the screen compared.
    case session
    /// Commands of the shell, one a line (a `#!/usr/bin/env extruct-shell` file, or a few lines
    /// of a guide): checked as playback checks a script, then played.
    case script
    /// Command lines for a POSIX shell (`extruct-shell …`, `extruct-sim …`, `scripts/…`,
    /// `curl …`): the programs' own parsers, then run where they can be.
    case terminal
    /// `$ ` lines and their output, as a terminal shows them: run, the output compared (JSON
    /// output in shape); `$ cat FILE` with its lines makes FILE for the commands after it.
    case transcript
    /// The TOML configuration, loaded by the shell's config reader.
    case config
    /// A lesson file, loaded by the tutorial's reader.
    case lesson
    /// A command line in a code span of the text: parsed.
    case inline

    /// The kind of `example`, or nil when its shape says nothing (a failure: give it an info
    /// string).
    @MainActor static func of(_ example: Example) -> ExampleKind? {
        if example.isInline { return .inline }
        let lines = example.lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard !lines.isEmpty else { return nil }
        if example.language == "toml" { return .config }
        if lines.contains(where: { SessionPrompt.split($0) != nil }) { return .session }
        if lines.contains(where: { $0.hasPrefix("$ ") || $0 == "$" }) { return .transcript }
        let commands = lines.filter { !$0.hasPrefix("#") }
        if let first = commands.first?.split(separator: " ").first.map(String.init) {
            if first == "lesson" || lines.contains(where: { $0.hasPrefix("lesson ") }) && lines.contains(where: { $0.hasPrefix("step ") }) {
                return .lesson
            }
            if lines.first?.hasPrefix("#!") == true, lines.first?.contains("extruct-shell") == true { return .script }
            if Programs.startsCommandLine(commands[0]) { return .terminal }
            if CommandRegistry.standard.command(named: first) != nil || first == "try" { return .script }
        } else if lines.allSatisfy({ $0.hasPrefix("#") }) {
            return example.language == "sh" ? .terminal : .script
        }
        if commands.allSatisfy({ $0.hasPrefix("[") || $0.contains(" = ") }) { return .config }
        return nil
    }
}

/// The prompt of the shell as a session shows it.
enum SessionPrompt {
    /// A prompt line split into the prompt and what was typed after it, or nil for output.
    static func split(_ line: String) -> (prompt: String, command: String)? {
        guard let match = line.firstMatch(of: pattern) else { return nil }
        let prompt = String(line[match.range])
        return (prompt, String(line[match.range.upperBound...]))
    }

    /// `extruct> `, `extruct 707870d8 [created]> `, `extruct NEW-TASK> `, after a lesson's
    /// `lesson 1 · 2/5 `.
    nonisolated(unsafe) static let pattern = #/^(lesson [0-9]+ · [0-9]+/[0-9]+ )?extruct( [^ >\[\]]+( \[[a-z_]+\])?)?>( |$)/#
}

/// The programs examples run, and how each is checked.
enum Programs {
    /// The project's two programs, parsed with their own ArgumentParser commands.
    static func isOurs(_ word: String) -> Bool {
        ["extruct-shell", "extruct-sim"].contains(word) || word.hasPrefix("scripts/")
    }

    /// Programs of the system that examples use, run as they are.
    static let system: Set<String> = ["curl", "cat", "asciinema", "jq", "wc", "chmod", "export", "man", "sudo"]

    /// Whether a line starts a command line for a POSIX shell: a program, maybe after
    /// `NAME=value` assignments.
    static func startsCommandLine(_ line: String) -> Bool {
        for word in line.split(separator: " ") {
            if word.contains("="), word.first?.isLetter == true,
                word.prefix(while: { $0 != "=" }).allSatisfy({ $0.isLetter || $0 == "_" || $0.isNumber })
            {
                continue
            }
            let program = String(word)
            return isOurs(program) || system.contains(program)
        }
        return false
    }
}
