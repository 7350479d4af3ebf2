import DeepSearch
import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

/// The simulator's API over real loopback HTTP: endpoints, validation and errors.
@Suite struct SimulatorAPITests {
    @Test func requestsWithoutAValidBearerTokenAre401() async throws {
        try await SimulatorFixture.with { sim in
            let anonymous = RawHTTP(sim.url, token: nil)
            let none = try await anonymous.get("/v1/discovery_tasks")
            #expect(none.status == 401)
            #expect(try none.json()["detail"] == "Not authenticated")
            let wrong = try await RawHTTP(sim.url, token: "nope").get("/v1/discovery_tasks")
            #expect(wrong.status == 401)
            let basic = try await anonymous.send("GET", "/v1/discovery_tasks", headers: [("Authorization", "Basic \(SimulatorFixture.token)")])
            #expect(basic.status == 401)
            for target in ["/v1/discovery_tasks/x", "/v1/discovery_tasks/x/results"] {
                #expect(try await anonymous.get(target).status == 401)
            }
            #expect(try await anonymous.post("/v1/discovery_tasks", #"{"query":"x"}"#).status == 401)
            #expect(try await anonymous.post("/v1/discovery_tasks/x/resume").status == 401)
        }
    }

    @Test func acceptsEveryConfiguredToken() async throws {
        try await SimulatorFixture.with(configure: { $0.tokens = ["one", "two"] }) { sim in
            let one = try await RawHTTP(sim.url, token: "one").get("/v1/discovery_tasks")
            let two = try await RawHTTP(sim.url, token: "two").get("/v1/discovery_tasks")
            #expect(one.status == 200 && two.status == 200)
        }
    }

    @Test func createReturnsACreatedTaskWithZeroCountersAndGeneratedCriteria() async throws {
        try await SimulatorFixture.with { sim in
            let http = RawHTTP(sim.url)
            let answer = try await http.post("/v1/discovery_tasks", #"{"query": "vertical SaaS companies serving freight forwarding"}"#)
            #expect(answer.status == 200)
            #expect(answer.headers["content-type"] == "application/json")
            let task = try DiscoveryTask(json: answer.json())
            #expect(task.status == .created)
            #expect(task.desiredNumResults == 100)
            #expect(task.numResultsDiscovered == 0 && task.numResults == 0)
            #expect(!task.criteria.isEmpty)
            #expect(task.criteria.allSatisfy { CreateTaskRequest.isValidKey($0.key) && (10...500).contains($0.criterion.count) })
            #expect(Validation.isUUID(task.id))
            #expect(task.autoDataSources)
            let fetched = try DiscoveryTask(json: try await http.get("/v1/discovery_tasks/\(task.id)").json())
            #expect(fetched.id == task.id)
        }
    }

    @Test func createKeepsGivenCriteriaAndSources() async throws {
        try await SimulatorFixture.with { sim in
            let body = """
                {"query": "cold chain logistics", "desired_num_results": 30, "auto_data_sources": false,
                 "data_sources": ["linkedin", "maps"], "notify": true,
                 "criteria": [{"key": "cold_chain", "name": "Cold chain", "criterion": "Runs refrigerated logistics."}],
                 "table": {"id": "6f1c2d3e-4b5a-4c6d-8e7f-a1b2c3d4e5f6", "auto_import": true}}
                """
            let answer = try await RawHTTP(sim.url).post("/v1/discovery_tasks", body)
            #expect(answer.status == 200)
            let task = try DiscoveryTask(json: answer.json())
            #expect(task.criteria == [Criterion(key: "cold_chain", name: "Cold chain", criterion: "Runs refrigerated logistics.")])
            #expect(task.dataSources == [.linkedin, .maps])
            #expect(!task.autoDataSources)
            #expect(task.tableID == "6f1c2d3e-4b5a-4c6d-8e7f-a1b2c3d4e5f6")
            #expect(task.desiredNumResults == 30)
        }
    }

    struct InvalidCreate: Sendable, CustomStringConvertible {
        var body: String
        var type: String
        var loc: String
        var description: String { "\(type) at \(loc)" }
    }

    static let invalidCreates: [InvalidCreate] = [
        .init(body: #"{"desired_num_results": 10}"#, type: "missing", loc: "body.query"),
        .init(body: #"{"query": ""}"#, type: "string_too_short", loc: "body.query"),
        .init(body: #"{"query": "   "}"#, type: "value_error", loc: "body.query"),
        .init(body: #"{"query": 5}"#, type: "string_type", loc: "body.query"),
        .init(body: #"{"query": "x", "desired_num_results": 0}"#, type: "greater_than_equal", loc: "body.desired_num_results"),
        .init(body: #"{"query": "x", "desired_num_results": 251}"#, type: "less_than_equal", loc: "body.desired_num_results"),
        .init(body: #"{"query": "x", "desired_num_results": "5"}"#, type: "int_type", loc: "body.desired_num_results"),
        .init(body: #"{"query": "x", "desired_num_results": 5.5}"#, type: "int_from_float", loc: "body.desired_num_results"),
        .init(
            body: #"{"query": "x", "criteria": [{"key": "1st", "name": "N", "criterion": "long enough text"}]}"#, type: "string_pattern_mismatch",
            loc: "body.criteria.0.key"),
        .init(
            body: #"{"query": "x", "criteria": [{"key": "k", "name": "", "criterion": "long enough text"}]}"#, type: "string_too_short",
            loc: "body.criteria.0.name"),
        .init(
            body: #"{"query": "x", "criteria": [{"key": "k", "name": "N", "criterion": "short"}]}"#, type: "string_too_short",
            loc: "body.criteria.0.criterion"),
        .init(body: #"{"query": "x", "criteria": [{"key": "k", "name": "N"}]}"#, type: "missing", loc: "body.criteria.0.criterion"),
        .init(
            body:
                #"{"query": "x", "criteria": [{"key": "k", "name": "A", "criterion": "long enough text"}, {"key": "k", "name": "B", "criterion": "long enough text"}]}"#,
            type: "value_error", loc: "body.criteria"),
        .init(body: #"{"query": "x", "data_sources": ["extruct_db"]}"#, type: "enum", loc: "body.data_sources.0"),
        .init(body: #"{"query": "x", "auto_data_sources": false}"#, type: "value_error", loc: "body.data_sources"),
        .init(body: #"{"query": "x", "auto_data_sources": "no"}"#, type: "bool_type", loc: "body.auto_data_sources"),
        .init(body: #"{"query": "x", "exclude_task_ids": ["not-a-uuid"]}"#, type: "uuid_parsing", loc: "body.exclude_task_ids.0"),
        .init(body: #"{"query": "x", "table": {"run": true}}"#, type: "missing", loc: "body.table.id"),
        .init(body: #"[1, 2]"#, type: "model_attributes_type", loc: "body"),
        .init(body: #"{"query": "x",}"#, type: "json_invalid", loc: "body.14"),
    ]

    @Test(arguments: invalidCreates)
    func createRefusesInvalidBodiesWithFastAPIShapedDetail(_ invalid: InvalidCreate) async throws {
        try await SimulatorFixture.with { sim in
            let answer = try await RawHTTP(sim.url).post("/v1/discovery_tasks", invalid.body)
            #expect(answer.status == 422)
            let detail = try #require(try answer.json()["detail"]?.arrayValue)
            let first = try #require(detail.first)
            #expect(first["type"]?.stringValue == invalid.type)
            let loc = (first["loc"]?.arrayValue ?? []).map { $0.stringValue ?? JSONWriter.compact($0) }.joined(separator: ".")
            #expect(loc == invalid.loc)
            #expect(first["msg"]?.stringValue?.isEmpty == false)
            #expect(sim.simulator.journal.entries.last?.status == 422)
        }
    }

    /// What Pydantic's UUID type (the Rust uuid crate) says of each way a task id goes wrong.
    static let malformedIDs: [(String, String)] = [
        ("3f2a8c1e", "invalid length: expected length 32 for simple format, found 8"),
        ("3f2a8c1e-5b7d", "invalid group count: expected 5, found 2"),
        ("3f2a8c1e-5b7d-4c1e-9a0b-2d4e6f8a0c1", "invalid group length in group 4: expected 12, found 11"),
        ("3f2a8c1-e5b7d-4c1e-9a0b-2d4e6f8a0c1e", "invalid group length in group 0: expected 8, found 7"),
        (
            "3f2a8c1e-5b7d-4c1e-9a0b-2d4e6f8a0c1g",
            "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `g` at 36"
        ),
        ("not-a-uuid", "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `n` at 1"),
        (
            "{3f2a8c1e-5b7d-4c1e-9a0b-2d4e6f8a0c1x}",
            "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `x` at 37"
        ),
        ("3f2a8c1é", "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `é` at 8"),
        ("", "invalid length: expected length 32 for simple format, found 0"),
    ]

    @Test func aMalformedTaskIDIsWordedAsPydanticWordsIt() async throws {
        try await SimulatorFixture.with { sim in
            for (id, error) in Self.malformedIDs {
                let answer = try await RawHTTP(sim.url).post("/v1/discovery_tasks", #"{"query": "x", "exclude_task_ids": ["\#(id)"]}"#)
                #expect(answer.status == 422, "\(id)")
                let issue = try answer.json()["detail"]?[0]
                #expect(issue?["msg"]?.stringValue == "Input should be a valid UUID, \(error)", "\(id)")
                #expect(issue?["ctx"]?["error"]?.stringValue == error, "\(id)")
                #expect(issue?["input"]?.stringValue == id)
            }
            // The forms Pydantic accepts: simple, hyphenated in any case, braced, URN.
            let done = try #require(await sim.simulator.seedDemoTasks().first { $0.status == .done }).id
            for id in [done.filter { $0 != "-" }, done.uppercased(), "{\(done)}", "urn:uuid:\(done)"] {
                let answer = try await RawHTTP(sim.url).post("/v1/discovery_tasks", #"{"query": "x", "exclude_task_ids": ["\#(id)"]}"#)
                #expect(answer.status == 200, "\(id): \(answer.text)")
            }
        }
    }

    @Test func tooManyCriteriaOrExclusionsAre422() async throws {
        try await SimulatorFixture.with(configure: { $0.maximumCriteria = 2 }) { sim in
            let criteria = (0..<3).map { #"{"key": "k\#($0)", "name": "N", "criterion": "long enough text"}"# }.joined(separator: ",")
            let a = try await RawHTTP(sim.url).post("/v1/discovery_tasks", #"{"query": "x", "criteria": [\#(criteria)]}"#)
            #expect(a.status == 422)
            #expect(try a.json()["detail"]?[0]?["type"] == "too_long")
            let domains = (0...1000).map { "\"d\($0).com\"" }.joined(separator: ",")
            let b = try await RawHTTP(sim.url).post("/v1/discovery_tasks", #"{"query": "x", "exclude_domains": [\#(domains)]}"#)
            #expect(b.status == 422)
            let ids = (0...100).map { _ in "\"\(UUID().uuidString)\"" }.joined(separator: ",")
            let c = try await RawHTTP(sim.url).post("/v1/discovery_tasks", #"{"query": "x", "exclude_task_ids": [\#(ids)]}"#)
            #expect(c.status == 422)
        }
    }

    @Test func theUnionWithExcludedTasksIsTrimmedTo1000TheExplicitDomainsFirst() async throws {
        try await SimulatorFixture.with { sim in
            let done = try await sim.doneTask(results: 50)
            let domains = (0..<1000).map { "d\($0).example" }
            let body = JSONWriter.compact(
                .object(["query": "x", "exclude_domains": .array(domains.map(JSONValue.string)), "exclude_task_ids": [.string(done.id)]]))
            let answer = try await RawHTTP(sim).post("/v1/discovery_tasks", body)
            try #require(answer.status == 200, "\(answer.text)")
            let task = try DiscoveryTask(json: answer.json())
            #expect(task.excludeDomains.count == 1000)
            #expect(Set(task.excludeDomains) == Set(domains), "the explicit domains are kept, the task's trimmed")
        }
    }

    @Test func missingBodyIs422() async throws {
        try await SimulatorFixture.with { sim in
            let answer = try await RawHTTP(sim.url).send("POST", "/v1/discovery_tasks")
            #expect(answer.status == 422)
            #expect(try answer.json()["detail"]?[0]?["type"] == "missing")
        }
    }

    @Test func unknownTasksAre404OnEveryTaskEndpoint() async throws {
        try await SimulatorFixture.with { sim in
            let http = RawHTTP(sim.url)
            for answer in [
                try await http.get("/v1/discovery_tasks/00000000-0000-4000-8000-000000000000"),
                try await http.get("/v1/discovery_tasks/nope/results"),
                try await http.post("/v1/discovery_tasks/nope/resume", #"{"desired_new_results": 5}"#),
            ] {
                #expect(answer.status == 404)
                #expect(try answer.json()["detail"] == "Task not found")
            }
        }
    }

    @Test func unknownPathsAre404AndWrongMethodsAre405WithAllow() async throws {
        try await SimulatorFixture.with { sim in
            let http = RawHTTP(sim.url)
            #expect(try await http.get("/v1/nothing").status == 404)
            #expect(try await http.get("/v1/discovery_tasks/a/b/c").status == 404)
            let put = try await http.send("PUT", "/v1/discovery_tasks")
            #expect(put.status == 405)
            #expect(put.headers["allow"] == "GET, POST")
            let delete = try await http.send("DELETE", "/v1/discovery_tasks/abc")
            #expect(delete.status == 405)
            #expect(delete.headers["allow"] == "GET")
            #expect(try await http.get("/v1/discovery_tasks/abc/resume").headers["allow"] == "POST")
        }
    }

    /// Moving the manual clock by a number a Double holds but a date cannot (1e300 seconds,
    /// infinity) is refused; the simulator goes on.
    @Test(arguments: ["1e300", "1e309", "-1", "\"x\""])
    func theClockRefusesAnAdvanceNoDateCanTake(_ seconds: String) async throws {
        try await SimulatorFixture.with { sim in
            let http = RawHTTP(sim)
            let refused = try await http.post("/_sim/clock/advance", #"{"seconds": \#(seconds)}"#)
            #expect(refused.status == 400, "\(seconds): \(refused.text)")
            #expect(try await http.post("/_sim/clock/advance", #"{"seconds": 60}"#).status == 200)
            #expect(try await http.get("/_sim/clock").status == 200)
        }
    }

    @Test func listIsABareArrayNewestFirstWithOffsetAndLimit() async throws {
        try await SimulatorFixture.with { sim in
            let http = RawHTTP(sim.url)
            var ids: [String] = []
            for i in 0..<5 {
                let task = try DiscoveryTask(json: try await http.post("/v1/discovery_tasks", #"{"query": "list test \#(i)"}"#).json())
                ids.append(task.id)
                sim.advance(1)
            }
            let all = try #require(try await http.get("/v1/discovery_tasks").json().arrayValue)
            #expect(all.compactMap { $0["id"]?.stringValue } == ids.reversed())
            let page = try #require(try await http.get("/v1/discovery_tasks?offset=1&limit=2").json().arrayValue)
            #expect(page.compactMap { $0["id"]?.stringValue } == Array(ids.reversed()[1...2]))
            let past = try #require(try await http.get("/v1/discovery_tasks?offset=10").json().arrayValue)
            #expect(past.isEmpty)
            #expect(try await http.get("/v1/discovery_tasks?limit=0").status == 422)
            #expect(try await http.get("/v1/discovery_tasks?offset=-1").status == 422)
            let bad = try await http.get("/v1/discovery_tasks?limit=abc")
            #expect(bad.status == 422)
            #expect(try bad.json()["detail"]?[0]?["loc"] == ["query", "limit"])
        }
    }

    @Test func exclusionsAreNormalisedSortedAndResolvedOnceAtCreation() async throws {
        try await SimulatorFixture.with { sim in
            let http = RawHTTP(sim.url)
            let query = sim.query(atLeast: 400)
            let body =
                #"{"query": "\#(query)", "exclude_domains": ["https://www.Acme.com/about", "acme.com", "beta.co.uk", "http://x.beta.co.uk:8080/"]}"#
            let created = try await http.post("/v1/discovery_tasks", body)
            try #require(created.status == 200, "\(created.text)")
            let task = try DiscoveryTask(json: created.json())
            #expect(task.excludeDomains == ["acme.com", "beta.co.uk"])

            // A running task cannot be excluded (400); an unknown one is not found (404).
            let running = try await http.post("/v1/discovery_tasks", #"{"query": "x", "exclude_task_ids": ["\#(task.id)"]}"#)
            #expect(running.status == 400)
            let unknown = try await http.post("/v1/discovery_tasks", #"{"query": "x", "exclude_task_ids": ["00000000-0000-4000-8000-000000000000"]}"#)
            #expect(unknown.status == 404)
            #expect(try unknown.json()["detail"] == "Task 00000000-0000-4000-8000-000000000000 in exclude_task_ids was not found")

            // Once done, its visible companies join the new task's exclusions, and the new task
            // never returns them.
            sim.advance(3600)
            let first = try TaskResultsPage(json: try await http.get("/v1/discovery_tasks/\(task.id)/results").json())
            #expect(first.task.status == .done)
            let firstDomains = Set(first.results.compactMap(\.companyWebsite))
            #expect(firstDomains.count == first.task.numResults)
            let secondAnswer = try await http.post(
                "/v1/discovery_tasks", #"{"query": "\#(query)", "exclude_task_ids": ["\#(task.id)"], "exclude_domains": ["acme.com"]}"#)
            try #require(secondAnswer.status == 200, "\(secondAnswer.text)")
            let second = try DiscoveryTask(json: secondAnswer.json())
            #expect(Set(second.excludeDomains) == firstDomains.union(["acme.com"]))
            #expect(second.excludeDomains == second.excludeDomains.sorted())
            // Frozen: resume does not re-resolve.
            let resumed = try DiscoveryTask(
                json: try await http.post("/v1/discovery_tasks/\(second.id)/resume", #"{"desired_new_results": 5}"#).json())
            #expect(resumed.excludeDomains == second.excludeDomains)
            sim.advance(3600)
            let later = try TaskResultsPage(json: try await http.get("/v1/discovery_tasks/\(second.id)/results").json())
            #expect(later.results.count > 0)
            #expect(Set(later.results.compactMap(\.companyWebsite)).isDisjoint(with: firstDomains))
        }
    }
}

enum Validation {
    static func isUUID(_ s: String) -> Bool {
        UUID(uuidString: s) != nil
    }
}
