import DeepSearch
import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

/// Task ids as people type them, through the built binary: the start of an id that `tasks` printed
/// works in a new process (found by paging the task list), several matches are listed, none is one
/// error, `record` writes whole ids, and Tab completes ids from the last list another process saw.
@Suite struct TaskIDTests {
    /// A simulator holding `count` finished tasks (more than a page of the lookup), oldest first.
    struct Workspace {
        let sim: SimulatorFixture
        let home: TemporaryDirectory
        /// Every task id, newest first (as the API lists them).
        let ids: [String]

        func shell(_ arguments: [String]) async throws -> ProcessResult {
            try await runShell(arguments, home: home.path, extraEnvironment: sim.shellEnvironment, directory: home.path)
        }

        /// The list requests the lookup made, as `offset=…&limit=…`.
        var listQueries: [String] {
            sim.simulator.journal.entries.filter { $0.method == "GET" && $0.path == "/v1/discovery_tasks" }.map(\.query)
        }

        /// The shortest start of `id` (at least `minimum` characters) that no other task shares.
        func uniquePrefix(of id: String, minimum: Int = 4) -> String {
            var length = minimum
            while ids.contains(where: { $0 != id && $0.hasPrefix(id.prefix(length)) }) { length += 1 }
            return String(id.prefix(length))
        }
    }

    func withWorkspace(tasks count: Int = 130, scheme: Scheme = .http, _ body: (Workspace) async throws -> Void) async throws {
        try await SimulatorFixture.with(scheme: scheme) { sim in
            for i in 0..<count {
                await sim.simulator.seed(CreateTaskRequest(query: "seeded search \(i)", desiredNumResults: 3), secondsAgo: 7200 - Double(i))
            }
            let listed = try await RawHTTP(sim).get("/v1/discovery_tasks?limit=1000").json().arrayValue ?? []
            let ids = listed.compactMap { $0["id"]?.stringValue }
            #expect(ids.count == count)
            let home = try TemporaryDirectory()
            defer { home.remove() }
            sim.simulator.journal.clear()
            try await body(Workspace(sim: sim, home: home, ids: ids))
        }
    }

    @Test(arguments: Scheme.allCases)
    func theIDThatTasksPrintedWorksInANewProcess(_ scheme: Scheme) async throws {
        try await withWorkspace(scheme: scheme) { w in
            // The oldest task is on the second page of the lookup.
            let oldest = try #require(w.ids.last)
            let short = String(oldest.prefix(8))
            let listing = try await w.shell(["-c", "tasks --offset 120"])
            #expect(listing.status == 0, "\(listing.stderr)")
            #expect(listing.stdout.contains(short), "tasks shows the id as \(short):\n\(listing.stdout)")
            w.sim.simulator.journal.clear()

            let run = try await w.shell([
                "-c", "use \(short)", "-c", "status \(short)", "-c", "create \"more like it\" --results 3 --exclude-task \(short)",
            ])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains(short))
            #expect(w.listQueries == ["offset=0&limit=100", "offset=100&limit=100"], "one lookup, two pages; then the id is known")
            #expect(w.sim.count("GET", "/v1/discovery_tasks/\(oldest)") == 2, "use and status asked for the whole id")
            let created = try #require(w.sim.simulator.journal.entries.last)
            #expect(created.method == "POST" && created.status == 200, "the excluded task was sent whole and accepted")
        }
    }

    @Test func severalMatchesAreListedAndNoneIsOneError() async throws {
        try await withWorkspace { w in
            let counts = Dictionary(grouping: w.ids, by: { $0.prefix(1) }).mapValues(\.count)
            let (letter, many) = try #require(counts.max { $0.value < $1.value })
            #expect(many > 5)
            let several = try await w.shell(["-c", "use \(letter)"])
            #expect(several.status == 1)
            let line = several.stderr.split(separator: "\n").first.map(String.init) ?? ""
            #expect(line.contains("'\(letter)' begins \(many) task ids ("), "\(several.stderr)")
            #expect(line.contains("and \(many - 5) more); type more of the one you mean"))
            let shown = w.ids.filter { $0.hasPrefix(letter) }.prefix(5).map { String($0.prefix(8)) }
            for id in shown { #expect(line.contains(id)) }

            w.sim.simulator.journal.clear()
            let none = try await w.shell(["-c", "use zzz", "-c", "echo after"])
            #expect(none.status == 1)
            #expect(none.stderr.hasSuffix("no task id begins with 'zzz' among your 130 tasks; tasks lists them\n"), "\(none.stderr)")
            #expect(none.stderr.split(separator: "\n").count == 1)
            #expect(none.stdout.isEmpty, "playback stops at the failed command")

            let excluded = try await w.shell(["-c", "create \"cold chain\" --exclude-task zzz"])
            #expect(excluded.status == 1)
            #expect(excluded.stderr.contains("--exclude-task: no task id begins with 'zzz'"), "\(excluded.stderr)")
            #expect(w.sim.count("POST") == 0, "nothing is created when an excluded task is not found")

            let refused = try await w.shell(["-c", "create \"cold chain\" --results 999 --exclude-task zzz"])
            #expect(refused.stderr.contains("250"), "what is wrong with the request is said first: \(refused.stderr)")
        }
    }

    @Test func aFreshDemoSaysItsTasksAreNew() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        // The sample tasks are there in every run, by the ids the docs and lessons show; a task
        // made in an earlier run is not.
        let run = try await runShell(["--demo", "-q", "-c", "use f2dc2742", "-c", "use 0123abcd"], home: home.path)
        #expect(run.status == 1)
        #expect(run.stdout.hasPrefix("f2dc2742  done"), "\(run.stdout)")
        #expect(run.stderr.contains("no task id begins with '0123abcd' on this simulator: each --demo starts with new tasks"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: home.path + "/cache/extruct-shell/task-ids.json"), "a demo's ids are not kept")
    }

    @Test func recordWritesWholeIDs() async throws {
        try await withWorkspace(tasks: 5) { w in
            let id = w.ids[2]
            let typed = w.uniquePrefix(of: id)
            let run = try await w.shell(["-c", "record r.exsh", "-c", "use \(typed)", "-c", "status '\(typed)'", "-c", "record stop"])
            #expect(run.status == 0, "\(run.stderr)")
            let script = try #require(w.home.read("r.exsh"))
            #expect(script.contains("\nuse \(id)\n"), "\(script)")
            #expect(script.contains("\nstatus '\(id)'\n"), "\(script)")
            w.sim.simulator.journal.clear()
            let replay = try await w.shell(["r.exsh"])
            #expect(replay.status == 0, "\(replay.stderr)")
            #expect(w.listQueries.isEmpty, "the replay needs no lookup")
        }
    }

    @Test func tabCompletesIDsFromTheLastListAnotherProcessSaw() async throws {
        try await withWorkspace(tasks: 30) { w in
            let listing = try await w.shell(["-c", "tasks"])
            #expect(listing.status == 0, "\(listing.stderr)")
            let cache = "cache/extruct-shell/task-ids.json"
            #expect(w.home.mode(cache) == 0o600)
            let listed = Array(w.ids.prefix(20))
            let id = listed[7]
            let typed = w.uniquePrefix(of: id, minimum: 3)

            w.sim.simulator.journal.clear()
            let env = testEnvironment(home: w.home.path, extra: w.sim.shellEnvironment)
            let pty = try PseudoTerminal(Binaries.shell, [], environment: env)
            defer { pty.terminate() }
            try await pty.waitForPrompt()
            let before = w.sim.simulator.journal.total
            let mark = pty.mark
            pty.type("use \(typed)\t")
            try await pty.wait(for: String(id.suffix(12)), after: mark)
            #expect(w.sim.simulator.journal.total == before, "completion asks nothing of the network")
            pty.type("\r")
            try await pty.wait(for: "the prompt on the task", after: mark) { strippingEscapes($0).contains("extruct \(id.prefix(8)) [done]> ") }
            #expect(w.listQueries.isEmpty, "the completed id is whole: no lookup")
        }
    }
}
