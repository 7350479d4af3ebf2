import Testing

@testable import ShellKit

/// A command line is kept and shown with every secret hidden, found by its value: however the
/// line that sets the token is written, and wherever a secret in use appears.
@Suite @MainActor struct LineRedactionTests {
    static let token = "xtk_live_5b0c9d8e7f6a"
    let redaction = LineRedaction(registry: .standard)

    @Test(arguments: [
        ("token xtk_live_5b0c9d8e7f6a", "token …"),
        ("try token xtk_live_5b0c9d8e7f6a", "try token …"),
        ("try    token   xtk_live_5b0c9d8e7f6a", "try    token   …"),
        ("try try token xtk_live_5b0c9d8e7f6a", "try try token …"),
        ("try try  try token 'xtk_live_5b0c9d8e7f6a", "try try  try token …"),
        ("  token\txtk_live_5b0c9d8e7f6a  ", "  token\t…  "),
        (#"token "xtk_live_5b0c9d8e7f6a""#, "token …"),
        ("token 'xtk_live_5b0c9d8e7f6a'", "token …"),
        (#"token xtk_"live"_5b0c9d8e7f6a"#, "token …"),
        (#"token \xtk_live_5b0c9d8e7f6a"#, "token …"),
        (#""token" xtk_live_5b0c9d8e7f6a"#, #""token" …"#),
        (#"to\ken xtk_live_5b0c9d8e7f6a"#, #"to\ken …"#),
        ("token -- xtk_live_5b0c9d8e7f6a", "token -- …"),
        ("token short", "token …"),
        ("token --prompt", "token --prompt"),
        ("token --clear", "token --clear"),
        ("token", "token"),
        ("token $MY_TOKEN", "token …"),
        (#"token "xtk_live_5b0c9d8e7f6a"#, #"token …"#),
        (#"try token 'xtk_live_5b0c9d8e7f6a"#, #"try token …"#),
        ("echo xtk_live_5b0c9d8e7f6a", "echo …"),
        ("raw GET /v1/discovery_tasks?t=xtk_live_5b0c9d8e7f6a&x=1", "raw GET /v1/discovery_tasks?t=…&x=1"),
        (#"echo "xtk_live"_5b0c9d8e7f6a and more"#, "echo … and more"),
        ("echo fine # xtk_live_5b0c9d8e7f6a", "echo fine # …"),
        ("set t xtk_live_5b0c9d8e7f6a", "set t …"),
        ("echo $EXTRUCT_API_TOKEN", "echo $EXTRUCT_API_TOKEN"),
        ("tasks", "tasks"),
    ])
    func hidesTheTokenWhateverItsSpelling(_ line: String, _ kept: String) {
        #expect(redaction.redact(line, secrets: [Self.token]) == kept, "\(line)")
    }

    @Test func findsTheValueALineSetsBeforeItRuns() {
        let resolve: WordSplitter.Resolver = { $0 == "MY_TOKEN" ? "from-a-variable-123" : nil }
        #expect(redaction.tokens(setBy: "try   token  'abc def-12345'", resolve: resolve) == ["abc def-12345"])
        #expect(redaction.tokens(setBy: "token $MY_TOKEN", resolve: resolve) == ["from-a-variable-123"])
        #expect(redaction.tokens(setBy: #"to\ken "x-12345678""#, resolve: resolve) == ["x-12345678"])
        #expect(redaction.tokens(setBy: "token --prompt", resolve: resolve).isEmpty)
        #expect(redaction.tokens(setBy: "echo token x-12345678", resolve: resolve).isEmpty)
        #expect(redaction.tokens(setBy: "'try' token x-12345678", resolve: resolve).isEmpty, "a quoted try is a command named try")
    }

    @Test func aRecordingWritesTheVariableInstead() {
        #expect(
            redaction.redact("try token 'xtk_live_5b0c9d8e7f6a'", secrets: [], replacement: "$EXTRUCT_API_TOKEN") == "try token $EXTRUCT_API_TOKEN")
    }
}
