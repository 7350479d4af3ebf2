import DeepSearch
import DeepSearchSimulator
import TestSupport
import Testing

/// `GET /v1/user`, `GET /v1/billing` and `GET /v1/healthcheck` through the transport users get
/// (`DefaultTransport`), against the simulator over http and https; and the credits a task spends.
@Suite struct AccountEndpointTests {
    func client(_ sim: SimulatorFixture) -> (DeepSearchClient, SpyTransport) {
        let network = NetworkConfiguration(trustedCertificateFiles: sim.caFile.map { [CertificateFile(path: $0, origin: "the test")] } ?? [])
        let spy = SpyTransport(DefaultTransport(network: network))
        let client = DeepSearchClient(
            configuration: .init(
                baseURL: sim.url, token: SimulatorFixture.token, requestTimeout: .seconds(30), retryPolicy: RetryPolicy(jitter: false)),
            transport: spy)
        return (client, spy)
    }

    @Test(arguments: Scheme.allCases)
    func theAccountThePlanAndTheHealthcheck(_ scheme: Scheme) async throws {
        try await SimulatorFixture.with(scheme: scheme, configure: { $0.credits = 500 }) { sim in
            let (client, spy) = client(sim)
            // The test's own work on a thread of its own: never one of the pool the simulator needs.
            try await ThreadExecutor.run {
                try await spy.shuttingDown {
                    let user = try await client.send(.user)
                    #expect(user.status == 200)
                    #expect(user.value.availableCredits == 500)
                    #expect(user.value.email == "demo@extruct.example" && user.value.organizationIsActive == true)
                    #expect(user.raw.objectValue?.keys == Account.memberKeys)
                    let billing = try await client.send(.billing)
                    #expect(billing.value.subscription?.planTier == "pro")
                    #expect(billing.value.subscription?.requiresSubscription == false)
                    #expect(billing.value.user == user.value)
                    #expect(try await client.send(.healthcheck).raw["status"] == "ok")
                }
            }
            #expect(spy.requests.map { "\($0.method) \($0.path)" } == ["GET /v1/user", "GET /v1/billing", "GET /v1/healthcheck"])
        }
    }

    @Test(arguments: Scheme.allCases)
    func aTaskSpendsOneCreditAResultAndNoneLeftIsA402ThatWasAnswered(_ scheme: Scheme) async throws {
        try await SimulatorFixture.with(scheme: scheme, configure: { $0.credits = 12 }) { sim in
            let (client, spy) = client(sim)
            // The test's own work on a thread of its own: never one of the pool the simulator needs.
            try await ThreadExecutor.run {
                try await spy.shuttingDown {
                    let task = try await client.createTask(CreateTaskRequest(query: sim.query(atLeast: 600), desiredNumResults: 5))
                    sim.advance(3600)
                    #expect(try await client.task(id: task.value.id).value.numResults == 5)
                    #expect(try await client.send(.user).value.availableCredits == 7)
                    await sim.simulator.setCredits(0)
                    for attempt in [
                        { _ = try await client.createTask(CreateTaskRequest(query: "one more", desiredNumResults: 5)) },
                        { _ = try await client.resume(id: task.value.id, desiredNewResults: 5) },
                    ] {
                        let error = await expectError(attempt)
                        #expect(error?.code == .paymentRequired)
                        #expect(error?.spending == .answered)
                        #expect(
                            error?.description.hasPrefix("not enough credits left (402 insufficient_credits: No credits left") == true,
                            "\(String(describing: error))")
                    }
                }
            }
            #expect(sim.count("POST") == 3, "a 402 is not retried")
        }
    }
}
