import Foundation
import ShellKit

/// The parsers the programs themselves use, applied to examples without running them.
@MainActor
enum Parsing {
    // MARK: Commands of the shell

    /// Checks a script as playback checks one before its first command runs (the file's
    /// encoding and continuation lines, each command's quoting and name), then each command's
    /// options with its own `CommandSpec`, as the shell parses them when it gets there.
    /// Returns the problems by line index of `lines`, and the indices of the lines checked.
    static func script(_ lines: [String]) -> (problems: [(line: Int, message: String)], checked: Set<Int>) {
        let scriptLines: [ScriptLine]
        do {
            scriptLines = try ScriptSource.lines(Array(lines.joined(separator: "\n").utf8))
        } catch {
            return ([(max(0, (error.line ?? 1) - 1), error.description)], [])
        }
        var problems: [(Int, String)] = []
        var checked: Set<Int> = []
        for line in scriptLines {
            let span = spanOf(line, in: lines)
            checked.formUnion(span)
            guard line.kind == .command else { continue }
            if let problem = command(line.text) { problems.append((line.number - 1, problem)) }
        }
        return (problems, checked)
    }

    /// The physical lines a script command took (a trailing `\` continues it).
    private static func spanOf(_ line: ScriptLine, in lines: [String]) -> ClosedRange<Int> {
        var end = line.number - 1
        while end < lines.count - 1, lines[end].hasSuffix("\\") { end += 1 }
        return (line.number - 1)...end
    }

    /// Why one command line of the shell would be refused before it runs: quoting, the command's
    /// name, its options and arguments. Variables stay unexpanded.
    static func command(_ text: String) -> String? {
        var words: [Word]
        do {
            words = try WordSplitter.split(text, resolve: nil)
        } catch {
            return error.message
        }
        if words.first?.text == "try", words.first?.isQuoted == false { words.removeFirst() }
        guard let name = words.first?.text else { return nil }
        if name.hasPrefix("$") { return nil }
        guard let command = CommandRegistry.standard.command(named: name) else {
            return "unknown command '\(name)'"
        }
        do {
            _ = try command.spec.parse(Array(words.dropFirst()))
            return nil
        } catch {
            return error.message
        }
    }

    /// A command of the shell as the text mentions it (`create --exclude-task`, `resume [N]`,
    /// `token [VALUE | --prompt | --clear]`): the command exists and every option named is one
    /// of its options.
    static func mention(_ text: String) -> String? {
        let words = text.split(separator: " ").map(String.init)
        if words.first == "try", words.count > 1, !isPlaceholder(words[1]) { return mention(words.dropFirst().joined(separator: " ")) }
        guard let name = words.first, let command = CommandRegistry.standard.command(named: name) else {
            return "unknown command '\(text.split(separator: " ").first ?? "")'"
        }
        for word in words.dropFirst() {
            let option = word.trimmingCharacters(in: CharacterSet(charactersIn: "[]…|"))
            guard option.hasPrefix("--"), option.count > 2 else { continue }
            let flag = String(option.prefix { $0 != "=" })
            if !command.spec.flags.contains(where: { $0.name == flag }) {
                return "\(name) has no option \(flag)"
            }
        }
        return nil
    }

    // MARK: The programs' command lines

    /// Why a command line for a POSIX shell would not start, by each program's own parser:
    /// ArgumentParser for extruct-shell and extruct-sim, the usage a project script states in
    /// its head, the system for other programs. Placeholders (`FILE`, `ID`, `[OPTIONS]`, `…`) are
    /// filled in.
    static func programLine(_ command: ShellLine.Command) -> String? {
        guard let program = command.program else { return nil }
        switch program {
        case "extruct-shell", "extruct-sim":
            let arguments = usage(command.arguments)
            // What -c runs is a command of the shell, parsed as the shell parses it.
            if program == "extruct-shell" {
                for (index, word) in arguments.enumerated().dropLast() where ["-c", "--command"].contains(word) {
                    let line = arguments[index + 1]
                    if !isPlaceholder(line), let problem = self.command(line) { return "-c '\(line)': \(problem)" }
                }
            }
            if let problem = ProgramParsers.problem(program, arguments.map { isPlaceholder($0) ? "1" : $0 }) {
                // A placeholder may stand for a word rather than a number.
                if ProgramParsers.problem(program, arguments.map { isPlaceholder($0) ? "x" : $0 }) == nil { return nil }
                return problem
            }
            return nil
        case _ where program.hasPrefix("scripts/"):
            return ProjectScripts.problem(program, usage(command.arguments))
        default:
            if Programs.system.contains(program) {
                return program == "export" || onPath(program) ? nil : "\(program) is not installed"
            }
            return "\(program): not a program the examples know"
        }
    }

    /// Arguments with a usage's notation removed: `[OPTIONS]` and `…` dropped, brackets taken
    /// off (an optional part is checked as if given), the first of `a|b` alternatives kept.
    static func usage(_ arguments: [String]) -> [String] {
        arguments.compactMap { word -> String? in
            if word == "[OPTIONS]" || word == "…" || word == "|" { return nil }
            var w = word
            while w.hasPrefix("[") { w.removeFirst() }
            while w.hasSuffix("]") || w.hasSuffix("…") { w.removeLast() }
            return w.isEmpty ? nil : w
        }
    }

    /// `FILE`, `ID`, `N`, `MS`: a word the reader replaces.
    nonisolated static func isPlaceholder(_ word: String) -> Bool {
        guard let first = word.first, first.isUppercase else { return false }
        return word.allSatisfy { $0.isUppercase || $0.isNumber || $0 == "_" }
    }

    nonisolated static func onPath(_ program: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(program)")
        }
    }

    // MARK: Files

    /// Loads a configuration file with the shell's reader, and picks its default profile as the
    /// shell does at start; every profile's URL must be one the shell takes.
    static func config(_ lines: [String]) -> String? {
        do {
            let config = try ConfigFile.parse(lines.joined(separator: "\n"), path: "config.toml")
            guard try config.profile(nil) != nil else { return "no profile the shell would pick" }
            for (name, profile) in config.profiles {
                if let url = profile.apiURL, !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
                    return "profile \(name): api_url \(url) is not an http(s) URL"
                }
            }
            return nil
        } catch {
            return error.description
        }
    }

    /// Loads a lesson with the tutorial's reader, then parses every command it runs or asks for.
    static func lesson(_ lines: [String]) -> [(line: Int, message: String)] {
        let lesson: Lesson
        do {
            lesson = try Lesson.parse(lines.joined(separator: "\n"), path: "ours.lesson") { CommandRegistry.standard.command(named: $0) != nil }
        } catch {
            return [(max(0, (error.line ?? 1) - 1), error.message)]
        }
        var problems: [(Int, String)] = []
        for case .run(let text, let line) in lesson.steps.flatMap(\.before) + lesson.closing {
            if let problem = command(text) { problems.append((line - 1, problem)) }
        }
        for step in lesson.steps {
            if let problem = command(step.command) { problems.append((step.line - 1, problem)) }
            if let check = step.check, let problem = command("expect " + check) { problems.append((step.line, problem)) }
        }
        return problems
    }
}

/// The project's scripts: each states its usage in the comment at its head
/// (`#   scripts/demo --live   …`), and an invocation must be one of those.
enum ProjectScripts {
    static func problem(_ program: String, _ arguments: [String]) -> String? {
        let path = DocsCheck.root + "/" + program
        guard FileManager.default.isExecutableFile(atPath: path), let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return "\(program) is not a script of the project"
        }
        let usages = usages(of: program, in: text)
        guard !usages.isEmpty else { return "\(program) states no usage in its head" }
        let given = arguments
        if usages.contains(where: { matches(given[...], $0[...]) }) { return nil }
        return "\(([program] + given).joined(separator: " ")) is not a usage of \(program): "
            + usages.map { ([program] + $0).joined(separator: " ") }.joined(separator: "; ")
    }

    /// The usage lines of the head comment: `#   scripts/NAME ARGS   what it does`.
    static func usages(of program: String, in text: String) -> [[String]] {
        var result: [[String]] = []
        for line in text.split(separator: "\n").prefix(while: { $0.hasPrefix("#") }) {
            let body = line.drop { $0 == "#" || $0 == " " }
            guard body.hasPrefix(program + " ") || body == program else { continue }
            // The usage ends where two spaces start its description.
            let usage = body.components(separatedBy: "  ").first ?? String(body)
            result.append(usage.split(separator: " ").dropFirst().map(String.init))
        }
        return result
    }

    /// Whether `given` fits `usage`: literal words, `[optional parts]`, `a|b` alternatives,
    /// placeholders (`DIR`, `SECONDS`) that take any word, and `WORD…` for one or more.
    static func matches(_ given: ArraySlice<String>, _ usage: ArraySlice<String>) -> Bool {
        guard let first = usage.first else { return given.isEmpty }
        if first.hasPrefix("[") {
            // The optional group runs to the word that closes it.
            var depth = 0
            var end = usage.startIndex
            for (index, word) in zip(usage.indices, usage) {
                depth += word.filter { $0 == "[" }.count - word.filter { $0 == "]" }.count
                if depth <= 0 {
                    end = index
                    break
                }
            }
            var inner = Array(usage[usage.startIndex...end])
            inner[0].removeFirst()
            inner[inner.count - 1].removeLast()
            let rest = usage[(end + 1)...]
            let withGroup = inner.filter { !$0.isEmpty } + rest
            return matches(given, withGroup[...]) || matches(given, rest)
        }
        guard let word = given.first else { return false }
        // `SECTION…`: one word or more of the kind.
        let repeats = first.hasSuffix("…")
        let alternatives = (repeats ? String(first.dropLast()) : first).split(separator: "|").map(String.init)
        let fits = alternatives.contains { $0 == word || (Parsing.isPlaceholder($0) && !word.hasPrefix("-")) }
        guard fits else { return false }
        return matches(given.dropFirst(), usage.dropFirst()) || (repeats && matches(given.dropFirst(), usage))
    }
}
