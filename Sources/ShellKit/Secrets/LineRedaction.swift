import DeepSearch

/// A command line as history, `--echo`, `--step`, `--cast`, `record` and error messages keep it:
/// every secret replaced by value, never found by its position. The value a line sets as the
/// token is found however it is written — after `try`, with any spacing, quoted, escaped, from a
/// variable, in a sourced file — and every secret in use is replaced wherever it appears.
@MainActor
struct LineRedaction {
    let registry: CommandRegistry

    /// The values `line` sets as the token once `resolve` expands its variables: the arguments of
    /// a `token` command (`--prompt` and `--clear` aside), with or without `try` before it.
    func tokens(setBy line: String, resolve: WordSplitter.Resolver?) -> [String] {
        guard let words = try? WordSplitter.split(line, resolve: resolve) else { return [] }
        return tokenArguments(of: words).map(\.text)
    }

    /// `line` with every secret shown as `replacement`: the words that set the token whatever
    /// their spelling, a word whose value holds a secret its text does not spell out (quoted or
    /// escaped apart), and every literal occurrence of a secret of `secrets`.
    func redact(_ line: String, secrets: Set<String>, replacement: String = "…") -> String {
        let hunted = secrets.filter { $0.count >= Secrets.minimumLength }
        var scalars = Array(line.unicodeScalars)
        var spans: [Range<Int>] = []
        if let words = try? WordSplitter.split(line, resolve: nil) {
            let arguments = tokenArguments(of: words)
            spans = arguments.map(\.span)
            for word in words where !arguments.contains(where: { $0.span == word.span }) {
                let written = String(String.UnicodeScalarView(scalars[word.span]))
                if hunted.contains(where: { Secrets.occurs($0, in: word.text) && !Secrets.occurs($0, in: written) }) {
                    spans.append(word.span)
                }
            }
        } else if let rest = Self.restAfterTokenCommand(scalars) {
            // A line that does not split never runs; if it begins as a token command, whatever
            // follows may be the token, half quoted.
            spans = [rest]
        }
        for span in spans.sorted(by: { $0.lowerBound > $1.lowerBound }) {
            scalars.replaceSubrange(span, with: replacement.unicodeScalars)
        }
        var text = String(String.UnicodeScalarView(scalars))
        for secret in hunted.sorted(by: { $0.count > $1.count }) { text = Secrets.redact(text, secret, replacement: replacement) }
        return text
    }

    /// The words after `token` (and the unquoted `try`s before it) that are not its switches.
    func tokenArguments(of words: [Word]) -> [Word] {
        var words = words[...]
        // Any number of them: `try try token VALUE` sets nothing, but shows VALUE all the same.
        while let first = words.first, first.text == "try", !first.isQuoted { words = words.dropFirst() }
        guard let name = words.first?.text, registry.command(named: name)?.spec.name == TokenCommand.spec.name else { return [] }
        return words.dropFirst().filter { $0.isQuoted || $0.isExpansion || !["--prompt", "--clear", "--"].contains($0.text) }
    }

    /// In a line that does not split, the scalars after a leading `token` (or `try token`, `try try token` …), when
    /// anything but spaces follows it.
    private static func restAfterTokenCommand(_ scalars: [Unicode.Scalar]) -> Range<Int>? {
        var index = 0
        func nextWord() -> Range<Int>? {
            while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
            let start = index
            while index < scalars.count, scalars[index] != " ", scalars[index] != "\t" { index += 1 }
            return start < index ? start..<index : nil
        }
        func bare(_ range: Range<Int>) -> String {
            String(String.UnicodeScalarView(scalars[range].filter { $0 != "\"" && $0 != "'" && $0 != "\\" }))
        }
        guard var word = nextWord() else { return nil }
        while bare(word) == "try", let next = nextWord() { word = next }
        guard bare(word) == "token" else { return nil }
        guard let start = scalars[word.upperBound...].firstIndex(where: { $0 != " " && $0 != "\t" }) else { return nil }
        return start..<scalars.count
    }
}
