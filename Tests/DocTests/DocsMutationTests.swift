import Foundation
import Testing

/// The check of the docs can fail: a changed command word, option or word of printed output on
/// any line of an example makes it fail. Each word is changed the way a rename or a typo
/// changes it (its first letter), and the example checked again.
@Suite struct DocsMutationTests {
    /// `word` with its first letter changed: `results` → `aesults`, `--limit` → `--aimit`.
    static func changed(_ word: String) -> String {
        guard let index = word.firstIndex(where: \.isLetter) else { return word + "x" }
        var out = word
        out.replaceSubrange(index...index, with: word[index] == "a" || word[index] == "A" ? "b" : "a")
        return out
    }

    /// `line` with word `n` (split on spaces) changed.
    static func changing(_ line: String, word n: Int) -> String {
        var words = line.components(separatedBy: " ")
        words[n] = changed(words[n])
        return words.joined(separator: " ")
    }

    /// The indices of the words of `line` that hold a letter (and so can be changed).
    static func words(_ line: String) -> [Int] {
        line.components(separatedBy: " ").indices.filter { line.components(separatedBy: " ")[$0].contains(where: \.isLetter) }
    }

    /// The command words and options of a command line (for a shell or the shell), by index.
    static func commandWordsAndOptions(_ line: String) -> [Int] {
        var words = line.components(separatedBy: " ")
        // A comment is prose.
        if let comment = words.firstIndex(of: "#") { words = Array(words[..<comment]) }
        guard let first = words.firstIndex(where: { !$0.isEmpty && !$0.contains("=") || $0 == "try" }) else { return [] }
        var indices = [first]
        if words[first] == "try", first + 1 < words.count, !Parsing.isPlaceholder(words[first + 1]) { indices.append(first + 1) }
        // Options of the programs and commands the docs own (a system program's own are its business).
        if !Programs.system.contains(words[first]) {
            indices += words.indices.filter { $0 > first && words[$0].hasPrefix("-") && words[$0].contains(where: \.isLetter) }
        }
        return indices
    }

    /// Every word of printed output the docs show, changed one at a time, fails the comparison
    /// with what the run printed; JSON answers are compared in shape, so there every member
    /// name.
    @Test @MainActor func aChangedWordOfPrintedOutputFails() async throws {
        let report = try await SharedReport.get()
        var changes = 0
        var caught = 0
        for (example, _, outcome) in report.results where outcome.passed {
            for comparison in outcome.comparisons {
                let shown = Array(example.lines[comparison.lines])
                let json = shown.first.map { $0.hasPrefix("{") || $0.hasPrefix("[") } ?? false
                for (offset, line) in shown.enumerated() where !OutputPattern.isLineWildcard(line) {
                    for word in Self.words(line) {
                        let text = line.components(separatedBy: " ")[word]
                        if json, !(text.hasPrefix("\"") && text.hasSuffix("\":")) { continue }
                        var mutated = shown
                        mutated[offset] = Self.changing(line, word: word)
                        changes += 1
                        let fails = TranscriptCheck.compare(mutated, comparison.printed) != nil
                        if fails { caught += 1 }
                        #expect(fails, "\(example.document):\(example.line + comparison.lines.lowerBound + offset): changed to \(mutated[offset])")
                    }
                }
            }
        }
        print("docs: \(changes) words of printed output changed one at a time; \(caught) failed the comparison")
        #expect(changes > 300)
    }

    /// Every command word and every option of a script, a command line, the text, a lesson,
    /// and every key of a configuration, changed one at a time, fails the check: the parsers
    /// refuse it before anything runs.
    @Test @MainActor func aChangedCommandOrOptionFailsTheParse() async throws {
        let report = try await SharedReport.get()
        var mutants: [Example] = []
        for (example, kind, outcome) in report.results where outcome.passed {
            guard let kind else { continue }
            for (index, line) in example.lines.enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                let targets: [Int]
                switch kind {
                case .script, .terminal, .inline:
                    targets = Self.commandWordsAndOptions(line)
                case .config:
                    targets = line.contains(" = ") ? [0] : []
                case .lesson:
                    let words = line.components(separatedBy: " ")
                    // The directive, and the command of a step or a run.
                    targets = ["step", "run"].contains(words[0]) ? [0, 1] : [0]
                case .session, .transcript:
                    continue
                }
                for target in targets {
                    var mutant = example
                    mutant.lines[index] = Self.changing(line, word: target)
                    mutants.append(mutant)
                }
            }
        }
        let outcomes = await DocsCheck.check(mutants)
        for (mutant, outcome) in zip(mutants, outcomes) {
            #expect(!outcome.passed, "\(mutant.place): the check passed with a changed line:\n\(mutant.lines.joined(separator: "\n"))")
        }
        print(
            "docs: \(mutants.count) command words, options and keys changed one at a time; \(outcomes.filter { !$0.passed }.count) failed the check")
        #expect(mutants.count > 200)
    }

    /// A session or a transcript played with a changed command word, option, or word of output
    /// fails when it is played: the run is compared with the docs.
    @Test @MainActor func aChangedSessionFailsWhenPlayed() async throws {
        let report = try await SharedReport.get()
        var mutants: [Example] = []
        for (example, kind, outcome) in report.results where outcome.passed && (kind == .session || kind == .transcript) {
            let typed = example.lines.indices.compactMap { index -> (Int, String)? in
                let line = example.lines[index]
                if let split = SessionPrompt.split(line), !split.command.isEmpty { return (index, split.command) }
                if line.hasPrefix("$ ") { return (index, String(line.dropFirst(2))) }
                return nil
            }
            let prefix = { (index: Int) in example.lines[index].prefix(example.lines[index].count - typed.first { $0.0 == index }!.1.count) }
            // The last command typed (a failure there cannot stop what comes before from being compared).
            if let (index, command) = typed.last {
                for target in Self.commandWordsAndOptions(command).prefix(2) {
                    var mutant = example
                    mutant.lines[index] = prefix(index) + Self.changing(command, word: target)
                    mutants.append(mutant)
                }
            }
            // A word of output.
            if let (offset, line) = example.lines.enumerated().first(where: { index, line in
                !typed.contains { $0.0 == index } && !OutputPattern.isLineWildcard(line) && !Self.words(line).isEmpty
            }) {
                var mutant = example
                mutant.lines[offset] = Self.changing(line, word: Self.words(line)[0])
                mutants.append(mutant)
            }
        }
        let outcomes = await DocsCheck.check(mutants)
        for (mutant, outcome) in zip(mutants, outcomes) {
            #expect(!outcome.passed, "\(mutant.place): played with a changed line, it passed:\n\(mutant.lines.joined(separator: "\n"))")
        }
        print("docs: \(mutants.count) sessions and transcripts played with a changed line; \(outcomes.filter { !$0.passed }.count) failed")
        #expect(mutants.count > 15)
    }
}
