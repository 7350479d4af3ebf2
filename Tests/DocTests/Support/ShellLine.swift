import Foundation

/// A command line as a POSIX shell reads it, as far as examples need: words with their quotes
/// and backslashes removed, `NAME=value` assignments before a program, pipes and lists (`|`,
/// `&&`, `||`, `;`, `&`), redirections (`> FILE`, `>> FILE`, `< FILE`, `2>&1`) and a `#` comment.
struct ShellLine: Sendable, Equatable {
    /// One program and its arguments.
    struct Command: Sendable, Equatable {
        var assignments: [(name: String, value: String)] = []
        var words: [String] = []
        /// Files written by `>` and `>>`.
        var writes: [String] = []
        /// Files read by `<`.
        var reads: [String] = []
        /// Whether it runs in the background (`&`).
        var background = false
        /// Whether its standard input is a pipe from the command before.
        var pipedInto = false

        var program: String? { words.first }
        var arguments: [String] { Array(words.dropFirst()) }

        static func == (a: Command, b: Command) -> Bool {
            a.words == b.words && a.writes == b.writes && a.reads == b.reads && a.background == b.background
                && a.assignments.map(\.name) == b.assignments.map(\.name) && a.assignments.map(\.value) == b.assignments.map(\.value)
        }
    }

    var commands: [Command]
    /// The comment at the end of the line, without its `#`.
    var comment: String?

    struct Unbalanced: Error, CustomStringConvertible {
        var description: String
    }

    init(_ line: String) throws(Unbalanced) {
        var commands: [Command] = []
        var current = Command()
        var word = ""
        var inWord = false
        var redirect: String?
        var comment: String?
        let chars = Array(line)
        var i = 0

        func finishWord() {
            guard inWord else { return }
            if let r = redirect {
                if r.hasPrefix("<") { current.reads.append(word) } else { current.writes.append(word) }
                redirect = nil
            } else if current.words.isEmpty, let eq = word.firstIndex(of: "="), word[..<eq].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }),
                word.first?.isLetter == true || word.first == "_"
            {
                current.assignments.append((String(word[..<eq]), String(word[word.index(after: eq)...])))
            } else {
                current.words.append(word)
            }
            word = ""
            inWord = false
        }
        func finishCommand(pipeNext: Bool, background: Bool = false) {
            finishWord()
            current.background = background
            if !current.words.isEmpty || !current.assignments.isEmpty { commands.append(current) }
            current = Command()
            current.pipedInto = pipeNext
        }

        while i < chars.count {
            let c = chars[i]
            switch c {
            case "'":
                guard let close = chars[(i + 1)...].firstIndex(of: "'") else { throw Unbalanced(description: "an unclosed ' quote") }
                word += String(chars[(i + 1)..<close])
                inWord = true
                i = close
            case "\"":
                var j = i + 1
                while j < chars.count, chars[j] != "\"" {
                    if chars[j] == "\\", j + 1 < chars.count, "\"\\$`".contains(chars[j + 1]) { j += 1 }
                    word.append(chars[j])
                    j += 1
                }
                guard j < chars.count else { throw Unbalanced(description: "an unclosed \" quote") }
                inWord = true
                i = j
            case "\\":
                if i + 1 < chars.count {
                    word.append(chars[i + 1])
                    i += 1
                }
                inWord = true
            case " ", "\t":
                finishWord()
            case "#" where !inWord:
                comment = String(chars[(i + 1)...]).trimmingCharacters(in: .whitespaces)
                i = chars.count
                continue
            case "|":
                if i + 1 < chars.count, chars[i + 1] == "|" {
                    i += 1
                    finishCommand(pipeNext: false)
                } else {
                    finishCommand(pipeNext: true)
                }
            case "&":
                if i + 1 < chars.count, chars[i + 1] == "&" {
                    i += 1
                    finishCommand(pipeNext: false)
                } else {
                    finishCommand(pipeNext: false, background: true)
                }
            case ";":
                finishCommand(pipeNext: false)
            case ">", "<":
                // 2>&1 and >&2 duplicate a descriptor: nothing is written.
                if c == ">", i + 1 < chars.count, chars[i + 1] == "&" {
                    if inWord, word.allSatisfy(\.isNumber) {
                        word = ""
                        inWord = false
                    }
                    i += 2
                    while i < chars.count, chars[i].isNumber { i += 1 }
                    continue
                }
                if inWord, word.allSatisfy(\.isNumber) {
                    word = ""
                    inWord = false
                } else {
                    finishWord()
                }
                var op = String(c)
                if c == ">", i + 1 < chars.count, chars[i + 1] == ">" {
                    op = ">>"
                    i += 1
                }
                redirect = op
            default:
                word.append(c)
                inWord = true
            }
            i += 1
        }
        finishCommand(pipeNext: false)
        if redirect != nil { throw Unbalanced(description: "a redirection without a file") }
        self.commands = commands
        self.comment = comment
    }
}
