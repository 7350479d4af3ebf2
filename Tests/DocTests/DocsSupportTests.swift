import Testing

/// The pieces the check of the docs is made of, on examples of their own.
@Suite @MainActor struct DocsSupportTests {
    @Test func outputWildcardsStandForWhatVaries() {
        let pattern = OutputPattern(["extruct> watch", "…", "f2dc2742 done: 50 of … results", "took … s"])
        #expect(pattern.matches(["extruct> watch", "f2dc2742 done: 50 of 50 results", "took 3 s"]))
        #expect(pattern.matches(["extruct> watch", "a", "b", "f2dc2742 done: 50 of 50 results", "took 3 s   "]))
        #expect(!pattern.matches(["extruct> watch", "f2dc2742 done: 50 of 50 result", "took 3 s"]))
        #expect(!pattern.matches(["extruct> watch", "f2dc2742 done: 50 of 50 results"]))
        #expect(!pattern.matches(["extruct> watch", "f2dc2742 done: 50 of 50 results", "took 3 s", "more"]))
        #expect(OutputPattern.lineMatches("a … c … e", "a b c d e"))
        #expect(!OutputPattern.lineMatches("a … c … e", "a b d e"))
        #expect(OutputPattern.lineMatches("…", ""))
    }

    @Test func aRewriteKeepsWildcardsWhereWhatSurroundsThemStillMatches() {
        let pattern = OutputPattern(["$ run", "…", "total: 3", "…"])
        #expect(pattern.rewritten(for: ["$ run", "x", "y", "total: 4", "z"]) == ["$ run", "x", "y", "total: 4", "z"])
        #expect(pattern.rewritten(for: ["$ run", "x", "total: 3", "new"]) == ["$ run", "…", "total: 3", "…"])
        // A wildcard between lines that no longer match does not swallow what was printed.
        let session = OutputPattern(["extruct> create q", "f2dc2742  created", "…", "f2dc2742 done"])
        #expect(
            session.rewritten(for: ["extruct> create q", "707870d8  created", "a", "707870d8 done"]) == [
                "extruct> create q", "707870d8  created", "a", "707870d8 done",
            ])
        #expect(session.diff(["extruct> create q", "707870d8  created", "707870d8 done"]).filter { $0.hasPrefix("- ") }.count == 3)
    }

    @Test func theScreenIsWhatATerminalShows() {
        // A live line redrawn in place, a line wrapped at 10 columns, a wide character, libedit's
        // space-backspace at the margin.
        var screen = TerminalScreen(columns: 10, rows: 5)
        screen.write("a 1%\r\u{1B}[2Ka 100%\r\n")
        screen.write("0123456789abc\r\n")
        screen.write("北辰x\r\n")
        screen.write("extruct> 5 \u{08}0\r\n")
        #expect(screen.lines == ["a 100%", "0123456789abc", "北辰x", "extruct> 50", ""])
        var moved = TerminalScreen(columns: 20, rows: 5, output: "one\r\ntwo\u{1B}[1A\r\u{1B}[Kuno\u{1B}[1B\r\n")
        #expect(moved.lines.prefix(2) == ["uno", "two"])
        moved.write("\u{1B}]0;title\u{07}\u{1B}[31mred\u{1B}[0m")
        #expect(moved.lines.last == "red")
    }

    @Test func commandLinesSplitAsAPOSIXShellSplitsThem() throws {
        let line = try ShellLine(
            #"EXTRUCT_API_TOKEN=demo extruct-shell -c 'use f2dc2742' -c "results --limit 5" --json > out.jsonl 2>&1 # a comment"#)
        #expect(line.commands.count == 1)
        #expect(line.commands[0].assignments.map(\.name) == ["EXTRUCT_API_TOKEN"])
        #expect(line.commands[0].words == ["extruct-shell", "-c", "use f2dc2742", "-c", "results --limit 5", "--json"])
        #expect(line.commands[0].writes == ["out.jsonl"])
        #expect(line.comment == "a comment")
        let pipe = try ShellLine("cat demo.exsh | extruct-shell && echo done; sleep 1 &")
        #expect(pipe.commands.map(\.program) == ["cat", "extruct-shell", "echo", "sleep"])
        #expect(pipe.commands[1].pipedInto && !pipe.commands[2].pipedInto && pipe.commands[3].background)
        #expect(throws: ShellLine.Unbalanced.self) { try ShellLine("echo 'open") }
    }

    @Test func aProjectScriptIsCalledAsItsHeadSays() {
        let usages = ProjectScripts.usages(
            of: "scripts/install",
            in:
                "#!/usr/bin/env bash\n# Installs.\n#   scripts/install [--prefix DIR]              DIR defaults to ~/.local\n#   scripts/install --uninstall [--prefix DIR]  removes\nset -e\n"
        )
        #expect(usages == [["[--prefix", "DIR]"], ["--uninstall", "[--prefix", "DIR]"]])
        #expect(usages.contains { ProjectScripts.matches([], $0[...]) })
        #expect(usages.contains { ProjectScripts.matches(["--uninstall", "--prefix", "/opt"], $0[...]) })
        #expect(!usages.contains { ProjectScripts.matches(["--uninstal"], $0[...]) })
        #expect(!usages.contains { ProjectScripts.matches(["--prefix"], $0[...]) })
        #expect(ProjectScripts.matches(["--live"], ["--live|--step"]))
    }

    @Test func anExampleIsToldByItsInfoStringOrTheShapeOfItsLines() {
        func kind(_ language: String, _ lines: [String], note: String = "") -> ExampleKind? {
            ExampleKind.of(Example(document: "t.md", line: 1, language: language, note: note, lines: lines))
        }
        #expect(kind("", ["extruct> tasks", "…"]) == .session)
        #expect(kind("", ["lesson 1 · 2/5 extruct> use f2dc2742"]) == .session)
        #expect(kind("console", ["$ wc -l x", "2 x"]) == .transcript)
        #expect(kind("sh", ["extruct-sim --port 0", "curl http://127.0.0.1:1/"]) == .terminal)
        #expect(kind("sh", ["#!/usr/bin/env extruct-shell", "use $TASK"]) == .script)
        #expect(kind("", ["set q x", "create $q"]) == .script)
        #expect(kind("toml", ["a = 1"]) == .config)
        #expect(kind("", ["# ours", "lesson ours", "step tasks"]) == .lesson)
        #expect(kind("", ["an error: nothing to run"]) == nil)
        let marked = Example(document: "t.md", line: 1, language: "sh", note: "needs the real API", lines: [])
        #expect(marked.parseOnlyReason == "needs the real API")
    }
}
