import DeepSearch
import Testing

@testable import ShellKit

/// Splitting like a POSIX shell, expanding variables once and never re-splitting them.
@Suite struct WordSplitterTests {
    func split(_ line: String, _ vars: [String: String] = [:]) throws -> [String] {
        try WordSplitter.split(line) { vars[$0] }.map(\.text)
    }

    @Test(arguments: [
        ("create ai startups", ["create", "ai", "startups"]),
        ("  spaced   out  ", ["spaced", "out"]),
        (#"echo "double quoted" 'single quoted'"#, ["echo", "double quoted", "single quoted"]),
        (#"echo a\ b c\"d"#, ["echo", "a b", "c\"d"]),
        (#"echo "a \"q\" \\ \$x" 'it''s'"#, ["echo", "a \"q\" \\ $x", "its"]),
        ("echo one # a comment", ["echo", "one"]),
        ("echo a#b", ["echo", "a#b"]),
        ("# only a comment", []),
        (##"echo "#not" '#not'"##, ["echo", "#not", "#not"]),
        ("echo ''", ["echo", ""]),
        ("echo $5 costs $", ["echo", "$5", "costs", "$"]),
        ("echo 日本 héllo", ["echo", "日本", "héllo"]),
    ])
    func splits(_ line: String, _ expected: [String]) throws {
        #expect(try split(line) == expected)
    }

    @Test func expandsVariablesOnceWithoutResplitting() throws {
        let vars = ["q": "ai startups", "task": "t-1", "last.results[0].company_name": "Acme; rm -rf", "n": "3"]
        #expect(try split("create $q", vars) == ["create", "ai startups"])
        #expect(try split("use ${task}x", vars) == ["use", "t-1x"])
        #expect(try split(#"echo "[$q]" '$q'"#, vars) == ["echo", "[ai startups]", "$q"])
        #expect(try split("echo $last.results[0].company_name.", vars) == ["echo", "Acme; rm -rf."])
        #expect(try split("echo ${last.results[0].company_name}", vars) == ["echo", "Acme; rm -rf"])
        #expect(try split(#"echo \$q"#, vars) == ["echo", "$q"])
    }

    @Test func marksWholeExpansions() throws {
        let words = try WordSplitter.split(#"expect $x == "done""#) { $0 == "x" ? "done" : nil }
        #expect(words[1].isExpansion)
        #expect(!words[2].isExpansion)
        #expect(words[3].isQuoted)
        #expect(!(try WordSplitter.split("echo a$x") { _ in "b" })[1].isExpansion)
    }

    @Test func unsetVariablesAndBadSyntaxAreErrorsThatSayWhere() {
        // An unset variable is told apart by its kind, not by the words of its message.
        #expect(throws: ShellSyntaxError(message: "$nope is not set", column: 6, kind: .unsetVariable)) { try split("echo $nope") }
        #expect(throws: ShellSyntaxError(message: "unterminated double quote", column: 6)) { try split(#"echo "open"#) }
        #expect(throws: ShellSyntaxError(message: "unterminated single quote", column: 6)) { try split("echo 'open") }
        #expect(throws: ShellSyntaxError(message: "unterminated ${", column: 6)) { try split("echo ${x") }
        #expect(throws: ShellSyntaxError(message: "'${1x}' is not a variable name", column: 6)) { try split("echo ${1x}") }
        #expect(throws: ShellSyntaxError(message: "the line ends with a lone backslash", column: 6)) { try split("echo \\") }
    }

    @Test func eachWordKnowsWhereItIsWritten() throws {
        let line = #"try  token "a b"c 'd'  $x # note"#
        let words = try WordSplitter.split(line) { _ in "value" }
        let scalars = Array(line.unicodeScalars)
        #expect(words.map { String(String.UnicodeScalarView(scalars[$0.span])) } == ["try", "token", #""a b"c"#, "'d'", "$x"])
    }

    @Test func withoutAResolverOnlyTheSyntaxIsChecked() throws {
        #expect(try WordSplitter.split("use $task", resolve: nil).map(\.text) == ["use", "$task"])
    }

    @Test func jsonPathsReachIntoResponses() throws {
        let json = try JSONParser.parse(
            #"{"results": [{"company_name": "Acme", "scores": {"b2b": {"grade": 5}}}], "n": 3, "ok": true, "none": null}"#)
        #expect(JSONPath("results[0].company_name")?.lookup(in: json)?.shellText == "Acme")
        #expect(JSONPath("results[0].scores.b2b.grade")?.lookup(in: json)?.shellText == "5")
        #expect(JSONPath("ok")?.lookup(in: json)?.shellText == "true")
        #expect(JSONPath("none")?.lookup(in: json)?.shellText == "null")
        #expect(JSONPath("results[1]")?.lookup(in: json) == nil)
        #expect(JSONPath("[0]")?.lookup(in: .array(["x"]))?.shellText == "x")
        #expect(JSONPath("a..b") == nil)
        #expect(JSONPath("a[x]") == nil)
    }
}
