import DeepSearch
import Foundation
import TestSupport

/// `$ command` lines with what each printed, as a terminal shows them. Each command is parsed
/// as ``TerminalCheck`` parses one, then run in the example's folder, standard output and error
/// together, and what it printed compared line by line with the lines under it; output that is
/// JSON is compared in shape (the same members, the same types, values free), as an API answer
/// differs in ids and times. `$ cat FILE` with its lines, when FILE is not there yet, makes FILE
/// for the commands after it: the example shows the file it plays.
@MainActor
enum TranscriptCheck {
    struct Step {
        var index: Int
        var line: String
        var output: [String]
    }

    static func check(_ example: Example, in workspace: Workspace) async -> Outcome {
        var outcome = Outcome(depth: .parsed, checked: Set(example.lines.indices))
        var steps: [Step] = []
        for (index, line) in example.lines.enumerated() {
            if line == "$" || line.hasPrefix("$ ") {
                steps.append(Step(index: index, line: String(line.dropFirst(2)), output: []))
            } else if steps.isEmpty {
                outcome.fail("output before the first $ line", at: index)
            } else {
                steps[steps.count - 1].output.append(line)
            }
        }
        var parsed: [ShellLine] = []
        for step in steps {
            do {
                let line = try ShellLine(step.line)
                for command in line.commands {
                    if let problem = Parsing.programLine(command) { outcome.fail(problem, at: step.index) }
                }
                parsed.append(line)
            } catch {
                outcome.fail("\(error)", at: step.index)
            }
        }
        if !outcome.passed { return outcome }
        if let reason = example.parseOnlyReason {
            outcome.parseOnlyBecause = reason
            return outcome
        }
        outcome.depth = .compared
        var ports = PortMap()
        var rewrite: [String] = []
        var changed = false
        for (step, line) in zip(steps, parsed) {
            rewrite.append(example.lines[step.index])
            do {
                let printed = try await run(step, line, in: workspace, ports: &ports)
                outcome.comparisons.append(.init(lines: (step.index + 1)..<(step.index + 1 + step.output.count), printed: printed))
                if let problem = compare(step.output, printed) {
                    outcome.fail(problem, at: step.index + 1)
                    changed = true
                    rewrite += OutputPattern(step.output).rewritten(for: printed)
                } else {
                    rewrite += step.output
                }
            } catch {
                outcome.fail("\(error)", at: step.index)
                rewrite += step.output
            }
        }
        if changed { outcome.rewrite = rewrite }
        return outcome
    }

    /// Runs one step; returns what it printed, lines as the example shows them.
    static func run(_ step: Step, _ parsed: ShellLine, in workspace: Workspace, ports: inout PortMap) async throws -> [String] {
        let command = parsed.commands.first
        if parsed.commands.count == 1, let command, command.program == "cat", command.arguments.count == 1,
            !FileManager.default.fileExists(atPath: workspace.folder.file(command.arguments[0]))
        {
            try workspace.folder.write(command.arguments[0], step.output.joined(separator: "\n") + "\n")
        }
        if parsed.commands.count == 1, command?.program == "extruct-sim" {
            return try await TerminalCheck.startServer(ports.apply(step.line), in: workspace, ports: &ports, lines: step.output.count)
        }
        if TerminalCheck.needsAnAPI(parsed), ports.isEmpty, workspace.environment["EXTRUCT_API_URL"] == nil {
            if step.line.contains("127.0.0.1:") {
                ports.map(step.line, to: try await workspace.startSimulator())
            } else {
                _ = try await workspace.startSimulator()
            }
        }
        let ran = try await runLine(ports.apply(step.line), in: workspace)
        var lines = ran.output.components(separatedBy: "\n").map { ports.unapply($0) }
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// What differs between the output shown and the output printed, or nil.
    static func compare(_ shown: [String], _ printed: [String]) -> String? {
        if let expected = try? JSONParser.parse(Array(shown.joined(separator: "\n").utf8)),
            shown.first?.hasPrefix("{") == true || shown.first?.hasPrefix("[") == true
        {
            guard let actual = try? JSONParser.parse(Array(printed.joined(separator: "\n").utf8)) else {
                return "the docs show JSON; it printed:\n" + printed.prefix(10).joined(separator: "\n")
            }
            return JSONShape.difference(expected, actual, at: "")
        }
        let pattern = OutputPattern(shown)
        guard !pattern.matches(printed) else { return nil }
        return "the output differs (- the docs, + printed):\n" + pattern.diff(printed).joined(separator: "\n")
    }
}

/// JSON compared in shape: every member the docs show is there with the same type, arrays
/// element by element as far as the docs show them; values are free (ids, times, counts).
enum JSONShape {
    static func difference(_ expected: JSONValue, _ actual: JSONValue, at path: String) -> String? {
        switch (expected, actual) {
        case (.object(let e), .object(let a)):
            for member in e.members {
                guard let value = a[member.key] else { return "\(path.isEmpty ? "the answer" : path) has no member \(member.key)" }
                if let problem = difference(member.value, value, at: path + "." + member.key) { return problem }
            }
            return nil
        case (.array(let e), .array(let a)):
            if e.count > a.count { return "\(path) holds \(a.count) items, the docs show \(e.count)" }
            for (index, item) in e.enumerated() {
                if let problem = difference(item, a[index], at: path + "[\(index)]") { return problem }
            }
            return nil
        default:
            return kind(expected) == kind(actual) ? nil : "\(path) is \(kind(actual)), the docs show \(kind(expected))"
        }
    }

    static func kind(_ value: JSONValue) -> String {
        switch value {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "true or false"
        case .null: "null"
        }
    }
}
