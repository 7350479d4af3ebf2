import DeepSearch
import Testing

/// Text from the network never drives the terminal, and a whole escape sequence costs one column.
@Suite struct SafeTextTests {
    @Test(arguments: [
        ("plain 日本 café", "plain 日本 café"),
        ("a\u{1B}[2Jb", "a?b"),
        ("a\u{1B}[38;5;196mred\u{1B}[0m", "a?red?"),
        ("a\u{1B}]0;a title\u{07}b", "a?b"),
        ("a\u{1B}]8;;http://x\u{1B}\\link\u{1B}]8;;\u{1B}\\b", "a?link?b"),
        ("a\u{9B}31mb", "a?b"),
        ("a\u{9D}title\u{9C}b", "a?b"),
        ("a\u{1B}c", "a?"),
        ("a\u{1B}", "a?"),
        ("a\u{1B}[", "a?"),
        ("bell\u{07}!", "bell?!"),
        ("tab\there\nnew\rline", "tab here new line"),
        ("nul\u{0}del\u{7F}", "nul?del?"),
    ])
    func controlsAndSequencesBecomeOneMark(_ input: String, _ shown: String) {
        #expect(input.withoutControlCharacters == shown)
    }
}
