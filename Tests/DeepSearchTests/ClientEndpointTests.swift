import DeepSearch
import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

/// Every endpoint of the client over real loopback HTTP to the simulator.
@Suite struct ClientEndpointTests {
    @Test(arguments: TransportKind.allCases)
    func createGetListResultsAndResume(_ transport: TransportKind) async throws {
        try await ClientFixture.with(transport: transport) { f in
            let query = f.sim.query(atLeast: 600)
            let created = try await f.client.createTask(
                CreateTaskRequest(
                    query: query, desiredNumResults: 30,
                    criteria: [Criterion(key: "fit", name: "Fit", criterion: "Fits the search well.")], dataSources: [.webSearch]))
            #expect(created.value.status == .created)
            #expect(created.value.dataSources == [.webSearch])
            #expect(created.raw["query"]?.stringValue == query)
            f.sim.advance(3600)
            let got = try await f.client.task(id: created.value.id)
            #expect(got.value.status == .done && got.value.numResults == 30)
            let listed = try await f.client.listTasks()
            #expect(listed.value.map(\.id) == [created.value.id])
            let page = try await f.client.results(id: created.value.id, page: PageRequest(offset: 5, limit: 10))
            #expect(page.value.results.count == 10)
            #expect(page.value.results.allSatisfy { $0.score(for: "fit")?.grade != nil })
            let resumed = try await f.client.resume(id: created.value.id, desiredNewResults: 20)
            #expect(resumed.value.desiredNumResults == 50 && resumed.value.status == .inProgress)
            let sent = f.spy.requests.map { "\($0.method) \($0.target)" }
            #expect(
                sent == [
                    "POST /v1/discovery_tasks", "GET /v1/discovery_tasks/\(created.value.id)", "GET /v1/discovery_tasks?offset=0&limit=20",
                    "GET /v1/discovery_tasks/\(created.value.id)/results?offset=5&limit=10", "POST /v1/discovery_tasks/\(created.value.id)/resume",
                ])
        }
    }

    @Test(arguments: TransportKind.allCases)
    func sendsTheTokenOnlyInAuthorizationWithAUserAgent(_ transport: TransportKind) async throws {
        try await ClientFixture.with(transport: transport) { f in
            _ = try await f.client.listTasks()
            let request = try #require(f.spy.requests.first)
            #expect(request.header("Authorization") == "Bearer \(SimulatorFixture.token)")
            #expect(request.header("User-Agent") == "extruct-shell/test")
            let elsewhere = request.headers.filter { $0.name != "Authorization" }.map(\.value) + [request.url]
            #expect(!elsewhere.contains { $0.contains(SimulatorFixture.token) })
        }
    }

    @Test(arguments: TransportKind.allCases)
    func allResultsPagesUntilAShortPage(_ transport: TransportKind) async throws {
        try await ClientFixture.with(transport: transport) { f in
            let task = try await f.client.createTask(CreateTaskRequest(query: f.sim.query(atLeast: 600), desiredNumResults: 45))
            f.sim.advance(3600)
            let progress = LogCapture()
            let all = try await f.client.allResults(id: task.value.id, pageSize: 10) { progress.append(String($0)) }
            #expect(all.value.results.count == 45)
            #expect(Set(all.value.results.map(\.id)).count == 45)
            #expect(all.value.results.map(\.relevance) == all.value.results.map(\.relevance).sorted { ($0 ?? 0) > ($1 ?? 0) }, "in order")
            // The first page tells the total, and the other four go out together.
            #expect(progress.all == ["10", "45"])
            #expect(all.raw["results"]?.arrayValue?.count == 45)
            #expect(f.sim.count("GET", "/results") == 5)
            // Exactly a multiple of the page size: one more (empty) page says it ended.
            _ = try await f.client.allResults(id: task.value.id, pageSize: 15)
            #expect(f.sim.count("GET", "/results") == 5 + 4)
            // Knowing the total, every page (and the one past the end) goes at once.
            let known = try await f.client.allResults(id: task.value.id, pageSize: 15, knownTotal: 45)
            #expect(known.value.results.map(\.id) == all.value.results.map(\.id))
            #expect(f.sim.count("GET", "/results") == 5 + 4 + 4)
        }
    }

    @Test func overAsyncHTTPClientThePagesAreInFlightTogether() async throws {
        try await ClientFixture.with(transport: .asyncHTTPClient) { f in
            let task = try await f.client.createTask(CreateTaskRequest(query: f.sim.query(atLeast: 600), desiredNumResults: 45))
            f.sim.advance(3600)
            // Every page but the first is slow: if they go together, all four arrive before any
            // slow answer is back.
            f.sim.simulator.faults.add(FaultRule(.latency, milliseconds: 3000, path: "/results", count: 4, skip: 1))
            let reading = Task { try await f.client.allResults(id: task.value.id, pageSize: 10) }
            try await f.sim.waitUntilFaultsAreUsed()
            #expect(f.sim.count("GET", "/results") == 1, "four slow pages in flight at once, none answered yet")
            #expect(try await reading.value.value.results.count == 45)
        }
    }

    @Test func ifOnePageFailsTheWholeReadFailsWithOneError() async throws {
        try await ClientFixture.with(transport: .asyncHTTPClient, retry: .none) { f in
            let task = try await f.client.createTask(CreateTaskRequest(query: f.sim.query(atLeast: 600), desiredNumResults: 45))
            f.sim.advance(3600)
            f.sim.simulator.faults.add(FaultRule(.status, status: 503, path: "/results", count: 1, skip: 2))
            let error = await expectError { _ = try await f.client.allResults(id: task.value.id, pageSize: 10, knownTotal: 45) }
            #expect(error?.status == 503)
        }
    }

    @Test(arguments: TransportKind.allCases)
    func rawSendsAnyRequestAndSplitsTheQuery(_ transport: TransportKind) async throws {
        try await ClientFixture.with(transport: transport) { f in
            let created = try await f.client.raw(method: "post", target: "/v1/discovery_tasks", body: .object(["query": "raw"]))
            #expect(created.raw["status"] == "created")
            let listed = try await f.client.raw(method: "GET", target: "v1/discovery_tasks?limit=1&offset=0")
            #expect(listed.raw.arrayValue?.count == 1)
            #expect(f.spy.requests.last?.query == [QueryItem("limit", "1"), QueryItem("offset", "0")])
        }
    }

    @Test func watchWaitsForDoneNotForExhaustedAlone() async throws {
        try await ClientFixture.with { f in
            let task = try await f.client.createTask(CreateTaskRequest(query: f.sim.query(poolAtMost: 60), desiredNumResults: 200))
            let seen = LogCapture()
            let end = try await f.client.watch(id: task.value.id, interval: .seconds(1), timeout: .seconds(3600)) { update in
                seen.append("\(update.value.status.rawValue) \(update.value.isExhausted)")
            }
            #expect(end.value.status == .done)
            #expect(end.value.isExhausted)
            #expect(seen.all.contains("in_progress true"), "it went on polling while exhausted but still in progress")
            #expect(f.clock.sleeps.allSatisfy { $0 == .seconds(1) })
        }
    }

    @Test func watchGivesUpAfterItsTimeout() async throws {
        try await ClientFixture.with { f in
            let task = try await f.client.createTask(CreateTaskRequest(query: f.sim.query(atLeast: 1000), desiredNumResults: 250))
            let error = await expectError { _ = try await f.client.watch(id: task.value.id, interval: .seconds(10), timeout: .seconds(60)) }
            #expect(error?.code == .watchTimeout)
            #expect(error?.description.contains("still in_progress after 1 min") == true)
            #expect(f.clock.now == .seconds(60))
        }
    }
}
