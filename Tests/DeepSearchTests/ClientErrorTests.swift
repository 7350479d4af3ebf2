import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

@testable import DeepSearch

/// Every error answer and every fault, as one actionable error; retries counted at the simulator.
@Suite struct ClientErrorTests {
    func newTask(_ f: ClientFixture, pool: Int = 600) async throws -> String {
        try await f.client.createTask(CreateTaskRequest(query: f.sim.query(atLeast: pool), desiredNumResults: 20)).value.id
    }

    @Test func exhaustedTaskRefusesResumeWithAWayOn() async throws {
        try await ClientFixture.with { f in
            let id = try await f.client.createTask(CreateTaskRequest(query: f.sim.query(poolAtMost: 60), desiredNumResults: 100)).value.id
            f.sim.advance(3600)
            let error = await expectError { _ = try await f.client.resume(id: id, desiredNewResults: 10) }
            #expect(error?.code == .exhausted)
            #expect(error?.status == 400)
            #expect(
                error?.description
                    == "task \(id.prefix(8)) is exhausted — no more candidates; create a new task with --exclude-task \(id.prefix(8)) to continue the search"
            )
            #expect(f.sim.count("POST", "/resume") == 1)
        }
    }

    @Test func aTaskAtTheCapIsTold() async throws {
        try await ClientFixture.with { f in
            let id = try await f.client.createTask(CreateTaskRequest(query: f.sim.query(atLeast: 1000), desiredNumResults: 250)).value.id
            f.sim.advance(5 * 3600)
            let error = await expectError { _ = try await f.client.resume(id: id, desiredNewResults: 10) }
            #expect(error?.code == .badRequest)
            #expect(error?.description.contains("250-result cap") == true)
            #expect(error?.description.components(separatedBy: "cap").count == 2, "said once: \(String(describing: error))")
        }
    }

    /// Why resume was refused is read from the task, not from the words of the answer: a 400
    /// whose detail says neither word is not called exhausted, nor at the cap, unless it is.
    @Test(arguments: [20, 250])
    func aRefusedResumeIsToldFromTheTaskNotTheWords(_ target: Int) async throws {
        try await ClientFixture.with { f in
            let id = try await f.client.createTask(CreateTaskRequest(query: f.sim.query(atLeast: 1000), desiredNumResults: target)).value.id
            f.sim.simulator.faults.add(FaultRule(.status, status: 400, method: "POST", path: "/resume"))
            let error = await expectError { _ = try await f.client.resume(id: id, desiredNewResults: 10) }
            #expect(error?.status == 400)
            #expect(error?.code != .exhausted, "\(error?.description ?? "")")
            #expect(error?.description.contains("exhausted") == false, "\(error?.description ?? "")")
            if target == 250 {
                #expect(error?.description.hasPrefix("task \(id.prefix(8)) is at the 250-result cap;") == true, "\(error?.description ?? "")")
            } else {
                #expect(error?.description == "the API refused to resume task \(id.prefix(8)) (400 Bad Request: Simulated server failure)")
            }
        }
    }

    @Test func unauthorizedSaysWhereTheTokenCameFromAndNeverTheToken() async throws {
        try await ClientFixture.with(token: "wrong-token-abcdef123456") { f in
            let error = await expectError { _ = try await f.client.listTasks() }
            #expect(error?.code == .unauthorized)
            #expect(error?.description.contains("EXTRUCT_API_TOKEN") == true)
            #expect(error?.description.contains("wrong-token") == false)
            #expect(f.logs.all.allSatisfy { !$0.contains("wrong-token") })
            #expect(f.logs.all.contains { $0.contains("Bearer …") })
        }
    }

    @Test(arguments: ["plan_required", "insufficient_credits", "payment_failed"])
    func paymentRequiredNamesTheGate(_ gate: String) async throws {
        try await ClientFixture.with(configure: { $0.faults = [FaultRule(.paymentRequired, error: gate)] }) { f in
            let error = await expectError { _ = try await f.client.createTask(CreateTaskRequest(query: "x")) }
            #expect(error?.code == .paymentRequired)
            #expect(error?.description.contains("402 \(gate)") == true)
        }
    }

    @Test(arguments: [
        (404, "GET /v1/discovery_tasks?offset=0&limit=20 not found (404); is the API URL URL right? (--api-url or EXTRUCT_API_URL)"),
        (400, "the API refused GET /v1/discovery_tasks?offset=0&limit=20 (400 Bad Request)"),
        (401, "the API refused the token (401 Unauthorized); the token came from EXTRUCT_API_TOKEN; check it, or set another with token --prompt"),
        (418, "unexpected answer to GET /v1/discovery_tasks?offset=0&limit=20 (418)"),
    ])
    func anErrorAnswerWithoutABodySaysSoCleanly(_ status: Int, _ says: String) async throws {
        // What a proxy or another server on the URL answers: a status and nothing else.
        let server = try ScriptedServer { _ in .send("HTTP/1.1 \(status) X\r\nContent-Length: 0\r\n\r\n") }
        defer { server.stop() }
        let transport = DefaultTransport()
        let client = DeepSearchClient(
            configuration: .init(baseURL: server.url, token: "t", tokenOrigin: "EXTRUCT_API_TOKEN", retryPolicy: .none), transport: transport)
        let error = await expectError { _ = try await client.listTasks() }
        await transport.shutdown()
        #expect(error?.description == says.replacingOccurrences(of: "URL URL", with: "URL \(server.url)"))
    }

    @Test func notFoundNamesTheTask() async throws {
        try await ClientFixture.with { f in
            let error = await expectError { _ = try await f.client.task(id: "no-such-task") }
            #expect(error?.code == .notFound)
            #expect(error?.description.contains("task no-such-task not found (404)") == true)
        }
    }

    @Test func anUnknownExcludedTaskIsNamedNotBlamedOnTheURL() async throws {
        try await ClientFixture.with { f in
            let unknown = "00000000-0000-4000-8000-000000000000"
            let error = await expectError { _ = try await f.client.createTask(CreateTaskRequest(query: "x", excludeTaskIDs: [unknown])) }
            #expect(error?.code == .notFound)
            #expect(
                error?.description
                    == "excluded task \(unknown) not found (404: Task \(unknown) in exclude_task_ids was not found); --exclude-task takes a finished task of this workspace; check the id with tasks"
            )
        }
    }

    @Test(arguments: [
        // An API that names the task in other words, or not at all: the id comes from the request.
        ("Task 3f2a8c1e not found", "/v1/discovery_tasks", ["3f2a8c1e"], "excluded task 3f2a8c1e not found"),
        ("The task ID is invalid or unavailable in your workspace", "/v1/discovery_tasks", ["3f2a8c1e"], "excluded task 3f2a8c1e not found"),
        ("Task abcd1234 not found", "/v1/discovery_tasks", ["3f2a8c1e", "abcd1234"], "excluded task abcd1234 not found"),
        ("Task not found", "/v1/discovery_tasks", ["3f2a8c1e", "abcd1234"], "one of the excluded tasks 3f2a8c1e, abcd1234 not found"),
        ("Task not found", "/v1/discovery_tasks/3f2a8c1e/results", [], "task 3f2a8c1e not found"),
        ("Task 3f2a8c1e not found", "/v1/other", [], "task 3f2a8c1e not found"),
        ("Not Found", "/v1/discovery_tasks", ["3f2a8c1e"], "POST /v1/discovery_tasks not found"),
    ])
    func aNotFoundThatSpeaksOfATaskReadsAsOne(_ detail: String, _ path: String, _ excluded: [String], _ says: String) {
        let body = excluded.isEmpty ? nil : JSONWriter.compactBytes(.object(["exclude_task_ids": .array(excluded.map(JSONValue.string))]))
        let request = HTTPRequest(method: "POST", baseURL: "https://api.extruct.ai", path: path, body: body)
        let response = HTTPResponse(status: 404, headers: [], body: Array(JSONWriter.compact(.object(["detail": .string(detail)])).utf8))
        let operation: DeepSearchClient.Operation = path == "/v1/discovery_tasks" ? .createTask : .raw(method: "POST")
        let error = DeepSearchError(response: response, request: request, operation: operation, tokenOrigin: "x")
        #expect(error.description.hasPrefix(says), "\(error.description)")
        #expect(!error.description.contains("API URL") || says.hasPrefix("POST"), "\(error.description)")
    }

    @Test func validationListsEachLocationAndMessage() async throws {
        try await ClientFixture.with { f in
            let error = await expectError {
                _ = try await f.client.raw(method: "POST", target: "/v1/discovery_tasks", body: .object(["query": "", "desired_num_results": 900]))
            }
            #expect(error?.code == .validation)
            #expect(error?.issues.map(\.location) == ["body → query", "body → desired_num_results"])
            #expect(error?.description.contains("body → desired_num_results: Input should be less than or equal to 250") == true)
        }
    }

    @Test func rateLimitIsRetriedForGETsHonouringRetryAfter() async throws {
        try await ClientFixture.with(configure: { $0.faults = [FaultRule(.rateLimit, retryAfter: 7, count: 1)] }) { f in
            let tasks = try await f.client.listTasks()
            #expect(tasks.value.isEmpty)
            #expect(f.sim.count("GET") == 2)
            #expect(f.clock.sleeps == [.seconds(7)])
        }
    }

    @Test func rateLimitWithoutRetryAfterBacksOffAtLeastTenSecondsThenGivesUp() async throws {
        try await ClientFixture.with(configure: { $0.faults = [FaultRule(.rateLimit)] }) { f in
            let error = await expectError { _ = try await f.client.listTasks() }
            #expect(error?.code == .rateLimited)
            #expect(error?.retryAfter == nil)
            #expect(f.sim.count("GET") == 3)
            #expect(f.clock.sleeps.allSatisfy { $0 >= .seconds(10) })
            #expect(f.clock.now <= .seconds(30))
        }
    }

    @Test(arguments: [502, 503, 504])
    func transientServerErrorsAreRetriedForGETs(_ status: Int) async throws {
        try await ClientFixture.with(configure: { $0.faults = [FaultRule(.status, status: status, count: 2)] }) { f in
            _ = try await f.client.listTasks()
            #expect(f.sim.count("GET") == 3)
            #expect(f.clock.sleeps == [.milliseconds(500), .seconds(1)])
        }
    }

    @Test func aPersistent500IsNotRetriedAndSaysWhatTheServerSaid() async throws {
        try await ClientFixture.with(configure: { $0.faults = [FaultRule(.status, status: 500)] }) { f in
            let error = await expectError { _ = try await f.client.listTasks() }
            #expect(error?.code == .server)
            #expect(error?.description.contains("500 Internal Server Error: Simulated server failure") == true)
            #expect(f.sim.count("GET") == 1)
        }
    }

    @Test func aStatusTheAnswerRepeatsIsSaidOnce() {
        #expect(
            DeepSearchError.withoutStatus("400 The plain HTTP request was sent to HTTPS port", 400) == "The plain HTTP request was sent to HTTPS port"
        )
        #expect(DeepSearchError.withoutStatus("502 Bad Gateway", 502) == "")
        #expect(DeepSearchError.withoutStatus("404: no such page", 404) == "no such page")
        #expect(DeepSearchError.withoutStatus("4000 tasks", 400) == "4000 tasks")
        #expect(DeepSearchError.withoutStatus("500 Internal Server Error", 502) == "500 Internal Server Error")
        let page = HTTPResponse(
            status: 400, body: Array("<html><head><title>400 The plain HTTP request was sent to HTTPS port</title></head></html>".utf8))
        let request = HTTPRequest(method: "GET", baseURL: "http://api.extruct.test:8443", path: "/v1/discovery_tasks")
        #expect(
            DeepSearchError(response: page, request: request, operation: .listTasks, tokenOrigin: "--token").description
                == "the API refused GET /v1/discovery_tasks (400 Bad Request: The plain HTTP request was sent to HTTPS port)")
    }

    @Test func anHTMLErrorPageIsReducedToItsTitle() async throws {
        try await ClientFixture.with(retry: .none, configure: { $0.faults = [FaultRule(.html)] }) { f in
            let error = await expectError { _ = try await f.client.listTasks() }
            #expect(error?.code == .server)
            #expect(error?.description.contains("(502 Bad Gateway)") == true)
            #expect(error?.description.contains("<") == false)
        }
    }

    @Test(arguments: ["create", "resume"], TransportKind.allCases)
    func mutationsAreNeverRetriedWhateverTheFault(_ operation: String, _ transport: TransportKind) async throws {
        for fault in [
            FaultRule(.status, status: 503), FaultRule(.reset), FaultRule(.rateLimit, retryAfter: 1), FaultRule(.html), FaultRule(.truncated),
        ] {
            try await ClientFixture.with(transport: transport) { f in
                let id = try await newTask(f)
                var rule = fault
                rule.method = "POST"
                f.sim.simulator.faults.add(rule)
                f.sim.simulator.journal.clear()
                let error = await expectError {
                    if operation == "create" {
                        _ = try await f.client.createTask(CreateTaskRequest(query: "again"))
                    } else {
                        _ = try await f.client.resume(id: id, desiredNewResults: 5)
                    }
                }
                #expect(error != nil, "\(fault.spec) fails \(operation)")
                #expect(f.sim.count("POST") == 1, "\(operation) sent once under \(fault.spec)")
                if operation == "create", [.transport, .server, .malformedResponse].contains(error?.code) {
                    #expect(
                        error?.advice?.contains("tasks") == true, "after an ambiguous failure of create, check tasks: \(error?.description ?? "")")
                }
            }
        }
    }

    @Test(arguments: TransportKind.allCases)
    func aResetIsATransportErrorNamingTheURLAndGETsRetryIt(_ transport: TransportKind) async throws {
        try await ClientFixture.with(transport: transport, retry: .none, configure: { $0.faults = [FaultRule(.reset)] }) { f in
            let error = await expectError { _ = try await f.client.listTasks() }
            #expect(error?.code == .transport)
            #expect(error?.description == "the connection to \(f.sim.url) was reset during GET \(f.sim.url)/v1/discovery_tasks?offset=0&limit=20")
        }
        try await ClientFixture.with(transport: transport, configure: { $0.faults = [FaultRule(.reset, count: 1)] }) { f in
            _ = try await f.client.listTasks()
            #expect(f.sim.simulator.journal.total == 2)
        }
    }

    @Test(arguments: TransportKind.allCases)
    func aRefusedConnectionNamesTheURL(_ kind: TransportKind) async throws {
        let port = 1  // nothing listens on port 1 of the loopback
        let transport = kind.make()
        let client = DeepSearchClient(configuration: .init(baseURL: "http://127.0.0.1:\(port)", token: "t", retryPolicy: .none), transport: transport)
        let error = await expectError { _ = try await client.listTasks() }
        await transport.shutdown()
        #expect(error?.code == .transport)
        #expect(
            error?.description == "cannot reach http://127.0.0.1:\(port): connection refused; is the API URL right? (--api-url or EXTRUCT_API_URL)")
    }

    /// AsyncHTTPClient's failures are told apart by their types, not by their descriptions.
    @Test(arguments: [
        ("https://no-such-host.invalid", "cannot reach https://no-such-host.invalid: the host name does not resolve"),
        ("ftp://127.0.0.1:1", "the API URL ftp://127.0.0.1:1 is not valid"),
        ("FTP://127.0.0.1:1", "the API URL FTP://127.0.0.1:1 is not valid"),
    ])
    func aHostThatDoesNotResolveAndAnUnknownSchemeAreSaidSo(_ url: String, _ said: String) async throws {
        let transport = AsyncHTTPClientTransport()
        let client = DeepSearchClient(configuration: .init(baseURL: url, token: nil, retryPolicy: .none), transport: transport)
        let error = await expectError { _ = try await client.listTasks() }
        await transport.shutdown()
        #expect(error?.description.hasPrefix(said) == true, "\(error?.description ?? "")")
    }

    @Test(arguments: TransportKind.allCases)
    func latencyBeyondTheTimeoutIsATimeout(_ transport: TransportKind) async throws {
        try await ClientFixture.with(
            transport: transport, timeout: .milliseconds(300), configure: { $0.faults = [FaultRule(.latency, milliseconds: 10_000)] }
        ) { f in
            let error = await expectError { _ = try await f.client.listTasks() }
            #expect(error?.code == .timeout)
            #expect(error?.description.contains("within 0.3 s") == true)
            // The simulator records a request when it answers: none yet, so the timeout ended it
            // before the 10 s latency did (a fact about order, not about a busy machine's clock).
            #expect(f.sim.simulator.journal.total == 0, "the 0.3 s timeout ends it before the 10 s latency")
        }
    }

    @Test(arguments: [FaultRule.Kind.truncated, .invalidJSON, .emptyBody, .hugeBody], TransportKind.allCases)
    func brokenBodiesAreMalformedResponsesThatSayWhere(_ kind: FaultRule.Kind, _ transport: TransportKind) async throws {
        // The timeout covers the whole body: 5 MiB on a loaded machine in a debug build can take seconds.
        try await ClientFixture.with(transport: transport, timeout: .seconds(60), configure: { $0.faults = [FaultRule(kind, bytes: 5 << 20)] }) { f in
            let error = await expectError { _ = try await f.client.listTasks() }
            #expect(error?.code == .malformedResponse)
            let text = error?.description ?? ""
            switch kind {
            case .hugeBody: #expect(text.contains("not the expected shape") && text.contains("expected an array"))
            default: #expect(text.contains("is not valid JSON") && text.contains("line 1, column"))
            }
        }
    }

    @Test(arguments: TransportKind.allCases)
    func aBodyBeyondTheLimitIsRefusedUnread(_ kind: TransportKind) async throws {
        try await SimulatorFixture.with(configure: { $0.faults = [FaultRule(.hugeBody, bytes: 2 << 20, count: 1)] }) { sim in
            let transport = kind.make(maximumBodyBytes: 1 << 20)
            let client = DeepSearchClient(
                configuration: .init(baseURL: sim.url, token: SimulatorFixture.token, retryPolicy: .none), transport: transport)
            let error = await expectError { _ = try await client.listTasks() }
            #expect(error?.code == .responseTooLarge)
            #expect(error?.description.contains("larger than 1 MiB") == true)
            // The connection that carried the unread body is not reused: the next request works.
            let next = try await client.listTasks()
            #expect(next.status == 200)
            await transport.shutdown()
        }
    }

    /// Each answer abandoned part way replaces AsyncHTTPClient's client; the old one is shut down
    /// once its request ended, not kept until the process exits.
    @Test func abandonedAnswersLeaveNoClientBehind() async throws {
        let body = String(repeating: "x", count: 4096)
        let server = try ScriptedServer { _ in .sendAndClose("HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\n\r\n\(body)") }
        defer { server.stop() }
        let transport = AsyncHTTPClientTransport(maximumBodyBytes: 1024)
        let client = DeepSearchClient(configuration: .init(baseURL: server.url, token: nil, retryPolicy: .none), transport: transport)
        for _ in 0..<5 {
            let error = await expectError { _ = try await client.listTasks() }
            #expect(error?.code == .responseTooLarge)
        }
        try await waitUntil("the replaced clients were shut down") { transport.openClientCount == 1 }
        await transport.shutdown()
    }

    @Test(arguments: TransportKind.allCases)
    func cancellingTheTaskCancelsTheRequest(_ transport: TransportKind) async throws {
        try await ClientFixture.with(transport: transport, configure: { $0.faults = [FaultRule(.latency, milliseconds: 20_000, count: 1)] }) { f in
            let request = Task { try await f.client.listTasks() }
            // The slow request has reached the simulator (its fault is used up): cancel it there.
            try await f.sim.waitUntilFaultsAreUsed()
            request.cancel()
            let result = await request.result
            #expect(throws: CancellationError.self) { try result.get() }
            #expect(f.sim.simulator.journal.total == 0, "cancelled before the simulator answered after its 20 s latency")
            let next = try await f.client.listTasks()
            #expect(next.status == 200, "the transport works after a cancelled request")
        }
    }

    @Test func aTokenIsNotSentOverPlainHTTPToAnotherHost() async throws {
        let spy = SpyTransport(AsyncHTTPClientTransport())
        let client = DeepSearchClient(configuration: .init(baseURL: "http://api.example.com", token: "secret-token-123456"), transport: spy)
        let error = await expectError { _ = try await client.listTasks() }
        #expect(error?.code == .insecureTransport)
        #expect(error?.description.contains("secret-token") == false)
        #expect(spy.requests.isEmpty)
        await spy.shutdown()
    }

    @Test func noTokenAppearsInAnyErrorOrLogLine() async throws {
        let faults: [FaultRule] = [
            FaultRule(.status, status: 503), FaultRule(.html), FaultRule(.rateLimit), FaultRule(.paymentRequired),
            FaultRule(.reset), FaultRule(.truncated), FaultRule(.invalidJSON), FaultRule(.emptyBody),
        ]
        for fault in faults {
            try await ClientFixture.with(retry: .none, configure: { $0.faults = [fault] }) { f in
                let error = await expectError { _ = try await f.client.createTask(CreateTaskRequest(query: "x")) }
                #expect(error.map { !$0.description.contains(SimulatorFixture.token) } == true)
                #expect(f.logs.all.allSatisfy { !$0.contains(SimulatorFixture.token) }, "\(fault.spec)")
            }
        }
    }
}
