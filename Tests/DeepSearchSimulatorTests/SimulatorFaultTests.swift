import AsyncHTTPClient
import DeepSearch
import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

/// Every fault the simulator injects, by flag-style spec and by its control endpoint.
@Suite struct SimulatorFaultTests {
    @Test func faultSpecsRoundTrip() throws {
        for spec in [
            "latency=1500", "status=503", "html=502", "rate_limit", "rate_limit=3", "payment_required=insufficient_credits",
            "reset,method=POST", "truncated,path=/results", "invalid_json,count=2", "empty_body,skip=1", "huge_body=6000000",
            "hostile=negative,path=/results", "hostile=long",
        ] {
            #expect(try FaultRule(spec: spec).spec == spec)
        }
        #expect(try FaultRule(spec: "503").status == 503)
        #expect(try FaultRule(spec: "429,retry_after=7").retryAfter == 7)
        #expect(throws: FaultRule.ParseError.self) { try FaultRule(spec: "explode") }
        #expect(throws: FaultRule.ParseError.self) { try FaultRule(spec: "503,count=x") }
        #expect(throws: FaultRule.ParseError.self) { try FaultRule(spec: "hostile=nice") }
        #expect(try FaultRule(spec: "hostile").data == .huge)
        #expect(try FaultRule(json: .object(["kind": "hostile", "data": "empty"])).data == .empty)
    }

    /// The hostile fault keeps the answer's shape and changes its values: every number, or
    /// every string, as the variant says.
    @Test(arguments: HostileData.allCases)
    func hostileAnswersKeepTheShapeAndBreakTheValues(_ data: HostileData) async throws {
        try await SimulatorFixture.with { sim in
            let http = RawHTTP(sim)
            let plain = try await http.post("/v1/discovery_tasks", #"{"query": "hostile shapes", "desired_num_results": 5}"#).json()
            let id = try #require(plain["id"]?.stringValue)
            sim.simulator.faults.add(FaultRule(.hostile, data: data))
            let answer = try await http.get("/v1/discovery_tasks/\(id)")
            #expect(answer.status == 200)
            let task = try answer.json()
            #expect(task.objectValue?.keys == plain.objectValue?.keys, "the same members")
            let numbers = (task.objectValue?.members ?? []).map(\.value).filter { if case .number = $0 { true } else { false } }
            #expect(!numbers.isEmpty, "\(data): the answer keeps its numbers")
            let strings = ["id", "status", "query"].compactMap { task[$0]?.stringValue }
            switch data {
            case .huge: #expect(numbers.contains(.number("9223372036854775807")) && numbers.contains(.number("-9223372036854775808")))
            case .past: #expect(numbers.contains(.number("9223372036854775808")) && numbers.contains(.number("1e309")))
            case .negative: #expect(numbers.allSatisfy { $0.doubleValue.map { $0 < 0 } == true })
            case .fractional: #expect(numbers.allSatisfy { $0.doubleValue.map { $0 != $0.rounded() } == true })
            case .empty: #expect(strings == ["", "", ""])
            case .long: #expect(strings.allSatisfy { $0.utf8.count >= 10 << 10 && $0.contains("\u{1B}") })
            }
        }
    }

    @Test(arguments: [500, 502, 503, 504])
    func statusFaultsAnswerJSONErrorsOnce(_ status: Int) async throws {
        try await SimulatorFixture.with(configure: { $0.faults = [FaultRule(.status, status: status, count: 1)] }) { sim in
            let http = RawHTTP(sim.url)
            let first = try await http.get("/v1/discovery_tasks")
            #expect(first.status == status)
            #expect(try first.json()["detail"]?.stringValue != nil)
            #expect(try await http.get("/v1/discovery_tasks").status == 200)
        }
    }

    @Test func htmlFaultIsAProxyPage() async throws {
        try await SimulatorFixture.with(configure: { $0.faults = [FaultRule(.html)] }) { sim in
            let answer = try await RawHTTP(sim.url).get("/v1/discovery_tasks")
            #expect(answer.status == 502)
            #expect(answer.headers["content-type"] == "text/html")
            #expect(answer.text.contains("<title>502 Bad Gateway</title>"))
        }
    }

    @Test func rateLimitWithAndWithoutRetryAfter() async throws {
        try await SimulatorFixture.with(configure: { $0.faults = [FaultRule(.rateLimit, retryAfter: 2, count: 1), FaultRule(.rateLimit, count: 1)] })
        { sim in
            let http = RawHTTP(sim.url)
            let a = try await http.get("/v1/discovery_tasks")
            #expect(a.status == 429 && a.headers["retry-after"] == "2")
            let b = try await http.get("/v1/discovery_tasks")
            #expect(b.status == 429 && b.headers["retry-after"] == nil)
        }
    }

    @Test func paymentRequiredCarriesDetailError() async throws {
        try await SimulatorFixture.with(configure: { $0.faults = [FaultRule(.paymentRequired, method: "POST")] }) { sim in
            let http = RawHTTP(sim.url)
            #expect(try await http.get("/v1/discovery_tasks").status == 200)
            let answer = try await http.post("/v1/discovery_tasks", #"{"query": "x"}"#)
            #expect(answer.status == 402)
            #expect(try answer.json()["detail"]?["error"] == "plan_required")
        }
    }

    @Test func latencyDelaysTheAnswer() async throws {
        try await SimulatorFixture.with(configure: { $0.faults = [FaultRule(.latency, milliseconds: 300, count: 1)] }) { sim in
            let started = ContinuousClock.now
            let answer = try await RawHTTP(sim.url).get("/v1/discovery_tasks")
            #expect(answer.status == 200)
            #expect(ContinuousClock.now - started >= .milliseconds(300))
        }
    }

    @Test func resetDropsTheConnectionWithoutAnAnswer() async throws {
        try await SimulatorFixture.with(configure: { $0.faults = [FaultRule(.reset, count: 1)] }) { sim in
            await #expect(throws: (any Error).self) { _ = try await RawHTTP(sim.url).get("/v1/discovery_tasks") }
            #expect(sim.simulator.journal.entries.first?.status == 0)
            let next = try await RawHTTP(sim.url).get("/v1/discovery_tasks")
            #expect(next.status == 200)
        }
    }

    @Test func bodyFaultsBreakTheJSON() async throws {
        try await SimulatorFixture.with { sim in
            let http = RawHTTP(sim.url)
            let task = try DiscoveryTask(json: try await http.post("/v1/discovery_tasks", #"{"query": "body faults"}"#).json())
            let full = try await http.get("/v1/discovery_tasks/\(task.id)")
            sim.simulator.faults.add(FaultRule(.truncated, count: 1))
            let truncated = try await http.get("/v1/discovery_tasks/\(task.id)")
            #expect(truncated.status == 200)
            #expect(truncated.body.count < full.body.count)
            #expect(full.body.starts(with: truncated.body))
            #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(truncated.body) }

            sim.simulator.faults.add(FaultRule(.invalidJSON, count: 1))
            let invalid = try await http.get("/v1/discovery_tasks")
            #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(invalid.body) }

            sim.simulator.faults.add(FaultRule(.emptyBody, count: 1))
            let empty = try await http.get("/v1/discovery_tasks")
            #expect(empty.status == 200 && empty.body.isEmpty)

            sim.simulator.faults.add(FaultRule(.hugeBody, bytes: 5 << 20, count: 1))
            let huge = try await http.get("/v1/discovery_tasks")
            #expect(huge.body.count > 5 << 20)
            #expect(try huge.json()["padding"] != nil)
        }
    }

    @Test func filtersCountAndSkipDecideWhichRequestsAreHit() async throws {
        try await SimulatorFixture.with { sim in
            let http = RawHTTP(sim.url)
            let task = try DiscoveryTask(json: try await http.post("/v1/discovery_tasks", #"{"query": "filters"}"#).json())
            sim.simulator.faults.add(FaultRule(.status, status: 503, path: "/results", count: 2, skip: 1))
            #expect(try await http.get("/v1/discovery_tasks/\(task.id)").status == 200)
            #expect(try await http.get("/v1/discovery_tasks/\(task.id)/results").status == 200)  // skipped
            #expect(try await http.get("/v1/discovery_tasks/\(task.id)/results").status == 503)
            #expect(try await http.get("/v1/discovery_tasks/\(task.id)/results").status == 503)
            #expect(try await http.get("/v1/discovery_tasks/\(task.id)/results").status == 200)  // used up
            #expect(sim.simulator.faults.rules.isEmpty)
        }
    }

    @Test func theControlEndpointAddsListsAndClearsFaultsAndCountsRequests() async throws {
        try await SimulatorFixture.with { sim in
            let control = RawHTTP(sim.url, token: nil)
            let added = try await control.post("/_sim/faults", #"{"kind": "status", "status": 503, "count": 1}"#)
            #expect(added.status == 201)
            #expect(try await control.post("/_sim/faults", #"{"spec": "429,retry_after=1"}"#).status == 201)
            #expect(try await control.post("/_sim/faults", #"{"kind": "explode"}"#).status == 400)
            let listed = try #require(try await control.get("/_sim/faults").json().arrayValue)
            #expect(listed.count == 2)
            let http = RawHTTP(sim.url)
            #expect(try await http.get("/v1/discovery_tasks").status == 503)
            #expect(try await control.send("DELETE", "/_sim/faults").status == 200)
            #expect(try await http.get("/v1/discovery_tasks").status == 200)
            let journal = try await control.get("/_sim/requests").json()
            #expect(journal["total"]?.intValue == 2)
            #expect(journal["requests"]?[0]?["status"]?.intValue == 503)
            #expect(try await control.send("DELETE", "/_sim/requests").status == 200)
            #expect(try await control.get("/_sim/requests").json()["total"]?.intValue == 0)
            #expect(try await control.get("/_sim/health").status == 200)
        }
    }

    @Test func controlRequestsAreNeverFaulted() async throws {
        try await SimulatorFixture.with(configure: { $0.faults = [FaultRule(.reset)] }) { sim in
            let health = try await RawHTTP(sim.url, token: nil).get("/_sim/health")
            #expect(health.status == 200)
        }
    }

    @Test func theClockMovesOnlyWhenTold() async throws {
        try await SimulatorFixture.with { sim in
            let control = RawHTTP(sim.url, token: nil)
            let http = RawHTTP(sim.url)
            let task = try DiscoveryTask(json: try await http.post("/v1/discovery_tasks", #"{"query": "\#(sim.query(atLeast: 800))"}"#).json())
            #expect(try DiscoveryTask(json: try await http.get("/v1/discovery_tasks/\(task.id)").json()).status == .created)
            #expect(try await control.post("/_sim/clock/advance", #"{"seconds": 120}"#).status == 200)
            let moved = try DiscoveryTask(json: try await http.get("/v1/discovery_tasks/\(task.id)").json())
            #expect(moved.status == .inProgress)
            #expect(moved.numResultsDiscovered > 100)
            #expect(try await control.post("/_sim/clock/advance", #"{"seconds": -1}"#).status == 400)
        }
        try await SimulatorFixture.with(configure: { $0.clock = WallClock() }) { sim in
            let refused = try await RawHTTP(sim.url, token: nil).post("/_sim/clock/advance", #"{"seconds": 1}"#)
            #expect(refused.status == 409)
        }
    }
}
