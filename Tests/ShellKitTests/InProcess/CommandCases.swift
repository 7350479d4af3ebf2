import DeepSearch
import Foundation
import TestSupport
import Testing

@testable import ShellKit

/// One command proven in process: a line that works, what it must print and change, and a line
/// it must refuse with one `error:` line, leaving the session as it was.
@MainActor
struct CommandCase {
    /// Lines run first (they must succeed), for both lines below.
    var setUp: (InProcessShell) -> [String] = { _ in [] }
    /// A line that works.
    var line: (InProcessShell) -> String
    /// What it printed and changed (`before` is the session before it ran).
    var check: (InProcessShell, InProcessShell.Outcome, _ before: Session) throws -> Void
    /// A line the command refuses.
    var bad: (InProcessShell) -> String
    /// What its error line says.
    var error: String

    init(
        setUp: @escaping (InProcessShell) -> [String] = { _ in [] }, line: @escaping (InProcessShell) -> String,
        check: @escaping (InProcessShell, InProcessShell.Outcome, Session) throws -> Void, bad: @escaping (InProcessShell) -> String,
        error: String
    ) {
        self.setUp = setUp
        self.line = line
        self.check = check
        self.bad = bad
        self.error = error
    }

    /// `use` of a sample task, by the first eight characters of its id (as `tasks` shows it).
    static func use(_ task: DiscoveryTask) -> String { "use \(task.id.prefix(8))" }

    /// Every command of the shell, by name: a command registered without a case here fails
    /// `InProcessCommandTests`.
    static let all: [String: CommandCase] = [
        "create": CommandCase(
            line: { _ in #"create "cold chain logistics startups" --results 10"# },
            check: { shell, outcome, before in
                let id = try #require(shell.session.currentTask)
                #expect(id != before.currentTask)
                #expect(outcome.output.contains(String(id.prefix(8))), "the new task is shown: \(outcome.output)")
                #expect(shell.session.knownTargets[id] == 10)
                #expect(shell.fixture.count("POST", "/v1/discovery_tasks") == 1)
                #expect(outcome.output.contains("\(id.prefix(8)) target 10 · up to 10 credits · "), "what it may spend: \(outcome.output)")
                #expect(shell.fixture.count("GET", "/v1/user") == 1, "the credits left, read once")
            },
            bad: { _ in "create --results 10" }, error: "missing argument; usage: create QUERY"),
        "account": CommandCase(
            line: { _ in "account" },
            check: { shell, outcome, before in
                #expect(outcome.output.contains("Credits"), "\(outcome.output)")
                #expect(outcome.output.contains(" left"), "\(outcome.output)")
                #expect(shell.fixture.count("GET", "/v1/user") == 1, "one GET /v1/user")
                #expect(shell.session.currentTask == before.currentTask)
            },
            bad: { _ in "account extra" }, error: "unexpected argument 'extra'; usage: account"),
        "doctor": CommandCase(
            line: { _ in "doctor" },
            check: { shell, outcome, before in
                for label in ["API URL", "DNS", "Proxy", "Healthcheck", "Token", "Plan", "Credits"] {
                    #expect(outcome.output.contains("✓ \(label)"), "\(outcome.output)")
                }
                #expect(outcome.output.contains("– TLS"), "plain http: \(outcome.output)")
                #expect(shell.fixture.count("GET", "/v1/healthcheck") == 1 && shell.fixture.count("GET", "/v1/billing") == 1)
                #expect(shell.session == before, "doctor changes nothing")
            },
            bad: { _ in "doctor extra" }, error: "unexpected argument 'extra'; usage: doctor [--json]"),
        "tasks": CommandCase(
            line: { _ in "tasks" },
            check: { shell, outcome, _ in
                for task in [shell.running, shell.exhausted, shell.done] {
                    #expect(outcome.output.contains(String(task.id.prefix(8))), "\(task.id) is listed: \(outcome.output)")
                }
                #expect(outcome.output.hasPrefix("ID "))
                #expect(shell.session.lastHTTPStatus == 200)
                #expect(shell.session.lastResponse?.arrayValue?.count == 3)
            },
            bad: { _ in "tasks --limit many" }, error: "--limit takes a whole number, not 'many'"),
        "use": CommandCase(
            line: { use($0.done) },
            check: { shell, outcome, _ in
                #expect(shell.session.currentTask == shell.done.id)
                #expect(shell.session.currentStatus == .done)
                #expect(outcome.output.hasPrefix(String(shell.done.id.prefix(8)) + "  done  25/25 high-fit"), "\(outcome.output)")
            },
            bad: { _ in "use 00000000" }, error: "00000000"),
        "status": CommandCase(
            setUp: { [use($0.done)] },
            line: { _ in "status" },
            check: { shell, outcome, _ in
                #expect(outcome.output.hasPrefix("Task \(shell.done.id)\n"), "\(outcome.output)")
                #expect(outcome.output.contains("high-fit    25"))
                #expect(shell.session.lastResponse?["id"]?.stringValue == shell.done.id)
            },
            bad: { _ in "status --verbose" }, error: "unknown option --verbose; it takes none (help status)"),
        "resume": CommandCase(
            setUp: { [use($0.done)] },
            line: { _ in "resume 5" },
            check: { shell, outcome, _ in
                #expect(outcome.output.contains("target 25 → 30 · up to 5 credits · "), "\(outcome.output)")
                #expect(shell.fixture.count("GET", "/v1/user") == 1, "the credits left, read once")
                #expect(shell.session.currentStatus == .inProgress)
                #expect(shell.fixture.count("POST", "/resume") == 1)
            },
            bad: { _ in "resume five" }, error: "resume"),
        "collect": CommandCase(
            line: { shell in "collect 30 \"\(shell.fixture.query(atLeast: 1100, prefix: "collect case"))\" --results 20" },
            check: { shell, outcome, before in
                let chain = try #require(shell.session.chain)
                #expect(chain.companies >= 30 && chain.goal == 30, "\(chain)")
                #expect(outcome.output.contains("task 1 · "), "a line for the task: \(outcome.output)")
                #expect(outcome.output.contains(" companies (asked for 30) in 1 task"), "\(outcome.output)")
                #expect(shell.session.currentTask == chain.tasks.last?.id)
                #expect(shell.fixture.count("POST", "/v1/discovery_tasks") - shell.fixture.count("POST", "/resume") == 1, "one create")
                #expect(FileManager.default.fileExists(atPath: shell.path("chain.json")), "kept for the next shell")
            },
            bad: { _ in "collect 0 x" }, error: "collect 0 x: takes 1…1250 (got 0)"),
        "chain": CommandCase(
            setUp: { shell in ["collect 12 \"\(shell.fixture.query(atLeast: 1100, prefix: "chain case"))\" --results 12"] },
            line: { _ in "chain" },
            check: { shell, outcome, before in
                let id = try #require(shell.session.chain?.tasks.first?.id)
                #expect(outcome.output.contains("chain of 1 task · "), "\(outcome.output)")
                #expect(outcome.output.contains(String(id.prefix(8))), "\(outcome.output)")
                #expect(outcome.output.contains("total"), "\(outcome.output)")
                #expect(shell.session.chain == before.chain)
            },
            bad: { _ in "chain frob" }, error: "chain frob: takes clear or use ID…, not 'frob'"),
        "results": CommandCase(
            setUp: { [use($0.done)] },
            line: { _ in "results --limit 3" },
            check: { shell, outcome, _ in
                #expect(outcome.output.hasPrefix(" #  COMPANY"), "\(outcome.output)")
                #expect(outcome.output.split(separator: "\n").count == 5, "a header, three rows, the grades: \(outcome.output)")
                #expect(outcome.errors.contains("rows 1–3 of 25 high-fit results"), "\(outcome.errors)")
                #expect(shell.session.shownResults.rows.count == 3)
                #expect(shell.session.shownResults.firstRank == 1)
            },
            bad: { _ in "results --offset -1" }, error: "results --offset"),
        "show": CommandCase(
            setUp: { [use($0.done), "results --limit 3"] },
            line: { _ in "show 2" },
            check: { shell, outcome, before in
                let company = try #require(before.shownResults.rows.dropFirst().first)
                #expect(outcome.output.hasPrefix("#2  \(company.companyName)\n"), "\(outcome.output)")
                #expect(outcome.output.contains("relevance"))
            },
            bad: { _ in "show 99" }, error: "show"),
        "watch": CommandCase(
            setUp: { [use($0.running)] },
            line: { _ in "watch --interval 30" },
            check: { shell, outcome, _ in
                // The running task ends while the clock moves; watch's last word is its status.
                #expect(shell.session.currentStatus == .done, "\(outcome.output)\(outcome.errors)")
                #expect(shell.clock.sleeps.contains(.seconds(30)))
                #expect(outcome.output.contains("done"), "\(outcome.output)")
            },
            bad: { _ in "watch --interval never" }, error: "watch --interval"),
        "export": CommandCase(
            setUp: { [use($0.done)] },
            line: { "export \($0.path("out.csv"))" },
            check: { shell, outcome, _ in
                let text = try String(contentsOfFile: shell.path("out.csv"), encoding: .utf8)
                #expect(text.unicodeScalars.filter { $0 == "\n" }.count == 26, "a header and 25 rows (CRLF)")
                #expect(outcome.output == "wrote 25 results of task \(shell.done.id.prefix(8)) to \(shell.path("out.csv")) (csv)\n")
            },
            bad: { "export \($0.path("out.csv")) --format xml" }, error: "export"),
        "raw": CommandCase(
            line: { _ in "raw GET /v1/discovery_tasks?limit=1" },
            check: { shell, outcome, _ in
                let json = try JSONParser.parse(Array(outcome.output.utf8))
                #expect(json.arrayValue?.count == 1)
                #expect(shell.session.lastHTTPStatus == 200)
                #expect(shell.session.lastResponse == json)
            },
            bad: { _ in "raw FETCH /v1/discovery_tasks" }, error: "raw"),
        "token": CommandCase(
            line: { _ in "token xtk_in_process_0123456789" },
            check: { shell, outcome, _ in
                #expect(shell.session.token == "xtk_in_process_0123456789")
                #expect(outcome.output == "token …6789 from the token command\n")
            },
            bad: { _ in "token --prompt" }, error: "--prompt needs a terminal"),
        "set": CommandCase(
            line: { _ in "set page_size 5" },
            check: { shell, outcome, _ in
                #expect(shell.session.settings.pageSize == 5)
                #expect(outcome.output.isEmpty)
            },
            bad: { _ in "set page_size 0" }, error: "page_size"),
        "unset": CommandCase(
            setUp: { _ in ["set q ai startups", "set page_size 5"] },
            line: { _ in "unset page_size" },
            check: { shell, _, before in
                #expect(before.settings.pageSize == 5)
                #expect(shell.session.settings.pageSize == Settings().pageSize)
                #expect(shell.session.variables == ["q": "ai startups"])
            },
            bad: { _ in "unset nothing_here" }, error: "nothing_here is not set"),
        "echo": CommandCase(
            setUp: { _ in ["set who world"] },
            line: { _ in "echo hello   $who" },
            check: { shell, outcome, before in
                #expect(outcome.output == "hello world\n")
                #expect(shell.session == before)
            },
            bad: { _ in "echo $nobody_set_this" }, error: "nobody_set_this"),
        "sleep": CommandCase(
            line: { _ in "sleep 2.5" },
            check: { shell, outcome, _ in
                #expect(shell.clock.sleeps == [.milliseconds(2500)])
                #expect(outcome.output.isEmpty)
            },
            bad: { _ in "sleep -1" }, error: "takes seconds between 0 and 3600, not '-1'"),
        "pause": CommandCase(
            line: { _ in #"pause "Questions so far?""# },
            check: { _, outcome, _ in
                // Played without --step, a pause does nothing.
                #expect(outcome.output.isEmpty && outcome.errors.isEmpty)
            },
            bad: { _ in "pause --now" }, error: "unknown option --now; it takes none"),
        "expect": CommandCase(
            setUp: { [use($0.done), "status"] },
            line: { _ in "expect num_results >= 20" },
            check: { _, outcome, _ in
                #expect(outcome.output.isEmpty && outcome.errors.isEmpty)
            },
            bad: { _ in "expect status == failed" }, error: "expect"),
        "try": CommandCase(
            line: { _ in "try use 00000000" },
            check: { shell, outcome, before in
                // The failure is shown, and the line succeeds.
                #expect(outcome.errorLines.count == 1, "\(outcome.errors)")
                #expect(shell.session.currentTask == before.currentTask)
            },
            bad: { _ in "try" }, error: "try: give a command to run"),
        "source": CommandCase(
            setUp: { shell in
                try? writeFile(shell.path("setup.exsh"), "set x 1\necho sourced $x\n")
                return []
            },
            line: { "source \($0.path("setup.exsh"))" },
            check: { shell, outcome, _ in
                #expect(outcome.output == "sourced 1\n")
                #expect(shell.session.variables["x"] == "1")
            },
            bad: { "source \($0.path("missing.exsh"))" }, error: "missing.exsh"),
        "record": CommandCase(
            line: { "record \($0.path("rec.exsh"))" },
            check: { shell, outcome, _ in
                #expect(outcome.errors.contains("recording to"), "\(outcome.errors)")
                #expect(FileManager.default.fileExists(atPath: shell.path("rec.exsh")))
                #expect(shell.recorder?.path == shell.path("rec.exsh"))
            },
            bad: { _ in "record stop" }, error: "record stop: not recording"),
        "history": CommandCase(
            line: { shell in
                for line in ["tasks", "use f2dc", "status"] {
                    shell.shell.environment.history.remember(line, console: shell.shell.environment.console)
                }
                return "history 2"
            },
            check: { _, outcome, _ in
                #expect(outcome.output == "2  use f2dc\n3  status\n")
            },
            bad: { _ in "history 0" }, error: "takes 1…100000 (got 0)"),
        "clear": CommandCase(
            line: { _ in "clear" },
            check: { _, outcome, _ in
                // Not a terminal: nothing to clear.
                #expect(outcome.output.isEmpty && outcome.errors.isEmpty)
            },
            bad: { _ in "clear all" }, error: "unexpected argument 'all'; usage: clear"),
        "tutorial": CommandCase(
            line: { _ in "tutorial" },
            check: { _, outcome, _ in
                let first = try #require(ShippedLessons.lessons.first)
                #expect(outcome.output.hasPrefix("  1  \(first.title)"), "\(outcome.output)")
            },
            bad: { _ in "tutorial 1" }, error: "a lesson waits for you to type at the prompt"),
        "help": CommandCase(
            line: { _ in "help resume" },
            check: { _, outcome, _ in
                #expect(outcome.output.contains("resume [N|max]"), "\(outcome.output)")
            },
            bad: { _ in "help fly" }, error: "fly"),
        "exit": CommandCase(
            line: { _ in "exit 3" },
            check: { shell, outcome, _ in
                #expect(outcome.status == 0)
                #expect(shell.exitRequest == 3)
            },
            bad: { _ in "exit 300" }, error: "takes 0…255 (got 300)"),
    ]
}
