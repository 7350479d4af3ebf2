import DeepSearch
import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

@testable import ShellKit

/// What the collect command below is given, for the test that runs it.
@MainActor
enum CollectProbe {
    static var limits = CollectCommand.Limits.api
    /// Every question the budget was asked: the task (an empty id before a create) and the asking.
    static var asks: [(id: String, asking: Int)] = []
    /// The ask at which the budget says stop (1-based), or throws `CancellationError` (as Ctrl-C would end it).
    static var stopAt: Int?
    static var cancels = false

    static func reset() {
        (limits, asks, stopAt, cancels) = (.api, [], nil, false)
    }

    /// The shell's commands, `collect` run with this probe's budget and limits.
    static var registry: CommandRegistry {
        CommandRegistry(commands: CommandRegistry.standard.commands.map { $0.spec.name == "collect" ? ProbedCollect.self : $0 })
    }
}

/// `collect` with the probe's budget and limits, as the credit guard will plug in.
struct ProbedCollect: ShellCommand {
    static let spec = CollectCommand.spec

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        try await CollectCommand.run(
            arguments, context,
            budget: { task, asking in
                CollectProbe.asks.append((task.id, asking))
                guard let stop = CollectProbe.stopAt, CollectProbe.asks.count >= stop else { return nil }
                if CollectProbe.cancels { throw CancellationError() }
                return "the budget says stop"
            }, limits: CollectProbe.limits)
    }
}

/// `collect`, `chain` and `export --chain` in the test process, against the simulator over
/// loopback HTTP and HTTPS: each rule that stops a chain, the budget's seam, the chain kept in
/// its file and rebuilt by a recording.
@MainActor @Suite(.serialized) struct CollectTests {
    func with(_ scheme: Scheme, _ body: (InProcessShell) async throws -> Void) async throws {
        CollectProbe.reset()
        defer { CollectProbe.reset() }
        try await InProcessShell.with(registry: CollectProbe.registry, scheme: scheme, body)
    }

    /// The creates the simulator was sent (not the resumes, whose path begins the same).
    func creates(_ shell: InProcessShell) -> Int {
        shell.fixture.simulator.journal.entries.filter { $0.method == "POST" && $0.path == "/v1/discovery_tasks" }.count
    }

    @Test func theLimitsAreTheAPIs() {
        #expect(CollectCommand.Limits.api.tasks == 100)
        #expect(CollectCommand.Limits.api.domains == 1000)
        #expect(CollectCommand.most == 1250)
    }

    @Test(arguments: Scheme.allCases)
    func collectsToNAcrossTasksEachLeavingOutTheEarlierOnes(_ scheme: Scheme) async throws {
        try await with(scheme) { shell in
            let query = shell.fixture.query(atLeast: 1100, prefix: "collect to n")
            let run = await shell.run("collect 300 \"\(query)\"")
            #expect(run.status == 0, "\(run.errors)")
            let chain = try #require(shell.session.chain)
            #expect(chain.tasks.count == 2, "the first to the cap, then one follow-up: \(run.output)")
            #expect(chain.companies == 300 && chain.duplicates == 0)
            #expect(chain.tasks.map(\.results) == [250, 50])
            let lines = run.output.split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.hasPrefix("task 1 · \(chain.tasks[0].id.prefix(8)) · 250 results · 250 new · 0 duplicates · at the cap") })
            #expect(lines.contains { $0.hasPrefix("task 2 · \(chain.tasks[1].id.prefix(8)) · 50 results · 50 new") })
            #expect(lines.last == "collected 300 companies (asked for 300) in 2 tasks; chain shows them, export --chain FILE writes them")
            #expect(creates(shell) == 2)
            // The follow-up left out what the first found, and was graded by the same criteria.
            let first = try #require(await shell.fixture.simulator.task(id: chain.tasks[0].id))
            let second = try #require(await shell.fixture.simulator.task(id: chain.tasks[1].id))
            #expect(Set(second.excludeDomains) == Set(chain.tasks[0].found))
            #expect(second.criteria == first.criteria)
            #expect(shell.session.lastResponse?["stop"] == "reached")

            // export --chain: every company once, with the task that found it.
            let export = await shell.run("export --chain \(shell.path("all.csv"))")
            #expect(export.output == "wrote 300 companies of a chain of 2 tasks to \(shell.path("all.csv")) (csv)\n", "\(export.errors)")
            let rows = try String(contentsOfFile: shell.path("all.csv"), encoding: .utf8).split(separator: "\r\n").map(String.init)
            #expect(rows.count == 301)
            #expect(rows[0].hasSuffix(",task_id"))
            let websites = rows.dropFirst().map { $0.split(separator: ",")[2] }
            #expect(Set(websites).count == 300)
            #expect(rows.dropFirst().prefix(250).allSatisfy { $0.hasSuffix(chain.tasks[0].id) })
            #expect(rows.dropFirst(251).allSatisfy { $0.hasSuffix(chain.tasks[1].id) })
            let jsonl = await shell.run("export --chain \(shell.path("all.jsonl"))")
            #expect(jsonl.status == 0)
            let objects = try String(contentsOfFile: shell.path("all.jsonl"), encoding: .utf8).split(separator: "\n")
            #expect(objects.count == 300)
            #expect(try JSONParser.parse(Array(objects[299].utf8))["task_id"]?.stringValue == chain.tasks[1].id)
        }
    }

    @Test(arguments: Scheme.allCases)
    func aFollowUpThatAddsAlmostNothingSaysThePoolIsDry(_ scheme: Scheme) async throws {
        try await with(scheme) { shell in
            let query = shell.fixture.query(poolAtMost: 150, atLeast: 80, prefix: "collect dry")
            let run = await shell.run("collect 500 \"\(query)\"")
            #expect(run.status == 0, "\(run.errors)")
            let chain = try #require(shell.session.chain)
            #expect(chain.tasks.count == 2)
            #expect(chain.tasks[0].isExhausted && chain.tasks[1].new == 0)
            let last = try #require(run.output.split(separator: "\n").last.map(String.init))
            #expect(
                last
                    == "collected \(chain.companies) of 500 companies in 2 tasks: task 2 added 0 new, under 5 % of the \(chain.companies) before it; the pool is dry"
            )
            #expect(shell.session.lastResponse?["stop"] == "dry")
            #expect(creates(shell) == 2)
        }
    }

    @Test(arguments: Scheme.allCases)
    func theTaskLimitStopsTheChain(_ scheme: Scheme) async throws {
        try await with(scheme) { shell in
            CollectProbe.limits = .init(tasks: 1, domains: 1000)
            let query = shell.fixture.query(atLeast: 1100, prefix: "collect task limit")
            let run = await shell.run("collect 1000 \"\(query)\" --results 250")
            #expect(run.status == 0, "\(run.errors)")
            let chain = try #require(shell.session.chain)
            #expect(chain.tasks.count == 2)
            #expect(
                run.output.hasSuffix(
                    "collected \(chain.companies) of 1000 companies in 2 tasks: a new task would leave out 2 tasks, and the API takes at most 1\n"),
                "\(run.output)")
            #expect(shell.session.lastResponse?["stop"] == "task_limit")
            #expect(creates(shell) == 2)
        }
    }

    @Test(arguments: Scheme.allCases)
    func theDomainLimitStopsTheChainAtTheAPIsThousand(_ scheme: Scheme) async throws {
        try await with(scheme) { shell in
            // 900 domains left out by hand, and the first task's 250: past the 1,000 a task takes.
            let excluded = (0..<900).map { "--exclude d\($0).example" }.joined(separator: " ")
            let query = shell.fixture.query(atLeast: 1100, prefix: "collect domain limit")
            let run = await shell.run("collect 600 \"\(query)\" --results 250 \(excluded)")
            #expect(run.status == 0, "\(run.errors)")
            let chain = try #require(shell.session.chain)
            #expect(chain.tasks.count == 1)
            #expect(chain.recipe.excludeDomains.count == 900)
            #expect(
                run.output.hasSuffix(
                    "collected 250 of 600 companies in 1 task: a new task would leave out 1150 domains, and the API takes at most 1000\n"),
                "\(run.output)")
            #expect(shell.session.lastResponse?["stop"] == "domain_limit")
        }
    }

    @Test(arguments: Scheme.allCases)
    func theBudgetIsAskedBeforeEachCreateAndRoundAndCanStopIt(_ scheme: Scheme) async throws {
        try await with(scheme) { shell in
            CollectProbe.stopAt = 3
            let query = shell.fixture.query(atLeast: 1100, prefix: "collect budget")
            let run = await shell.run("collect 500 \"\(query)\"")
            #expect(run.status == 0, "\(run.errors)")
            let chain = try #require(shell.session.chain)
            let id = try #require(chain.tasks.first?.id)
            // The create (a task not made yet: no id), asking its target; then each round.
            #expect(CollectProbe.asks.map(\.id) == ["", id, id])
            #expect(CollectProbe.asks.map(\.asking) == [100, 50, 50])
            #expect(run.output.hasSuffix("collected 150 of 500 companies in 1 task: the budget says stop\n"), "\(run.output)")
            #expect(creates(shell) == 1)
            #expect(shell.fixture.count("POST", "/resume") == 1)
            #expect(shell.session.lastResponse?["stop"] == "budget")
            // Asked before the first create, a stop sends nothing and leaves no chain.
            _ = await shell.run("chain clear")
            CollectProbe.reset()
            CollectProbe.stopAt = 1
            let none = await shell.run("collect 500 \"\(query)\"")
            #expect(none.status == 0, "\(none.errors)")
            #expect(creates(shell) == 1)
            #expect(shell.session.chain == nil)
        }
    }

    @Test func aStoppedCollectKeepsItsChainAndARecordingRebuildsIt() async throws {
        try await with(.http) { shell in
            let query = shell.fixture.query(atLeast: 1100, prefix: "collect stopped")
            try await shell.setUp("record \(shell.path("rec.exsh"))")
            // Stopped as Ctrl-C stops it, in the second round of the first task.
            (CollectProbe.stopAt, CollectProbe.cancels) = (3, true)
            let stopped = await shell.run("collect 350 \"\(query)\"")
            #expect(stopped.status == ExitStatus.interrupted)
            #expect(stopped.errors.contains("stopped at 0 of 350 companies in task 1; collect --continue goes on"), "\(stopped.errors)")
            let chain = try #require(shell.session.chain, "the chain keeps the task made")
            #expect(chain.tasks.count == 1)
            try await shell.setUp("record stop")
            let script = try String(contentsOfFile: shell.path("rec.exsh"), encoding: .utf8)
            #expect(script.contains("\nchain use \(chain.tasks[0].id) --goal 350\n"), "\(script)")
            #expect(!script.contains("collect 350"))

            // The replay rebuilds it; collect --continue goes on from it.
            CollectProbe.reset()
            try await shell.setUp("chain clear", "source \(shell.path("rec.exsh"))")
            #expect(shell.session.chain?.tasks.map(\.id) == chain.tasks.map(\.id))
            #expect(shell.session.chain?.goal == 350)
            let continued = await shell.run("collect --continue")
            #expect(continued.status == 0, "\(continued.errors)")
            let grown = try #require(shell.session.chain)
            #expect(grown.tasks.first?.id == chain.tasks[0].id)
            #expect(grown.companies >= 350 && grown.tasks.count == 2)
            // A recording started with a chain starts from it.
            try await shell.setUp("record \(shell.path("again.exsh"))", "record stop")
            let again = try String(contentsOfFile: shell.path("again.exsh"), encoding: .utf8)
            #expect(again.contains("\n" + ChainCommand.useLine(for: grown) + "\n"), "\(again)")
        }
    }

    @Test func theChainIsKeptInItsFileForTheNextShell() async throws {
        try await with(.http) { shell in
            let query = shell.fixture.query(atLeast: 1100, prefix: "collect kept")
            try await shell.setUp("collect 20 \"\(query)\" --results 20")
            let path = shell.path("chain.json")
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
            #expect(mode == 0o600)
            let kept = ChainStore(path: path).chain(for: shell.session.apiURL)
            #expect(kept == shell.session.chain)
            #expect(ChainStore(path: path).chain(for: "https://elsewhere.example") == nil)
            try await shell.setUp("chain clear")
            #expect(ChainStore(path: path).chain(for: shell.session.apiURL) == nil)
        }
    }

    @Test func exportChainIsWholeOrNothing() async throws {
        try await with(.http) { shell in
            let query = shell.fixture.query(atLeast: 1100, prefix: "collect export")
            try await shell.setUp("collect 270 \"\(query)\"")
            let second = try #require(shell.session.chain?.tasks.last?.id)
            // The second task's results cannot be read: nothing is written.
            shell.fixture.simulator.faults.add(FaultRule(.invalidJSON, method: "GET", path: "\(second)/results"))
            let failed = await shell.run("export --chain \(shell.path("out.csv"))")
            #expect(failed.status != 0)
            #expect(failed.errorLines.count == 1, "\(failed.errors)")
            #expect(!FileManager.default.fileExists(atPath: shell.path("out.csv")))
            #expect(try FileManager.default.contentsOfDirectory(atPath: shell.folder.path).filter { $0.contains("out.csv") }.isEmpty)
            // A folder that does not exist: one error line, nothing written.
            shell.fixture.simulator.faults.clear()
            let missing = shell.path("missing/out.csv")
            let nowhere = await shell.run("export --chain \(missing)")
            #expect(nowhere.errorLines.count == 1, "\(nowhere.errors)")
            #expect(nowhere.errorLines.first?.hasSuffix("cannot write \(missing): No such file or directory") == true, "\(nowhere.errors)")
        }
    }

    @Test func aDryRunShowsTheChainsRequestsAndKeepsNothing() async throws {
        CollectProbe.reset()
        try await InProcessShell.with(configure: { $0.dryRun = true }) { shell in
            let run = await shell.run("collect 100 \"cold chain logistics\"")
            #expect(run.status == 0, "\(run.errors)")
            #expect((run.output + run.errors).contains("POST \(shell.fixture.url)/v1/discovery_tasks"), "\(run.output)")
            #expect(shell.session.chain?.tasks.map(\.id) == [DryRunTransport.createdTaskPlaceholder])
            let export = await shell.run("export --chain \(shell.path("x.csv"))")
            #expect(export.status == 0, "\(export.errors)")
            #expect((export.output + export.errors).contains("/v1/discovery_tasks/\(DryRunTransport.createdTaskPlaceholder)/results"))
            #expect(!FileManager.default.fileExists(atPath: shell.path("x.csv")))
            #expect(!FileManager.default.fileExists(atPath: shell.path("chain.json")), "a dry run keeps no chain for later")
            #expect(shell.fixture.simulator.journal.total == 0)
        }
    }

    @Test func mistakesAreOneErrorLineAndSendNothing() async throws {
        try await with(.http) { shell in
            for (line, error) in [
                (
                    "collect",
                    #"error: test:1: collect: needs N and a QUERY: collect 300 "cold chain logistics startups" (collect --continue goes on with the chain)"#
                ),
                (
                    "collect abc foo",
                    "error: test:1: collect abc foo: takes the number of companies first, then the query (collect 300 QUERY), not 'abc'"
                ),
                ("collect 0 x", "error: test:1: collect 0 x: takes 1…1250 (got 0)"),
                (
                    "collect 5000 x",
                    "error: test:1: collect 5000 x: takes 1…1250 companies (got 5000): a new task leaves out at most 1000 domains, so a chain ends near 1250"
                ),
                ("collect 40", #"error: test:1: collect 40: needs a QUERY after N, as in collect 40 "cold chain logistics""#),
                ("collect --continue", "error: test:1: collect --continue: there is no chain to go on with; collect N QUERY starts one"),
                ("chain", "error: test:1: chain: there is no chain: collect N QUERY starts one, and chain use ID… makes one of tasks that exist"),
                ("export --chain out.csv", "error: test:1: export --chain out.csv: no chain; collect N QUERY makes one (chain shows it)"),
                ("collect 30 x --results 300", "error: test:1: collect 30 x --results 300: --results takes 1…250 (got 300)"),
            ] {
                let outcome = await shell.run(line)
                #expect(outcome.status != 0, "\(line)")
                #expect(outcome.errorLines == [error], "\(line): \(outcome.errors)")
            }
            #expect(shell.fixture.simulator.journal.total == 0)
        }
    }
}
