import DeepSearch
import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

/// The simulator's account: one credit per high-fit result as a task delivers it, 402
/// `insufficient_credits` for create and resume when none are left, a running task stopped with
/// what was paid for, and `/_sim/account` to read and set the credits.
@Suite struct SimulatorCreditsTests {
    func account(_ sim: SimulatorFixture) async throws -> (available: Int, spent: Int) {
        let json = try await RawHTTP(sim).get("/_sim/account").json()
        return (try #require(json["available_credits"]?.intValue), try #require(json["spent_credits"]?.intValue))
    }

    @Test func resultsAreChargedAsTheyAreDeliveredAndTheUserSaysWhatIsLeft() async throws {
        try await SimulatorFixture.with(configure: { $0.credits = 1000 }) { sim in
            let http = RawHTTP(sim)
            let task = try DiscoveryTask(
                json: try await http.post("/v1/discovery_tasks", #"{"query": "\#(sim.query(atLeast: 600))", "desired_num_results": 30}"#).json())
            #expect(try await account(sim) == (1000, 0), "nothing is spent before a result is delivered")
            var seen = 0
            for _ in 0..<200 {
                sim.advance(5)
                let now = try DiscoveryTask(json: try await http.get("/v1/discovery_tasks/\(task.id)").json())
                let (available, spent) = try await account(sim)
                #expect(spent == now.numResults && available == 1000 - now.numResults, "one credit a result delivered, as it is delivered")
                #expect(now.numResults >= seen)
                seen = now.numResults
                if now.status == .done { break }
            }
            #expect(seen == 30)
            let user = try Account(json: try await http.get("/v1/user").json())
            #expect(user.availableCredits == 970)
            let billing = try await http.get("/v1/billing").json()
            #expect(billing["user"]?["available_credits"] == 970)
            #expect(billing["subscription"]?["plan_tier"] == "pro")
        }
    }

    @Test func withNoCreditsLeftCreateAndResumeAre402InsufficientCredits() async throws {
        try await SimulatorFixture.with { sim in
            let http = RawHTTP(sim)
            let done = try await sim.doneTask(results: 20)
            let set = try await http.post("/_sim/account", #"{"available_credits": 0}"#)
            #expect(set.status == 200)
            #expect(try set.json()["available_credits"] == 0)
            for (path, body) in [("/v1/discovery_tasks", #"{"query": "anything"}"#), ("/v1/discovery_tasks/\(done.id)/resume", "{}")] {
                let refused = try await http.post(path, body)
                #expect(refused.status == 402, "\(path)")
                #expect(try refused.json()["detail"]?["error"] == "insufficient_credits", "\(path)")
            }
            #expect(try await http.get("/v1/discovery_tasks").status == 200, "reading spends nothing and is never refused")
            #expect(try await http.post("/_sim/account", #"{"available_credits": -1}"#).status == 400)
            #expect(try await http.post("/_sim/account", "{}").status == 400)
            _ = try await http.post("/_sim/account", #"{"available_credits": 10}"#)
            #expect(try await http.post("/v1/discovery_tasks/\(done.id)/resume", "{}").status == 200)
        }
    }

    /// The choice docs/simulator.md states: a running task that runs out of credits stops, done,
    /// with the results that were paid for; a resume after credits are added carries it on.
    @Test func aTaskThatRunsOutOfCreditsStopsWithWhatWasPaidFor() async throws {
        try await SimulatorFixture.with(configure: { $0.credits = 10 }) { sim in
            let http = RawHTTP(sim)
            let task = try DiscoveryTask(
                json: try await http.post("/v1/discovery_tasks", #"{"query": "\#(sim.query(atLeast: 600))", "desired_num_results": 30}"#).json())
            sim.advance(3600)
            let stopped = try DiscoveryTask(json: try await http.get("/v1/discovery_tasks/\(task.id)").json())
            #expect(stopped.status == .done && stopped.numResults == 10 && stopped.desiredNumResults == 30 && !stopped.isExhausted)
            let results = try TaskResultsPage(json: try await http.get("/v1/discovery_tasks/\(task.id)/results").json())
            #expect(results.results.count == 10)
            #expect(try await account(sim) == (0, 10))
            sim.advance(3600)
            let later = try DiscoveryTask(json: try await http.get("/v1/discovery_tasks/\(task.id)").json())
            #expect(later.numResultsDiscovered == stopped.numResultsDiscovered, "a stopped task does no more work")
            #expect(try await http.post("/v1/discovery_tasks/\(task.id)/resume", "{}").status == 402)
            await sim.simulator.setCredits(100)
            #expect(try await http.post("/v1/discovery_tasks/\(task.id)/resume", #"{"desired_new_results": 0}"#).status == 200)
            sim.advance(3600)
            let finished = try DiscoveryTask(json: try await http.get("/v1/discovery_tasks/\(task.id)").json())
            #expect(finished.status == .done && finished.numResults == 30)
            #expect(try await account(sim) == (80, 30))
        }
    }
}
