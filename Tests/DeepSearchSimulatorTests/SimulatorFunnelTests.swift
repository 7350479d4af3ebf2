import DeepSearch
import DeepSearchSimulator
import TestSupport
import Testing

/// The funnel, the cap, exhaustion, resume, failures and determinism.
@Suite struct SimulatorFunnelTests {
    func create(_ http: RawHTTP, _ body: String) async throws -> DiscoveryTask {
        let answer = try await http.post("/v1/discovery_tasks", body)
        try #require(answer.status == 200, "create answered \(answer.status): \(answer.text)")
        return try DiscoveryTask(json: answer.json())
    }

    func get(_ http: RawHTTP, _ id: String) async throws -> DiscoveryTask {
        try DiscoveryTask(json: try await http.get("/v1/discovery_tasks/\(id)").json())
    }

    func results(_ http: RawHTTP, _ id: String, _ query: String = "") async throws -> TaskResultsPage {
        try TaskResultsPage(json: try await http.get("/v1/discovery_tasks/\(id)/results\(query)").json())
    }

    func checkInvariants(_ t: DiscoveryTask) {
        #expect(t.numResultsDiscovered >= t.numResultsEnriched, "discovered ≥ enriched: \(t)")
        #expect(t.numResultsEnriched >= t.numResultsEvaluated, "enriched ≥ evaluated: \(t)")
        #expect(t.numResultsEvaluated >= t.numResults, "evaluated ≥ num_results: \(t)")
        #expect(t.numResults <= t.desiredNumResults)
        #expect(t.desiredNumResults <= 250)
    }

    @Test func theFunnelHoldsItsInvariantsAtEveryPollAndEndsDone() async throws {
        try await SimulatorFixture.with { sim in
            let http = RawHTTP(sim.url)
            let task = try await create(http, #"{"query": "\#(sim.query(atLeast: 500))", "desired_num_results": 60}"#)
            var previous = task
            var statuses: [TaskStatus] = [task.status]
            for _ in 0..<400 {
                sim.advance(2)
                let now = try await get(http, task.id)
                checkInvariants(now)
                #expect(now.numResultsDiscovered >= previous.numResultsDiscovered)
                #expect(now.numResultsEnriched >= previous.numResultsEnriched)
                #expect(now.numResultsEvaluated >= previous.numResultsEvaluated)
                #expect(now.numResults >= previous.numResults)
                let page = try await results(http, task.id)
                #expect(page.results.count == now.numResults)
                if statuses.last != now.status { statuses.append(now.status) }
                previous = now
                if now.status.isTerminal { break }
            }
            #expect(statuses == [.created, .inProgress, .done])
            #expect(previous.numResults == 60)
            #expect(!previous.isExhausted)
        }
    }

    @Test func aTaskAtDefaultSpeedMovesAboutAHundredCandidatesAMinute() async throws {
        try await SimulatorFixture.with { sim in
            let http = RawHTTP(sim.url)
            let task = try await create(http, #"{"query": "\#(sim.query(atLeast: 800))", "desired_num_results": 250}"#)
            sim.advance(3)  // the start delay
            sim.advance(60)
            let after = try await get(http, task.id)
            #expect((95...105).contains(after.numResultsDiscovered))
        }
    }

    @Test func speedMultipliesThePace() async throws {
        try await SimulatorFixture.with(speed: 10) { sim in
            let http = RawHTTP(sim.url)
            let task = try await create(http, #"{"query": "\#(sim.query(atLeast: 1000))", "desired_num_results": 250}"#)
            sim.advance(0.3 + 30)
            #expect((490...510).contains(try await get(http, task.id).numResultsDiscovered))
        }
    }

    @Test func resultsAreHighFitSortedByRelevanceAndPaginate() async throws {
        try await SimulatorFixture.with { sim in
            let http = RawHTTP(sim.url)
            let task = try await create(http, #"{"query": "\#(sim.query(atLeast: 500))", "desired_num_results": 40}"#)
            sim.advance(3600)
            let all = try await results(http, task.id)
            #expect(all.results.count == 40)
            let relevance = all.results.compactMap(\.relevance)
            #expect(relevance == relevance.sorted(by: >))
            #expect(relevance.allSatisfy { (0...100).contains($0) })
            for result in all.results {
                let grades = all.task.criteria.compactMap { result.score(for: $0.key)?.grade }
                #expect(grades.count == all.task.criteria.count, "every criterion graded")
                #expect(grades.allSatisfy { (1...5).contains($0) })
                let strong = grades.filter { $0 >= 4 }.count
                #expect(Double(strong) >= 0.75 * Double(grades.count), "high-fit rule: \(grades)")
                #expect(result.companyWebsite?.hasSuffix(".example") == true)
                #expect(result.taskID == task.id)
                #expect(result.score(for: all.task.criteria[0].key)?.explanation?.isEmpty == false)
                #expect(result.score(for: all.task.criteria[0].key)?.sources.isEmpty == false)
            }
            // Pages, concatenated, are the whole list; edges behave.
            var paged: [DiscoveryResult] = []
            var offset = 0
            while true {
                let page = try await results(http, task.id, "?offset=\(offset)&limit=7")
                paged += page.results
                offset += page.results.count
                if page.results.count < 7 { break }
            }
            #expect(paged.map(\.id) == all.results.map(\.id))
            #expect(try await results(http, task.id, "?limit=1").results.map(\.id) == [all.results[0].id])
            #expect(try await results(http, task.id, "?offset=40").results.isEmpty)
            #expect(try await results(http, task.id, "?offset=1000&limit=5").results.isEmpty)
            #expect(try await http.get("/v1/discovery_tasks/\(task.id)/results?limit=0").status == 422)
            #expect(try await http.get("/v1/discovery_tasks/\(task.id)/results?offset=-3").status == 422)
        }
    }

    @Test func resumeRaisesTheTargetWithinTheCapAndRestartsWork() async throws {
        try await SimulatorFixture.with { sim in
            let http = RawHTTP(sim.url)
            let task = try await create(http, #"{"query": "\#(sim.query(atLeast: 1000))", "desired_num_results": 20}"#)
            sim.advance(3600)
            #expect(try await get(http, task.id).status == .done)
            let resumed = try DiscoveryTask(
                json: try await http.post("/v1/discovery_tasks/\(task.id)/resume", #"{"desired_new_results": 30}"#).json())
            #expect(resumed.desiredNumResults == 50)
            #expect(resumed.status == .inProgress)
            #expect(resumed.numResults == 20)
            // Resume while running is allowed too; no body means 25.
            let again = try DiscoveryTask(json: try await http.post("/v1/discovery_tasks/\(task.id)/resume").json())
            #expect(again.desiredNumResults == 75)
            sim.advance(3600)
            let done = try await get(http, task.id)
            #expect(done.status == .done && done.numResults == 75)
            // Clamped at 250.
            let big = try DiscoveryTask(json: try await http.post("/v1/discovery_tasks/\(task.id)/resume", #"{"desired_new_results": 250}"#).json())
            #expect(big.desiredNumResults == 250)
            #expect(try await http.post("/v1/discovery_tasks/\(task.id)/resume", #"{"desired_new_results": 251}"#).status == 422)
            #expect(try await http.post("/v1/discovery_tasks/\(task.id)/resume", #"{"desired_new_results": -1}"#).status == 422)
            #expect(try await http.post("/v1/discovery_tasks/\(task.id)/resume", "null").status == 422)
        }
    }

    @Test func theCapRefusesMoreOnceTheTargetIs250() async throws {
        try await SimulatorFixture.with { sim in
            let http = RawHTTP(sim.url)
            let task = try await create(http, #"{"query": "\#(sim.query(atLeast: 1000))", "desired_num_results": 250}"#)
            sim.advance(4 * 3600)
            let done = try await get(http, task.id)
            #expect(done.status == .done)
            #expect(done.numResults == 250)
            let more = try await http.post("/v1/discovery_tasks/\(task.id)/resume", #"{"desired_new_results": 10}"#)
            #expect(more.status == 400)
            #expect(try more.json()["detail"]?.stringValue?.contains("250") == true)
            // Zero asks for nothing new: allowed.
            #expect(try await http.post("/v1/discovery_tasks/\(task.id)/resume", #"{"desired_new_results": 0}"#).status == 200)
            #expect(try await results(http, task.id).results.count == 250)
        }
    }

    @Test func aSmallPoolRunsDryIsExhaustedWhileStillScoringAndThenRefusesResume() async throws {
        try await SimulatorFixture.with { sim in
            let http = RawHTTP(sim.url)
            let task = try await create(http, #"{"query": "\#(sim.query(poolAtMost: 80))", "desired_num_results": 200}"#)
            var sawExhaustedInProgress = false
            var last = task
            for _ in 0..<2000 {
                sim.advance(1)
                last = try await get(http, task.id)
                checkInvariants(last)
                if last.isExhausted && last.status == .inProgress { sawExhaustedInProgress = true }
                if last.status.isTerminal { break }
            }
            #expect(sawExhaustedInProgress, "is_exhausted comes before done")
            #expect(last.status == .done)
            #expect(last.isExhausted)
            #expect(last.numResults < 200)
            #expect(last.numResultsEnriched == last.numResultsEvaluated)
            let refused = try await http.post("/v1/discovery_tasks/\(task.id)/resume", #"{"desired_new_results": 10}"#)
            #expect(refused.status == 400)
            #expect(try refused.json()["detail"] == "Task is exhausted and cannot be resumed.")
        }
    }

    @Test func poolSizesSpreadSoSomeTasksRunDryAndSomeNever() async throws {
        try await SimulatorFixture.with { sim in
            let sizes = (0..<300).map { sim.simulator.poolSize(for: "spread \($0)") }
            #expect(sizes.min()! < 60)
            #expect(sizes.max()! > 900)
            #expect(sizes.filter { Double($0) * 0.36 < 250 }.count > 50)
            #expect(sizes.filter { Double($0) * 0.36 > 300 }.count > 20)
        }
    }

    @Test func aFailingTaskFailsAndResumeRecoversIt() async throws {
        try await SimulatorFixture.with(configure: { $0.failureRate = 1 }) { sim in
            let http = RawHTTP(sim.url)
            let task = try await create(http, #"{"query": "\#(sim.query(atLeast: 600))", "desired_num_results": 50}"#)
            sim.advance(3600)
            let failed = try await get(http, task.id)
            #expect(failed.status == .failed)
            #expect(failed.numResults < 50)
            checkInvariants(failed)
            let resumed = try DiscoveryTask(json: try await http.post("/v1/discovery_tasks/\(task.id)/resume", #"{"desired_new_results": 0}"#).json())
            #expect(resumed.status == .inProgress)
            sim.advance(3600)
            let done = try await get(http, task.id)
            #expect(done.status == .done && done.numResults == 50)
        }
    }

    @Test func theSameSeedGivesTheSameTasksCompaniesAndGrades() async throws {
        func run(seed: UInt64) async throws -> [String] {
            try await SimulatorFixture.with(seed: seed) { sim in
                let http = RawHTTP(sim.url)
                let task = try await create(http, #"{"query": "determinism check", "desired_num_results": 30}"#)
                var texts: [String] = []
                for _ in 0..<5 {
                    sim.advance(37)
                    let answer = try await http.get("/v1/discovery_tasks/\(task.id)/results")
                    var json = try answer.json().objectValue!
                    json["created_at"] = nil
                    json["results"] = .array(
                        (json["results"]?.arrayValue ?? []).map { row in
                            var row = row.objectValue!
                            row["created_at"] = nil
                            return .object(row)
                        })
                    texts.append(JSONWriter.compact(.object(json)))
                }
                return texts
            }
        }
        let a = try await run(seed: 11)
        let b = try await run(seed: 11)
        let c = try await run(seed: 12)
        #expect(a == b)
        #expect(a != c)
        #expect(a.last!.contains("\"results\":[{"))
    }

    @Test func companyDataIsPlausibleVariedAndIncludesNonASCIINames() async throws {
        try await SimulatorFixture.with { sim in
            let http = RawHTTP(sim.url)
            let task = try await create(http, #"{"query": "\#(sim.query(atLeast: 1000))", "desired_num_results": 250}"#)
            sim.advance(4 * 3600)
            let page = try await results(http, task.id)
            #expect(page.results.count == 250)
            #expect(Set(page.results.map(\.companyName)).count == 250)
            #expect(Set(page.results.compactMap(\.companyWebsite)).count == 250)
            #expect(page.results.contains { $0.companyName.unicodeScalars.contains { !$0.isASCII } })
            #expect(Set(page.results.compactMap(\.hqCountry)).count > 10)
            #expect(page.results.compactMap(\.employeeCount).allSatisfy { EmployeeCount.buckets.contains($0) })
            #expect(page.results.compactMap(\.foundingYear).allSatisfy { (1950...2026).contains($0) })
            #expect(Set(page.results.compactMap(\.source)).isSubset(of: [.webSearch, .linkedin, .maps, .extructDB]))
            #expect(page.results.contains { $0.companyFullDescription?.contains("\n") == true })
        }
    }
}
