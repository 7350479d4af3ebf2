import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

@testable import DeepSearch

/// A create or resume that fails has one of three outcomes, decided from what the transport
/// wrote: not sent (safe to try again), answered, or sent with no answer (check before trying
/// again). Over both transports.
@Suite struct SpendingOutcomeTests {
    static let operations = ["create", "resume"]

    func spend(_ operation: String, _ client: DeepSearchClient, id: String = "3f2a8c1e-5b7d-4c1e-9a0b-2d4e6f8a0c1e") async throws {
        if operation == "create" {
            _ = try await client.createTask(CreateTaskRequest(query: "spending test", desiredNumResults: 5))
        } else {
            _ = try await client.resume(id: id, desiredNewResults: 5)
        }
    }

    @Test(arguments: operations, TransportKind.allCases)
    func aRefusedConnectionSentNothing(_ operation: String, _ kind: TransportKind) async throws {
        // Port 1 of the loopback: nothing listens, the connection is refused before a byte goes out.
        for scheme in ["http", "https"] {
            let transport = kind.make()
            let client = DeepSearchClient(configuration: .init(baseURL: "\(scheme)://127.0.0.1:1", token: "t"), transport: transport)
            let error = await expectError { try await spend(operation, client) }
            await transport.shutdown()
            #expect(error?.spending == .notSent, "\(scheme) \(operation): \(error?.description ?? "")")
            #expect(error?.description.contains("nothing was sent, so it is safe to try again") == true, "\(error?.description ?? "")")
            #expect(error?.description.contains("may have been") == false)
        }
    }

    /// `operation` on a new task under `fault` (the client changed by `adjust`): its error and the task.
    func failure(
        of operation: String, over kind: TransportKind, under fault: FaultRule, adjust: (DeepSearchClient) -> DeepSearchClient = { $0 }
    ) async throws -> (error: DeepSearchError?, task: String) {
        try await ClientFixture.with(transport: kind, retry: .none) { f in
            let id = try await f.client.createTask(CreateTaskRequest(query: f.sim.query(atLeast: 600), desiredNumResults: 20)).value.id
            f.sim.simulator.faults.add(fault)
            return (await expectError { try await spend(operation, adjust(f.client), id: id) }, id)
        }
    }

    @Test(arguments: operations, TransportKind.allCases)
    func aResetAfterTheRequestWentOutMayHaveSpent(_ operation: String, _ kind: TransportKind) async throws {
        let (error, id) = try await failure(of: operation, over: kind, under: FaultRule(.reset, method: "POST"))
        #expect(error?.spending == .sentWithoutAnswer, "\(error?.description ?? "")")
        let advice =
            operation == "create"
            ? "the task may have been created: check with tasks before trying again"
            : "the task may have been resumed: status \(id.prefix(8)) shows whether the target went up"
        #expect(error?.advice == advice)
    }

    @Test(arguments: operations, TransportKind.allCases)
    func noAnswerWithinTheTimeoutMayHaveSpent(_ operation: String, _ kind: TransportKind) async throws {
        let (error, _) = try await failure(
            of: operation, over: kind, under: FaultRule(.latency, milliseconds: 5_000, method: "POST"),
            adjust: { $0.with { $0.requestTimeout = .milliseconds(300) } })
        #expect(error?.code == .timeout)
        #expect(error?.spending == .sentWithoutAnswer)
        #expect(error?.advice?.contains("may have been") == true)
    }

    @Test(arguments: operations, TransportKind.allCases)
    func anErrorAnswerIsAnAnswer(_ operation: String, _ kind: TransportKind) async throws {
        let (error, _) = try await failure(of: operation, over: kind, under: FaultRule(.paymentRequired, method: "POST"))
        #expect(error?.code == .paymentRequired)
        #expect(error?.spending == .answered)
    }

    @Test(arguments: operations, TransportKind.allCases)
    func cancelledAfterItWentOutIsSaidSo(_ operation: String, _ kind: TransportKind) async throws {
        try await ClientFixture.with(transport: kind, retry: .none) { f in
            let id = try await f.client.createTask(CreateTaskRequest(query: f.sim.query(atLeast: 600), desiredNumResults: 20)).value.id
            f.sim.simulator.faults.add(FaultRule(.latency, milliseconds: 20_000, method: "POST", count: 1))
            let request = Task { try await spend(operation, f.client, id: id) }
            try await f.sim.waitUntilFaultsAreUsed()
            request.cancel()
            let error: DeepSearchError? =
                switch await request.result {
                case .success: nil
                case .failure(let error): error as? DeepSearchError
                }
            #expect(error?.code == .interruptedAfterSending)
            #expect(error?.description.hasPrefix("interrupted after \(operation) was sent; the task may have been") == true)
        }
    }

    @Test(arguments: TransportKind.allCases)
    func cancelledBeforeAnythingWentOutIsAPlainCancellation(_ kind: TransportKind) async throws {
        try await ClientFixture.with(transport: kind, retry: .none) { f in
            let request = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                try await spend("create", f.client)
            }
            let result = await request.result
            #expect(throws: CancellationError.self) { try result.get() }
            #expect(f.sim.count("POST") == 0)
        }
    }
}
