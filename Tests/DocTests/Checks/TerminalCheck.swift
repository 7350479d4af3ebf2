import Foundation
import TestSupport

/// Command lines for a POSIX shell. Every program is checked by its own parser (see
/// ``Parsing/programLine(_:)``); then each line runs in the example's folder by `/bin/sh`:
///
/// - `extruct-sim …` starts the simulator as the example shows (on a free port: the port the
///   example names is replaced in every later line), stopped when the example ends;
/// - `extruct-shell` with nothing to play is the interactive shell: started on a
///   pseudo-terminal, it must show its prompt and leave on Ctrl-D;
/// - `export NAME=value` sets the environment of the lines after it;
/// - a line that talks to the API without starting a simulator gets one of its own
///   (`EXTRUCT_API_URL`; the docs' `…` is a token it takes);
/// - everything else must exit 0.
///
/// Not run: an example marked `needs …`, a usage with placeholders (`FILE`, `[OPTIONS]`), the
/// project's scripts (they build, install and test; checked against the usage in their head).
@MainActor
enum TerminalCheck {
    static func check(_ example: Example, in workspace: Workspace) async -> Outcome {
        var outcome = Outcome(depth: .parsed)
        var runnable: [(index: Int, line: String, parsed: ShellLine)] = []
        var notRun: [String] = []
        for (index, line) in example.lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            outcome.checked.insert(index)
            let parsed: ShellLine
            do {
                parsed = try ShellLine(trimmed)
            } catch {
                outcome.fail("\(error)", at: index)
                continue
            }
            for command in parsed.commands {
                if let problem = Parsing.programLine(command) { outcome.fail(problem, at: index) }
            }
            if let reason = Self.notRunnable(parsed) {
                notRun.append(reason)
            } else {
                runnable.append((index, trimmed, parsed))
            }
        }
        if !outcome.passed { return outcome }
        if let reason = example.parseOnlyReason {
            outcome.parseOnlyBecause = reason
            return outcome
        }
        if let step = runnable.first(where: { $0.parsed.commands.contains { $0.words.contains("--step") } }) {
            outcome.fail("--step waits for a presenter: mark the example `sh needs a presenter at a terminal`", at: step.index)
            return outcome
        }
        if runnable.isEmpty {
            outcome.parseOnlyBecause = Set(notRun).sorted().joined(separator: "; ")
            return outcome
        }
        outcome.depth = .ran
        if !notRun.isEmpty { outcome.parseOnlyBecause = "in part: " + Set(notRun).sorted().joined(separator: "; ") }
        var ports = PortMap()
        for (index, line, parsed) in runnable {
            do {
                if let problem = try await run(line, parsed, in: workspace, ports: &ports) { outcome.fail(problem, at: index) }
            } catch {
                outcome.fail("\(error)", at: index)
            }
        }
        return outcome
    }

    /// Why a line is not run, or nil to run it.
    static func notRunnable(_ line: ShellLine) -> String? {
        for command in line.commands {
            guard let program = command.program else { continue }
            if program.hasPrefix("scripts/") { return "the project's scripts build, install and test: checked against their usage" }
            if Programs.isOurs(program), command.arguments.contains(where: { Parsing.isPlaceholder($0) || $0.hasPrefix("[") || $0 == "…" }) {
                return "a usage with placeholders"
            }
        }
        return nil
    }

    /// Runs one line; returns what went wrong, if anything.
    static func run(_ line: String, _ parsed: ShellLine, in workspace: Workspace, ports: inout PortMap) async throws -> String? {
        let line = ports.apply(line)
        guard let command = parsed.commands.first, parsed.commands.count == 1 || parsed.commands.allSatisfy({ !$0.background }) else {
            return nil
        }
        if command.program == "export" || (command.program == nil && !command.assignments.isEmpty) {
            for word in command.arguments {
                let parts = word.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { workspace.environment[String(parts[0])] = String(parts[1]) }
            }
            for (name, value) in command.assignments { workspace.environment[name] = value }
            return nil
        }
        if command.program == "extruct-sim", parsed.commands.count == 1 {
            _ = try await startServer(line, in: workspace, ports: &ports, lines: 1)
            return nil
        }
        if needsAnAPI(parsed), ports.isEmpty {
            // Nothing started a simulator: the example gets one, on the port it names if any.
            if line.contains("127.0.0.1:") {
                ports.map(line, to: try await workspace.startSimulator())
            } else if workspace.environment["EXTRUCT_API_URL"] == nil {
                _ = try await workspace.startSimulator()
            }
        }
        let mapped = ports.apply(line)
        if command.program == "extruct-shell", parsed.commands.count == 1, Self.isInteractive(command) {
            return try await interactive(mapped, in: workspace)
        }
        let ran = try await runLine(mapped, in: workspace)
        if ran.status != 0 {
            return "exit status \(ran.status):\n" + ran.output.split(separator: "\n").suffix(15).map { "  " + $0 }.joined(separator: "\n")
        }
        return nil
    }

    /// Starts an extruct-sim line as a server; returns its first lines of output (with the
    /// example's port in place of the free one it got).
    static func startServer(_ line: String, in workspace: Workspace, ports: inout PortMap, lines: Int) async throws -> [String] {
        var words = try ShellLine(line).commands[0].words
        let given = words.firstIndex(of: "--port").flatMap { $0 + 1 < words.count ? words[$0 + 1] : nil }
        if let at = words.firstIndex(of: "--port"), at + 1 < words.count { words[at + 1] = "0" } else { words += ["--port", "0"] }
        let printed = try await workspace.startServer(words.map(quoted).joined(separator: " "), lines: lines)
        if let url = printed.first(where: { $0.contains("listening on") }), let port = url.split(separator: ":").last.flatMap({ Int($0) }) {
            ports.add(example: given ?? "8080", actual: String(port))
        }
        return printed.map { ports.unapply($0) }
    }

    /// Whether a command line talks to the Deep Search API (and so needs one to talk to).
    static func needsAnAPI(_ line: ShellLine) -> Bool {
        line.commands.contains { command in
            switch command.program {
            case "curl": true
            case "extruct-shell":
                // --demo and --tutorial bring their own; a dry run and a replay send nothing.
                !["--demo", "--tutorial", "--version", "--dry-run", "--replay-http"].contains { command.words.contains($0) }
            default: false
            }
        }
    }

    /// Whether an extruct-shell command line is the interactive shell: nothing to play, standard
    /// input not a pipe.
    static func isInteractive(_ command: ShellLine.Command) -> Bool {
        if command.pipedInto || !command.reads.isEmpty { return false }
        let arguments = command.arguments
        // `-i` stays at the prompt after what it plays: the prompt must be seen.
        if arguments.contains("-i") || arguments.contains("--interactive") {
            return !arguments.contains { ["--version", "-h", "--help"].contains($0) }
        }
        let valued: Set<String> = [
            "--api-url", "--token", "--profile", "--typing", "--cast", "--cast-idle-limit", "--history-file", "--record-http",
            "--replay-http", "--ca-file", "--proxy", "--timeout",
        ]
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            if ["-c", "--command", "-f", "--file", "--version", "-h", "--help"].contains(word) { return false }
            if valued.contains(word) {
                index += 2
                continue
            }
            if !word.hasPrefix("-") { return false }
            index += 1
        }
        return true
    }

    /// Starts the interactive shell on a pseudo-terminal: it must show a prompt, then leave on
    /// Ctrl-D with status 0.
    static func interactive(_ line: String, in workspace: Workspace) async throws -> String? {
        // exec, so the shell is the child the terminal belongs to (and ends with it).
        let command = try ShellLine(line).commands[0]
        let words = command.assignments.map { "\($0.name)=\($0.value)" } + command.words
        let pty = try PseudoTerminal(
            "/bin/sh", ["-c", "cd '\(workspace.path)' && exec env " + words.map(quoted).joined(separator: " ")],
            environment: workspace.environment, columns: SessionCheck.columns, rows: 50)
        defer { pty.terminate() }
        do {
            try await SessionCheck.waitForPrompt(pty, after: 0)
        } catch {
            return "the shell showed no prompt:\n"
                + TerminalScreen(columns: 80, rows: 50, output: pty.screen).lines.suffix(10).joined(separator: "\n")
        }
        pty.type("\u{04}")
        let status = try await pty.waitForExit()
        return status == 0 ? nil : "Ctrl-D at the prompt: exit status \(status)"
    }

    static func quoted(_ word: String) -> String {
        word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,".contains($0) }
            ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// The ports an example names (`--port 8080`, `127.0.0.1:8080`, `extruct-sim-8443-ca.pem`) and
/// the free ones its servers got instead: applied to the lines after, and taken back out of what
/// they print.
struct PortMap {
    private var pairs: [(example: String, actual: String)] = []

    var isEmpty: Bool { pairs.isEmpty }

    mutating func add(example: String, actual: String) {
        pairs.append((example, actual))
    }

    /// Maps every loopback port `line` names to `port`.
    mutating func map(_ line: String, to port: Int) {
        for match in line.matches(of: #/127\.0\.0\.1:([0-9]+)/#) { add(example: String(match.1), actual: String(port)) }
    }

    func apply(_ text: String) -> String {
        pairs.reduce(text) { text, pair in
            // Only the whole number: 8080 in 127.0.0.1:8080 or extruct-sim-8080-ca.pem, not in 18080.
            guard let regex = try? Regex("\\b\(pair.example)\\b") else { return text }
            return text.replacing(regex, with: pair.actual)
        }
    }

    func unapply(_ text: String) -> String {
        pairs.reduce(text) { text, pair in text.replacing(pair.actual, with: pair.example) }
    }
}
